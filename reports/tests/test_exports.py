"""The full data export: a ZIP of CSV files (safe writer) with a data dictionary, progress,
expiry and the purge of expired files; other apps' tables through the registry."""

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from reports.exports import DICTIONARY_NAME, export_tables, register_export_table
from reports.models import DataExport
from reports.services.exports import export_build, export_create, exports_purge


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_export(tenancy) -> DataExport:
    with scope(organization=tenancy.org_a):
        export = export_create(organization=tenancy.org_a, workspace=tenancy.a1, actor=tenancy.bob)
    export_build(export_id=export.pk)
    with scopes_disabled():
        export.refresh_from_db()
    return export


def read_csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_it_exports_every_table_with_a_dictionary(tenancy, facts, media):
    with scope(organization=tenancy.org_a):
        post = facts["posts"]["x2"]
        post.text = '=HYPERLINK("http://evil")'
        post.save()
    export = make_export(tenancy)
    assert export.status == "done"
    assert export.progress_done == export.progress_total == len(export_tables())
    assert export.expires_at > timezone.now()
    with zipfile.ZipFile(export.file.path) as archive:
        names = set(archive.namelist())
        for table in ("accounts", "posts", "post_snapshots", "daily_metrics", "themes", "post_themes", "sync_runs"):
            assert f"{table}.csv" in names
        assert DICTIONARY_NAME in names and "README.txt" in names
        posts = read_csv(archive, "posts.csv")
        ids = {row[2] for row in posts[1:]}
        assert ids == {"x1", "x2", "xr", "x0", "i1"}  # A2's and B's posts are not there
        assert any(cell.startswith("'=HYPERLINK") for row in posts for cell in row)
        dictionary = read_csv(archive, DICTIONARY_NAME)
        described = {(row[0], row[1]) for row in dictionary[1:]}
        assert ("posts.csv", "published_at") in described
        assert all(row[2] for row in dictionary[1:])  # every column has a meaning
        daily = read_csv(archive, "daily_metrics.csv")
        assert len(daily) - 1 == export.row_counts["daily_metrics"] == 23
        # A metric not reported is an empty cell, never 0.
        header = daily[0]
        assert daily[1][header.index("reach")] == ""


def test_it_includes_registered_tables(tenancy, facts, media):
    def rows(*, organization, workspace):
        yield [workspace.name, "+1"]

    register_export_table("test_extra", "A table from another app", rows, columns=[("name", "Name"), ("v", "Value")])
    try:
        export = make_export(tenancy)
        with zipfile.ZipFile(export.file.path) as archive:
            assert read_csv(archive, "test_extra.csv") == [["name", "v"], ["A1", "'+1"]]
    finally:
        from reports import exports

        exports._TABLES.pop("test_extra")


def test_it_expires_and_deletes_the_file(tenancy, facts, media, login):
    export = make_export(tenancy)
    path = export.file.path
    url = reverse(
        "reports_export_download",
        kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk, "export_id": export.pk},
    )
    response = login(tenancy.dana).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert exports_purge(now=timezone.now()) == 0
    assert exports_purge(now=export.expires_at + dt.timedelta(seconds=1)) == 1
    with scopes_disabled():
        export.refresh_from_db()
    assert export.status == "expired" and not export.file
    assert not Path(path).exists()
    assert login(tenancy.alice).get(url).status_code == 410


def test_it_exports_the_other_apps_tables(tenancy, facts, media):
    """inbox, listening and campaigns register their tables (their reports.py): a workspace's rows
    only, credentials and voters' addresses left out."""
    from listening.models import Hit

    for workspace, external_id in ((tenancy.a1, "hit-a1"), (tenancy.a2, "hit-a2")):
        with scope(organization=tenancy.org_a):
            Hit.objects.create(
                organization=tenancy.org_a,
                workspace=workspace,
                network="instagram",
                external_id=external_id,
                published_at=timezone.now(),
                text="=cmd",
            )
    export = make_export(tenancy)
    with zipfile.ZipFile(export.file.path) as archive:
        names = set(archive.namelist())
        assert {"inbox_threads.csv", "inbox_messages.csv", "listening_hits.csv", "campaign_media.csv"} <= names
        hits = read_csv(archive, "listening_hits.csv")
        header = hits[0]
        assert [row[header.index("external_id")] for row in hits[1:]] == ["hit-a1"]
        assert hits[1][header.index("text")] == "'=cmd"
        assert "upload_nonce" not in read_csv(archive, "campaign_media.csv")[0]
        assert "ip_address" not in read_csv(archive, "campaign_votes.csv")[0]
        dictionary = {(row[0], row[1]) for row in read_csv(archive, DICTIONARY_NAME)[1:]}
        assert ("inbox_messages.csv", "text") in dictionary
