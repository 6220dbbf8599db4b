"""Share links: signed, expiring, revocable, read-only, and opening their own report only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from reports.models import Report, ReportShare
from reports.services.shares import share_create, share_revoke, share_token


@pytest.fixture
def reports(tenancy, settings, tmp_path):
    """Two built reports of A1 (written directly: these tests are about the link, not the build)."""
    settings.MEDIA_ROOT = tmp_path
    made = []
    with scope(organization=tenancy.org_a):
        for title in ("First report", "Second report"):
            report = Report.objects.create(
                organization=tenancy.org_a,
                workspace=tenancy.a1,
                title=title,
                period_start=dt.date(2026, 11, 1),
                period_end=dt.date(2026, 11, 10),
                status=Report.Status.DONE,
                html=f"<article class='report-doc'><h1>{title}</h1></article>",
                language="en",
            )
            from django.core.files.base import ContentFile

            report.pdf.save(f"r{report.pk}.pdf", ContentFile(b"%PDF-1.7 " + title.encode()), save=True)
            made.append(report)
    return made


def link(share) -> str:
    return reverse("reports_shared", kwargs={"token": share_token(share)})


def test_it_opens_the_report_without_an_account(tenancy, reports, client):
    with scope(organization=tenancy.org_a):
        share = share_create(report=reports[0], actor=tenancy.alice)
    response = client.get(link(share))
    assert response.status_code == 200
    page = response.content.decode()
    assert "First report" in page and "Second report" not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    pdf = client.get(reverse("reports_shared_pdf", kwargs={"token": share_token(share)}))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).endswith(b"First report")
    with scopes_disabled():
        assert ReportShare.objects.get(pk=share.pk).views == 2


def test_it_refuses_a_forged_or_edited_link(tenancy, reports, client):
    with scope(organization=tenancy.org_a):
        share = share_create(report=reports[0], actor=tenancy.alice)
        other = share_create(report=reports[1], actor=tenancy.alice)
    token = share_token(share)
    value, signature = token.rsplit(":", 1)
    # Another share's key with this link's signature, an unsigned key, a garbled signature: 404.
    forged = [f"{other.key}:{signature}", str(share.key), f"{value}:{signature[:-2]}xx", "nothing"]
    for bad in forged:
        assert client.get(reverse("reports_shared", kwargs={"token": bad})).status_code == 404, bad


def test_it_stops_when_expired_or_revoked(tenancy, reports, client):
    with scope(organization=tenancy.org_a):
        expired = share_create(report=reports[0], actor=tenancy.alice)
        ReportShare.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        revoked = share_create(report=reports[0], actor=tenancy.alice)
        share_revoke(share=revoked, actor=tenancy.alice)
    for share in (expired, revoked):
        response = client.get(link(share))
        assert response.status_code == 410
        assert "First report" not in response.content.decode()
        assert client.get(reverse("reports_shared_pdf", kwargs={"token": share_token(share)})).status_code == 410


def test_it_revokes_from_the_report_page(tenancy, reports, login, client):
    with scope(organization=tenancy.org_a):
        share = share_create(report=reports[0], actor=tenancy.alice)
    url = reverse(
        "reports_share_revoke",
        kwargs={
            "org": tenancy.org_a.slug,
            "workspace_id": tenancy.a1.pk,
            "report_id": reports[0].pk,
            "share_id": share.pk,
        },
    )
    # Through another report's address: 404, nothing revoked.
    wrong = url.replace(f"/{reports[0].pk}/shares/", f"/{reports[1].pk}/shares/")
    assert login(tenancy.alice).post(wrong).status_code == 404
    assert client.get(link(share)).status_code == 200
    assert login(tenancy.alice).post(url).status_code == 302
    assert client.get(link(share)).status_code == 410


def test_it_reloads_the_page_when_the_poll_sees_the_report_ready(tenancy, reports, login):
    url = reverse(
        "reports_detail", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk, "report_id": reports[0].pk}
    )
    response = login(tenancy.dana).get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    with scope(organization=tenancy.org_a):
        Report.objects.filter(pk=reports[0].pk).update(status=Report.Status.RUNNING, progress_done=2, progress_total=4)
    fragment = login(tenancy.dana).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="50"' in fragment and "hx-trigger" in fragment
