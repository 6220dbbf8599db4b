"""Fixtures of the reports tests: workspace A1 of the tenancy cast with two accounts (X and
Instagram) and hand-countable facts, and one Chromium for the whole session (kaleido's sync
server, started on first use), so only the first report of a run pays the browser's start."""

import datetime as dt

import pytest
from django_scopes import scope

from analytics.tests.factories import make_account
from analytics.tests.query_fixtures import at, make_daily, make_post, make_snapshot
from reports.models import Report
from reports.services.build import report_build, report_create

PERIOD_START, PERIOD_END = dt.date(2026, 11, 1), dt.date(2026, 11, 10)


@pytest.fixture(scope="session")
def chart_server():
    """kaleido's browser, shared by every test that renders charts (stopped at the end)."""
    from reports.rendering import CHROMIUM

    if not CHROMIUM.exists():
        yield None
        return
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    yield kaleido
    kaleido.stop_sync_server(silence_warnings=True)


@pytest.fixture
def facts(tenancy):
    """A1: an X account and an Instagram account with posts in 1-10 Nov 2026 and the previous
    period; A2 and B get posts too (they must never show in A1's report)."""
    x = make_account(tenancy.a1, network="x", external_id="r-x")
    ig = make_account(tenancy.a1, network="instagram", external_id="r-ig")
    other = make_account(tenancy.a2, network="x", external_id="r-a2")
    b = make_account(tenancy.b1, network="x", external_id="r-b")
    posts = {
        "x1": make_post(
            x, "x1", at(3, 9), likes=120, comments=8, shares=30, quotes=2, views=15000, text="Marché de Noël"
        ),
        "x2": make_post(x, "x2", at(5, 18), likes=40, comments=1, views=4000, text="Travaux rue Gallieni"),
        "xr": make_post(x, "xr", at(6, 10), kind="repost", original_metrics={"likes": 9000}),
        "x0": make_post(x, "x0", at(25, 12, month=10), likes=50, views=5000),
        "i1": make_post(ig, "i1", at(4, 12), content_type="photo", likes=300, comments=25, saves=12, views=9000),
        "a2": make_post(other, "a2", at(4, 12), likes=7777, views=10000),
        "b1": make_post(b, "b1", at(3, 9), likes=8888, views=10000),
    }
    make_snapshot(posts["x1"], at(3, 10), likes=50, views=5000)
    make_daily(x, dt.date(2026, 10, 21), followers=2000)
    make_daily(x, dt.date(2026, 10, 31), followers=2100)
    for day in range(1, 11):
        make_daily(x, dt.date(2026, 11, day), followers=2100 + 15 * day, follows=20, unfollows=5)
        make_daily(ig, dt.date(2026, 11, day), followers=800 + 4 * day)
    make_daily(ig, dt.date(2026, 10, 31), followers=790)
    return {"x": x, "ig": ig, "posts": posts}


def build_report(tenancy, *, user=None, language="en", sections=None, comparison="previous") -> Report:
    from analytics.queries.params import Period
    from reports.sections import default_section_keys

    with scope(organization=tenancy.org_a):
        report = report_create(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            actor=user or tenancy.alice,
            period=Period(PERIOD_START, PERIOD_END),
            sections=sections or default_section_keys(),
            comparison=comparison,
            language=language,
            queue=False,
        )
    report_build(report_id=report.pk)
    with scope(organization=tenancy.org_a):
        report.refresh_from_db()
    return report
