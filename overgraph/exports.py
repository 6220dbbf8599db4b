"""The one way the product writes spreadsheets: CSV and XLSX exports of tables, charts' data,
listening hits and reports' data.

Three promises, whatever the caller hands in:

* **No formula injection.** Text written by strangers (a comment, a hashtag, a display name) ends
  up in a spreadsheet a community manager opens. A cell that a spreadsheet would read as a formula
  (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(...)``) gets a leading single quote, as
  OWASP "CSV Injection" and ASVS 5.0 (V1.2.10) advise:
  https://owasp.org/www-community/attacks/CSV_Injection. :func:`neutralise` is the single rule,
  used by both writers.
* **Flat memory.** Rows may be any iterable (a generator, ``queryset.values_list().iterator()``):
  the CSV is streamed in ~64 KB chunks while it is produced; the XLSX is written by openpyxl's
  write-only mode to a temporary file, then streamed from disk. A million rows cost the same RAM as
  a hundred.
* **Files that open right.** CSV is UTF-8 with a BOM (Excel otherwise reads accents as Latin-1),
  comma-separated and quoted by the ``csv`` module (RFC 4180); ``Content-Disposition`` carries an
  ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987), so "Abonnés été.csv" keeps its
  accents.

A streamed CSV is produced *after* the view returned, outside ``org_view``'s tenant scope and
after the middleware reset the language and time zone. :func:`csv_response` captures all three
when it is called and re-enters them while it produces each chunk, so a lazy queryset (or a row
that follows a relation) still runs inside the organisation's scope.
"""

import csv
import io
import math
import re
import tempfile
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_scopes import get_scope, scope
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# First characters that make a spreadsheet evaluate a cell (OWASP: = + - @ tab CR; ASVS adds NUL).
# The full-width forms are included too: East-Asian input methods turn them into their ASCII
# twins, and quoting a rare legitimate full-width sign costs nothing next to a formula that runs.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")  # full-width = + - @
# Excel and LibreOffice skip some leading blanks before deciding a cell is a formula; we look past
# whitespace and invisible characters (control "Cc" and format "Cf", e.g. a zero-width space or a
# stray BOM) and quote the cell when a trigger follows.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})

# Excel's limits: https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3
XLSX_MAX_CELL_CHARS = 32_767
XLSX_MAX_SHEET_TITLE = 31
_XLSX_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Streaming granularity: large enough to keep per-chunk overhead negligible, small enough that the
# first bytes reach the browser at once and memory stays flat.
CSV_CHUNK_BYTES = 64 * 1024

Cell = str | int | float | Decimal | bool
_NUMBERS = (int, Decimal)  # bool is an int
_DATES = (date, time)  # datetime is a date: tested before


def neutralise(value: Any, tz: tzinfo | None = None) -> Cell:
    """Turn one Python value into a cell that no spreadsheet will execute.

    * text starting with a formula trigger (even after leading blanks) gets a ``'`` prefix;
    * numbers stay numbers (``-5`` is a number, the *text* ``"-5"`` is quoted), booleans stay;
    * ``None`` and NaN/infinity (a metric that is not available) become an empty cell;
    * dates are ISO 8601; aware datetimes are converted to ``tz`` (default: the active time zone)
      and written ISO 8601 with their offset. A naive datetime raises ``ValueError``: the product
      has none, and guessing its zone would silently shift every row.
    """
    # Exact-type checks first: this runs for every cell of million-row exports.
    kind = type(value)
    if kind is str:
        return _neutralise_text(value)
    if value is None:
        return ""
    if kind is int or kind is bool:
        return value
    if kind is float or isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, str):
        return _neutralise_text(value)
    if isinstance(value, _NUMBERS):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value, tz or timezone.get_current_timezone()).isoformat()
    if isinstance(value, _DATES):
        return value.isoformat()
    # Lazy translations, UUIDs, enums, anything else: as the text a person would read.
    return _neutralise_text(str(value))


def _neutralise_text(text: str) -> str:
    if not text:
        return text
    first = text[0]
    if first in FORMULA_TRIGGERS:
        return "'" + text
    if " " < first < "\x7f":
        return text  # the common case, decided without a Unicode lookup
    if first.isspace() or unicodedata.category(first) in _INVISIBLE_CATEGORIES:
        for char in text:
            if char in FORMULA_TRIGGERS:
                return "'" + text
            if not (char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES):
                break
    return text


# --- Filenames ----------------------------------------------------------------------------------


def content_disposition(filename: str) -> str:
    """``attachment`` header with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    name = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._() -]", "_", ascii_name).strip() or "export"
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_filename(filename: str, max_length: int = 150) -> str:
    """The name without path separators, quotes or control characters (no header injection)."""
    cleaned = "".join(
        "_" if char in '/\\"' else char
        for char in unicodedata.normalize("NFC", str(filename))
        if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
    ).strip(" .")
    return cleaned[:max_length] or "export"


def _with_extension(filename: str, extension: str) -> str:
    return filename if filename.lower().endswith(extension) else filename + extension


# --- Carrying the request's context into a streamed body ----------------------------------------


@contextmanager
def _carried_context(tenant_scope: dict, language: str | None, tz: tzinfo):
    with scope(**tenant_scope), translation.override(language), timezone.override(tz):
        yield


def _resolve_tz(tz: tzinfo | str | None) -> tzinfo:
    if tz is None:
        return timezone.get_current_timezone()
    if isinstance(tz, str):
        return zoneinfo.ZoneInfo(tz)
    return tz


# --- CSV ----------------------------------------------------------------------------------------


def csv_chunks(
    header: Sequence[Any], rows: Iterable[Iterable[Any]], *, tz: tzinfo | str | None = None
) -> Iterator[bytes]:
    """UTF-8 (with BOM) CSV bytes in chunks of about ``CSV_CHUNK_BYTES``; rows are pulled lazily.

    Usable on its own to write a file (a report attachment, a Celery task's output).
    """
    zone = _resolve_tz(tz)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(value, zone) for value in header])
    for row in rows:
        writer.writerow([neutralise(value, zone) for value in row])
        if buffer.tell() >= CSV_CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]], *, tz: tzinfo | str | None = None
) -> StreamingHttpResponse:
    """A streamed CSV download. ``rows`` is consumed while the response is sent, not before.

    The tenant scope, language and time zone active now are re-entered while each chunk is
    produced, so lazy querysets keep working after the view returned.
    """
    zone = _resolve_tz(tz)
    # Headers are usually lazy translations: evaluate them in the request's language, now.
    header = [str(value) if isinstance(value, Promise) else value for value in header]
    context = (dict(get_scope()), translation.get_language(), zone)
    chunks = csv_chunks(header, rows, tz=zone)

    def produce() -> Iterator[bytes]:
        # The context is entered around each step only, never across a yield, so the server's own
        # code between two chunks does not run inside the tenant scope.
        while True:
            with _carried_context(*context):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk

    response = StreamingHttpResponse(produce(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(_with_extension(safe_filename(filename), ".csv"))
    # Exports hold a tenant's data: never keep them in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


# --- XLSX ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (cleaned to Excel's rules), a header row, and any iterable of rows."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Iterable[Any]]


def _xlsx_cell(value: Any, zone: tzinfo) -> Cell | None:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # Control characters make the file unreadable by Excel (openpyxl refuses them). They are
        # removed *before* neutralising, or "\x01=1+1" would become the formula "=1+1".
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL_CHARS]
    cell = neutralise(value, zone)
    if isinstance(cell, str):
        if cell == "":
            return None
        return cell[:XLSX_MAX_CELL_CHARS]
    return cell


def sheet_titles(titles: Iterable[str]) -> list[str]:
    """Excel-valid, unique sheet titles (31 characters, none of ``[]:*?/\\``)."""
    result: list[str] = []
    seen: set[str] = set()
    for raw in titles:
        base = _XLSX_TITLE_FORBIDDEN.sub(" ", str(raw)).strip(" '")[:XLSX_MAX_SHEET_TITLE] or "Sheet"
        title, n = base, 1
        while title.lower() in seen:
            n += 1
            suffix = f" ({n})"
            title = base[: XLSX_MAX_SHEET_TITLE - len(suffix)] + suffix
        seen.add(title.lower())
        result.append(title)
    return result


def write_xlsx(target: str | IO[bytes], sheets: Iterable[Sheet], *, tz: tzinfo | str | None = None) -> None:
    """Write ``sheets`` into ``target`` (a path or a binary file opened for writing).

    openpyxl's write-only mode streams each row to a temporary file, so memory stays flat however
    many rows come in. https://openpyxl.readthedocs.io/en/stable/optimized.html#write-only-mode
    """
    zone = _resolve_tz(tz)
    sheets = list(sheets)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet, title in zip(sheets, sheet_titles(s.title for s in sheets), strict=True):
        worksheet = workbook.create_sheet(title=title)
        if sheet.header:
            worksheet.freeze_panes = "A2"
            header_cells = []
            for value in sheet.header:
                cell = WriteOnlyCell(worksheet, value=_xlsx_cell(value, zone))
                cell.font = bold
                header_cells.append(cell)
            worksheet.append(header_cells)
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(value, zone) for value in row])
    if not sheets:
        workbook.create_sheet(title="Sheet")
    workbook.save(target)


def xlsx_response(filename: str, sheets: Iterable[Sheet], *, tz: tzinfo | str | None = None) -> FileResponse:
    """An XLSX download with one or more sheets, built in a temporary file then streamed from disk.

    Unlike the CSV, the workbook is complete before the first byte is sent (a ZIP's directory is
    written last), so this runs inside the view's scope; very large workbooks belong in a task.
    """
    # Anonymous temporary file: unlinked at once on POSIX, gone when FileResponse closes it.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    try:
        write_xlsx(spool, sheets, tz=tz)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(_with_extension(safe_filename(filename), ".xlsx"))
    response["Cache-Control"] = "private, no-store"
    return response
