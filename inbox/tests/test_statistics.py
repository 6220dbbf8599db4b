"""Reactivity statistics on hand-built timelines: business hours, French public holidays, DST."""

import datetime as dt

from django_scopes import scope

from inbox.businesstime import Clock, easter_sunday, french_holidays
from inbox.models import InboxSettings
from inbox.statistics import Params, ReactivityQuery, percentile
from inbox.tests.conftest import make_thread, utc
from networks.tests.factories import make_account

PARIS = "Europe/Paris"


def test_it_knows_french_public_holidays():
    assert easter_sunday(2026) == dt.date(2026, 4, 5)
    holidays = french_holidays(2026)
    assert dt.date(2026, 4, 6) in holidays  # Easter Monday
    assert dt.date(2026, 5, 14) in holidays  # Ascension
    assert dt.date(2026, 5, 25) in holidays  # Whit Monday
    assert dt.date(2026, 7, 14) in holidays and len(holidays) == 11


def test_it_counts_business_hours_only_when_asked():
    clock = Clock(PARIS, business_hours=True)
    # Friday 17:00 Paris (16:00 UTC, winter) → Monday 10:00 Paris: 1 h Friday + 1 h Monday.
    assert clock.seconds_between(utc(2026, 11, 27, 16), utc(2026, 11, 30, 9)) == 2 * 3600
    assert Clock(PARIS).seconds_between(utc(2026, 11, 27, 16), utc(2026, 11, 30, 9)) == 65 * 3600


def test_it_skips_public_holidays_and_keeps_wall_clock_hours_across_dst():
    clock = Clock(PARIS, business_hours=True)
    # Sat 28 Mar 2026 → Tue 31 Mar: DST starts on Sunday 29; Monday 9-18 is still 9 hours.
    assert clock.seconds_between(utc(2026, 3, 28, 12), utc(2026, 3, 31, 7)) == 9 * 3600
    # Easter Monday 6 Apr 2026 is closed: Friday 18:00 → Tuesday 10:00 Paris = 1 hour.
    assert clock.seconds_between(utc(2026, 4, 3, 16), utc(2026, 4, 7, 8)) == 3600
    assert (
        Clock(PARIS, business_hours=True, holidays=False).seconds_between(utc(2026, 4, 3, 16), utc(2026, 4, 7, 8))
        == 10 * 3600
    )


def test_it_interpolates_percentiles():
    assert percentile([], 0.5) is None
    assert percentile([60, 120, 180, 240], 0.5) == 150
    assert percentile(list(range(1, 11)), 0.9) == 9.1


def test_it_computes_the_period_previous_period_and_breakdowns(tenancy):
    account = make_account(tenancy.a1, network="facebook", external_id="p1")
    day = dt.date(2026, 11, 24)  # Tuesday
    # Three threads in the period: answered in 30 min, in 3 h, and not answered.
    make_thread(tenancy.a1, account, key="a", inbound=[utc(2026, 11, 24, 9)], outbound=[utc(2026, 11, 24, 9, 30)])
    make_thread(tenancy.a1, account, key="b", inbound=[utc(2026, 11, 25, 9)], outbound=[utc(2026, 11, 25, 12)])
    make_thread(tenancy.a1, account, key="c", inbound=[utc(2026, 11, 26, 9)])
    # One in the previous week, answered in 10 minutes.
    make_thread(tenancy.a1, account, key="d", inbound=[utc(2026, 11, 17, 9)], outbound=[utc(2026, 11, 17, 9, 10)])
    with scope(organization=tenancy.org_a):
        InboxSettings.objects.create(organization=tenancy.org_a, workspace=tenancy.a1, response_target_minutes=60)
        stats = ReactivityQuery(tenancy.a1, Params(day, day + dt.timedelta(days=6))).run(utc(2026, 11, 30, 12))
    assert (stats.current.threads, stats.current.answered) == (3, 2)
    assert stats.current.median_seconds == (30 * 60 + 3 * 3600) / 2
    assert stats.current.within_target == 1 and round(stats.current.within_target_share, 3) == 0.333
    assert (stats.previous.threads, stats.previous.median_seconds) == (1, 600)
    assert dict(stats.by_network)["facebook"].threads == 3
    assert stats.unanswered_by_age[-1][1] == 1  # more than 3 days


def test_it_says_not_available_rather_than_zero(tenancy):
    with scope(organization=tenancy.org_a):
        stats = ReactivityQuery(tenancy.a1, Params(dt.date(2026, 11, 1), dt.date(2026, 11, 7))).run(
            utc(2026, 11, 30, 12)
        )
    assert stats.current.threads == 0
    assert stats.current.median_seconds is None and stats.current.response_rate is None


def test_it_gives_the_spike_detector_its_daily_series(tenancy):
    from analytics import spikes
    from inbox.series import inbound_daily, negative_share_daily

    account = make_account(tenancy.a1, network="facebook", external_id="p1")
    make_thread(tenancy.a1, account, key="a", inbound=[utc(2026, 11, 24, 9), utc(2026, 11, 24, 23, 30)])
    # 23:30 UTC on the 24th is 00:30 on the 25th in Paris (UTC+1 in November): local days count.
    tenancy.org_a.time_zone = "Europe/Paris"
    days = inbound_daily(tenancy.org_a, tenancy.a1, dt.date(2026, 11, 23), dt.date(2026, 11, 25))
    assert days == {dt.date(2026, 11, 23): 0.0, dt.date(2026, 11, 24): 1.0, dt.date(2026, 11, 25): 1.0}
    assert negative_share_daily(tenancy.org_a, None, dt.date(2026, 11, 23), dt.date(2026, 11, 25)) is not None
    assert {"inbox.inbound", "inbox.negative_share"} <= set(spikes._SOURCES)
