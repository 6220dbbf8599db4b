"""The PDF report: built through the task's service with real charts (kaleido + Chromium, one
browser for the session), its text extracted with pdftotext, key numbers equal to the analytics
query layer's (the dashboard's), and the web page showing the same document."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from analytics.models import Post
from analytics.queries import OverviewQuery
from analytics.queries.params import Filters, Period
from analytics.templatetags.analytics import metric, percent
from analytics.tests.query_fixtures import membership
from reports.tests.conftest import PERIOD_END, PERIOD_START, build_report

PDFTOTEXT, PDFTOPPM = shutil.which("pdftotext"), shutil.which("pdftoppm")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext missing: apt-get install poppler-utils")


def spaces(text: str) -> str:
    """Thousands separators (no-break spaces in French) read back as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def pdf_text(report) -> str:
    return spaces(
        subprocess.run(  # noqa: S603 (fixed arguments, a file we wrote)
            [PDFTOTEXT, "-layout", report.pdf.path, "-"], check=True, capture_output=True, text=True
        ).stdout
    )


def overview(tenancy):
    with scope(organization=tenancy.org_a):
        return OverviewQuery(
            tenancy.org_a,
            membership=membership(tenancy.alice, tenancy.org_a),
            period=Period(PERIOD_START, PERIOD_END),
            filters=Filters(workspace_id=tenancy.a1.pk),
        ).run()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_prints_the_dashboards_numbers(tenancy, facts, chart_server, media):
    report = build_report(tenancy, language="en")
    assert report.status == "done", report.error
    assert report.chart_renderer in ("kaleido", "matplotlib")
    text = pdf_text(report)
    result = overview(tenancy)
    with translation.override("en"):
        expected = {
            "audience": spaces(str(metric(result.total.audience.current))),
            "engagements": str(metric(result.total.engagements.current)),
            "views": str(metric(result.total.views.current)),
            "rate": str(percent(result.total.engagement_rate.current)),
            "previous engagements": str(metric(result.total.engagements.previous)),
        }
    # Hand-counted: X 2,250 + Instagram 840 followers; engagements 160 + 41 (X) + 337 (Instagram).
    assert result.total.audience.current == 3090
    assert result.total.engagements.current == 538
    for name, value in expected.items():
        assert value in text, f"{name} {value} missing from the PDF"
    assert "Executive summary" in text and "Definitions" in text
    assert "Instagram" in text and "Marché de Noël" in text
    # Other workspaces and tenants never leak into the report.
    assert "7,777" not in text and "8,888" not in text
    # Sections no app provides yet say so instead of showing a zero.
    assert text.count("Not available for this workspace and period.") >= 4
    assert report.pdf_pages >= 5


def test_it_writes_french(tenancy, facts, chart_server, media):
    report = build_report(tenancy, language="fr", sections=["summary", "definitions"], comparison="none")
    text = pdf_text(report)
    with translation.override("fr"):
        audience = spaces(str(metric(overview(tenancy).total.audience.current)))
    assert audience in text  # "3 090" with the French separator
    assert "Previous period" not in text


def test_it_shows_the_same_document_on_the_web(tenancy, facts, chart_server, media, login):
    report = build_report(tenancy, language="en", sections=["summary", "top_posts"])
    url = reverse(
        "reports_detail", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk, "report_id": report.pk}
    )
    page = login(tenancy.bob).get(url).content.decode()
    assert report.html in page
    assert "538" in page
    response = login(tenancy.dana).get(url + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_it_renders_a_page_to_png(tenancy, facts, chart_server, media, tmp_path):
    if PDFTOPPM is None:
        pytest.skip("pdftoppm missing: apt-get install poppler-utils")
    report = build_report(tenancy, language="en", sections=["summary"])
    subprocess.run(  # noqa: S603 (fixed arguments, a file we wrote)
        [PDFTOPPM, "-png", "-r", "50", "-f", "2", "-l", "2", report.pdf.path, str(tmp_path / "page")], check=True
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].stat().st_size > 5000


def test_it_falls_back_to_matplotlib(tenancy, facts, media, monkeypatch):
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    report = build_report(tenancy, language="en", sections=["audience", "best_times"])
    assert report.status == "done"
    assert report.chart_renderer == "matplotlib"
    assert "data:image/png;base64," in report.html


def test_it_embeds_the_top_posts_pictures(tenancy, facts, media, sim, monkeypatch):
    """The picture is fetched once at build time (from the network simulator's CDN here) and
    embedded; a URL whose signature expired shows "No picture" instead."""
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    valid = int((sim.now + dt.timedelta(days=1)).timestamp())
    expired = int((sim.now - dt.timedelta(days=1)).timestamp())
    with scope(organization=tenancy.org_a):
        Post.objects.filter(pk=facts["posts"]["i1"].pk).update(media_url=f"{sim.url}/v/sim/1701.jpg?oe={valid:x}")
        Post.objects.filter(pk=facts["posts"]["x1"].pk).update(media_url=f"{sim.url}/v/sim/1702.jpg?oe={expired:x}")
    report = build_report(tenancy, language="en", sections=["top_posts"])
    assert report.html.count("data:image/jpeg;base64,") == 1
    assert "No picture" in report.html


def test_it_adds_the_forecasts_once_computed(tenancy, facts, media, monkeypatch):
    """The forecasts section reads analytics.forecasting's stored forecasts; before any is
    computed it says "not available" (as do sections no installed app feeds yet)."""
    from analytics.forecasting.models import Forecast, ForecastMetric

    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    before = build_report(tenancy, language="en", sections=["forecasts"])
    assert "Not available for this workspace and period." in before.html
    points = [
        {
            "date": (dt.date(2026, 11, 11) + dt.timedelta(days=i)).isoformat(),
            "mean": 2300.0 + 10 * i,
            "lo80": 2280.0 + 10 * i,
            "hi80": 2320.0 + 10 * i,
            "lo95": 2260.0 + 10 * i,
            "hi95": 2340.0 + 10 * i,
        }
        for i in range(30)
    ]
    with scope(organization=tenancy.org_a):
        Forecast.objects.create(
            organization=tenancy.org_a,
            account=facts["x"],
            metric=ForecastMetric.FOLLOWERS,
            status=Forecast.Status.READY,
            last_date=dt.date(2026, 11, 10),
            horizon=30,
            history_days=21,
            points=points,
        )
    after = build_report(tenancy, language="en", sections=["forecasts"])
    assert "Not available for this workspace and period." not in after.html
    assert "Followers over the next 30 days" in after.html
    assert after.html.count("data:image/png;base64,") == 1


def test_it_adds_listening_and_reactivity_from_their_apps(tenancy, facts, media, monkeypatch):
    """listening and inbox plug their sections in (their reports.py): the numbers of the period."""
    from inbox.models import Thread
    from listening.models import Hit, Watch, WatchMatch

    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    received = dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.UTC)
    with scope(organization=tenancy.org_a):
        Thread.objects.create(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            account=facts["ig"],
            network="instagram",
            kind="comment",
            external_id="t1",
            first_inbound_at=received,
            first_response_at=received + dt.timedelta(minutes=30),
        )
        watch = Watch.objects.create(organization=tenancy.org_a, workspace=tenancy.a1, name="Noël", rule="#noel")
        hit = Hit.objects.create(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            network="instagram",
            external_id="h1",
            published_at=received,
            author_handle="fan",
        )
        WatchMatch.objects.create(organization=tenancy.org_a, watch=watch, hit=hit, published_at=received)
    report = build_report(tenancy, language="en", sections=["listening", "reactivity"])
    assert "Not available for this workspace and period." not in report.html
    assert "Conversations received" in report.html and "Posts found" in report.html
    assert "@fan" in report.html
