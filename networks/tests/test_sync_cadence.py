"""The cadence policy: pure functions, no database."""

import datetime as dt
import random

from networks.models import SyncKind
from networks.sync import cadence

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def refresh(age: dt.timedelta, **extra) -> dt.timedelta | None:
    moment = cadence.post_next_refresh(published_at=NOW - age, now=NOW, changed=extra.pop("changed", True), **extra)
    return None if moment is None else moment - NOW


def test_it_reads_young_posts_hourly_then_less_and_less():
    assert refresh(dt.timedelta(hours=2)) == dt.timedelta(hours=1)
    assert refresh(dt.timedelta(days=2)) == dt.timedelta(hours=3)
    assert refresh(dt.timedelta(days=5)) == dt.timedelta(hours=8)
    assert refresh(dt.timedelta(days=20)) == dt.timedelta(days=1)


def test_it_stops_after_the_set_age_with_a_last_read_at_it():
    assert refresh(dt.timedelta(days=29, hours=20)) == dt.timedelta(hours=4)  # once more, at 30 days
    assert refresh(cadence.POST_STOP_AFTER) is None


def test_it_waits_longer_when_nothing_changed():
    assert refresh(dt.timedelta(hours=2), changed=False, last_changed_at=NOW - dt.timedelta(hours=1)) == dt.timedelta(
        hours=2
    )
    quiet = refresh(dt.timedelta(days=5), changed=False, last_changed_at=NOW - dt.timedelta(days=3))
    assert quiet == dt.timedelta(hours=32)


def test_it_stretches_everything_when_slowed_down():
    assert refresh(dt.timedelta(hours=2), slowdown=4) == dt.timedelta(hours=4)
    assert cadence.next_due(SyncKind.POSTS, NOW, slowdown=2) - NOW == 2 * cadence.KIND_INTERVALS[SyncKind.POSTS]


def test_it_runs_the_daily_sync_after_meta_closed_the_pacific_day():
    assert cadence.next_daily(NOW) == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    assert cadence.next_daily(NOW.replace(hour=3)) == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def test_it_backs_off_exponentially_with_jitter_and_a_cap():
    rng = random.Random(4)
    for attempts in range(1, 12):
        delay = cadence.backoff(attempts, rng=rng)
        assert dt.timedelta(seconds=1) <= delay <= min(cadence.BACKOFF_CAP, cadence.BACKOFF_BASE * 2 ** (attempts - 1))
    assert len({cadence.backoff(3, rng=rng) for _ in range(5)}) > 1  # jittered


def test_it_slows_x_polling_as_the_budget_runs_out():
    assert [cadence.budget_slowdown(used, 100) for used in (10, 50, 75, 90, 100)] == [1, 2, 4, 8, float("inf")]
    assert cadence.budget_slowdown(10**9, None) == 1.0  # no cap
    assert [cadence.usage_slowdown(p) for p in (None, 10, 80, 95)] == [1, 1, 2, 4]
