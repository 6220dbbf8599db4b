"""Full data export of a workspace: every stored fact as one CSV file per table in a ZIP, with a
data dictionary, written through the safe writer (``overgraph.exports.csv_chunks``: no formula
injection, UTF-8 with BOM, "not available" as an empty cell).

Other apps add their tables (inbox conversations, listening hits, campaigns…) in their
``AppConfig.ready()``::

    from reports.exports import register_export_table

    def _hits(*, organization, workspace):
        # Called inside the organisation's scope; yield rows in the order of ``columns``.
        return Hit.objects.filter(organization=organization, watch__workspace=workspace).values_list(...).iterator()

    register_export_table(
        "listening_hits",
        gettext_lazy("Posts found by listening watches"),
        _hits,
        columns=[("id", gettext_lazy("Our id")), ("published_at", gettext_lazy("Published (ISO 8601)")), ...],
    )

``rows_callable(*, organization, workspace)`` returns any iterable of row sequences (a generator or
``values_list(...).iterator()`` keeps memory flat); ``columns`` names each column with the words
the data dictionary prints for it. ``model_columns(Model, fields)`` builds them from the model's
field names and verbose names, and ``register_model_table(name, description, Model,
workspace_path=...)`` does all of it for a model's rows of one workspace.

Apps outside the dependency line of reports (inbox, listening, campaigns) register theirs in a
``<app>/reports.py`` module, imported at start-up by :func:`autodiscover` (as ``privacy.py`` is by
accounts.privacy).
"""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import Organization, Workspace
from overgraph.exports import csv_chunks

RowsCallable = Callable[..., Iterable[Sequence]]


@dataclass(frozen=True)
class ExportTable:
    name: str  # the CSV's file name without ".csv": lower case, letters, digits and "_"
    description: str | Promise
    rows: RowsCallable
    columns: tuple[tuple[str, str | Promise], ...]


_TABLES: dict[str, ExportTable] = {}


def register_export_table(
    name: str,
    description: str | Promise,
    rows_callable: RowsCallable,
    *,
    columns: Sequence[tuple[str, str | Promise]] = (),
) -> None:
    """Add a table to every workspace's full export (registering the same name again replaces it,
    so a module imported twice in tests stays harmless)."""
    if not name.replace("_", "").isalnum() or name.lower() != name:
        raise ValueError(f"export table names are lower-case words joined by '_': {name!r}")
    _TABLES[name] = ExportTable(name, description, rows_callable, tuple(columns))


def autodiscover() -> None:
    """Import every installed app's ``reports`` module (their registrations)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reports")


def export_tables() -> list[ExportTable]:
    return list(_TABLES.values())


def model_columns(model: type[models.Model], fields: Sequence[str], **described: str | Promise):
    """``(name, description)`` for each field, the description being the field's verbose name
    (``described`` overrides it, and names columns that are not model fields)."""
    columns = []
    for name in fields:
        if name in described:
            columns.append((name, described[name]))
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = model._meta.get_field(name.removesuffix("_id"))
        columns.append((name, field.verbose_name))
    return columns


def register_model_table(
    name: str,
    description: str | Promise,
    model: type[models.Model],
    *,
    workspace_path: str = "workspace",
    exclude: Sequence[str] = (),
    **described: str | Promise,
) -> None:
    """Register a model's rows of one workspace (``workspace_path``: the lookup from the model to
    its workspace, ``"thread__workspace"``) with every concrete column but the organisation and
    ``exclude`` (secrets, binary data). JSON values are written as JSON text."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname != "organization_id"
        and f.name not in exclude
        and f.attname not in exclude
        and not isinstance(f, models.BinaryField)
    ]
    json_fields = {f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)}
    positions = [i for i, name in enumerate(fields) if name in json_fields]

    def rows(*, organization, workspace):
        queryset = (
            model._default_manager.filter(organization=organization, **{workspace_path: workspace})
            .order_by("pk")
            .values_list(*fields)
        )
        for values in queryset.iterator(chunk_size=2000):
            row = list(values)
            for i in positions:
                row[i] = None if row[i] is None else json.dumps(row[i], ensure_ascii=False, sort_keys=True)
            yield row

    register_export_table(name, description, rows, columns=model_columns(model, fields, **described))


DICTIONARY_NAME = "data_dictionary.csv"
README_NAME = "README.txt"


def write_workspace_zip(
    target: Path | io.BufferedIOBase,
    *,
    organization: Organization,
    workspace: Workspace,
    tables: Sequence[ExportTable] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write the ZIP (call inside the organisation's scope). Returns the row count per table.

    Each CSV is streamed into the archive in the writer's 64 KB chunks: memory stays flat however
    large a table is."""
    tables = list(tables if tables is not None else export_tables())
    counts: dict[str, int] = {}
    zone = organization.time_zone
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(tables):
            header = [name for name, _description in table.columns]
            count = 0

            def counted(rows: Iterable[Sequence]):
                nonlocal count
                for row in rows:
                    count += 1
                    yield row

            rows = table.rows(organization=organization, workspace=workspace)
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                for chunk in csv_chunks(header, counted(rows), tz=zone):
                    member.write(chunk)
            counts[table.name] = count
            if progress:
                progress(index + 1, len(tables))
        dictionary = [[f"{table.name}.csv", "", str(table.description), counts[table.name]] for table in tables] + [
            [f"{table.name}.csv", column, str(description), ""]
            for table in tables
            for column, description in table.columns
        ]
        archive.writestr(
            DICTIONARY_NAME,
            b"".join(csv_chunks([_("File"), _("Column"), _("Meaning"), _("Rows")], dictionary, tz=zone)),
        )
        archive.writestr(README_NAME, _readme(organization, workspace, tables, counts))
    return counts


def _readme(organization: Organization, workspace: Workspace, tables: Sequence[ExportTable], counts) -> str:
    lines = [
        _("Over-Graph: full data export of the workspace %(workspace)s (%(organization)s).")
        % {"workspace": workspace.name, "organization": organization.name},
        _("Made on %(date)s (UTC).") % {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")},
        "",
        _(
            "One CSV file per table (UTF-8 with BOM, comma-separated). Times are ISO 8601 with their offset, "
            "in the organisation's time zone (%(zone)s). An empty cell is a value the network does not "
            "report (not available), never a zero. A cell starting with a quote (') was quoted so that "
            "a spreadsheet does not run it as a formula."
        )
        % {"zone": organization.time_zone},
        _("Every column is described in %(dictionary)s.") % {"dictionary": DICTIONARY_NAME},
        "",
    ]
    lines += [f"{table.name}.csv: {table.description} ({counts[table.name]})" for table in tables]
    return "\n".join(lines) + "\n"
