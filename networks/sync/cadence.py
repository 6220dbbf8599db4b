"""How often each thing is read again: pure functions of ages and times, no database.

Posts are read often while young and less as they age, like OpenPost's schedule: engagement
comes mostly in the first day (the simulator's curves put 82 % there, as real posts do), so a
young post is re-read hourly, then every few hours, then daily, and no more after
``POST_STOP_AFTER``. A post whose counters did not move since its last read waits longer.
``slowdown`` (≥ 1) stretches every interval: the X read budget running out, or a network's
announced usage approaching its limit.
"""

import datetime as dt
import random

from networks.models import SyncKind

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# (maximum age, interval) by age of the post; beyond the last age a post is no longer refreshed.
POST_REFRESH_STEPS: tuple[tuple[dt.timedelta, dt.timedelta], ...] = (
    (DAY, HOUR),
    (3 * DAY, 3 * HOUR),
    (7 * DAY, 8 * HOUR),
    (30 * DAY, DAY),
)
POST_STOP_AFTER = POST_REFRESH_STEPS[-1][0]
# Unchanged at the last read: wait twice as long; unchanged for more than a day: four times.
QUIET_FACTOR = 2.0
LONG_QUIET = DAY
LONG_QUIET_FACTOR = 4.0

# How often each kind of account sync runs when nothing slows it down.
KIND_INTERVALS: dict[str, dt.timedelta] = {
    SyncKind.POSTS: dt.timedelta(minutes=30),
    SyncKind.POST_METRICS: dt.timedelta(minutes=15),
    SyncKind.CONVERSATIONS: dt.timedelta(minutes=5),
}
# Meta closes a Pacific day at 07:00/08:00 UTC and its values may lag a little: the daily sync
# runs once a day after that.
DAILY_AT = dt.time(10, 0, tzinfo=dt.UTC)

# Transient failures: exponential backoff with full jitter, capped.
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = HOUR


def post_next_refresh(
    *,
    published_at: dt.datetime,
    now: dt.datetime,
    changed: bool,
    last_changed_at: dt.datetime | None = None,
    slowdown: float = 1.0,
) -> dt.datetime | None:
    """When to read a post's metrics next, or None to stop refreshing it."""
    age = now - published_at
    if age >= POST_STOP_AFTER:
        return None
    interval = next(step for limit, step in POST_REFRESH_STEPS if age < limit)
    if not changed:
        quiet_since = last_changed_at or published_at
        interval *= LONG_QUIET_FACTOR if now - quiet_since > LONG_QUIET else QUIET_FACTOR
    interval *= max(1.0, slowdown)
    # One last read at the stop age, then none (the call above returns None from there on).
    return min(now + interval, published_at + POST_STOP_AFTER)


def next_daily(now: dt.datetime) -> dt.datetime:
    """The next daily sync: tomorrow at DAILY_AT (UTC)."""
    today = dt.datetime.combine(now.date(), DAILY_AT)
    return today if today > now + HOUR else dt.datetime.combine(now.date() + DAY, DAILY_AT)


def next_due(kind: str, now: dt.datetime, *, slowdown: float = 1.0) -> dt.datetime:
    """When a successful sync of ``kind`` runs again."""
    if kind == SyncKind.DAILY:
        return next_daily(now)
    return now + KIND_INTERVALS[kind] * max(1.0, slowdown)


def backoff(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """Delay before retry number ``attempts`` (1, 2, …): full jitter over an exponential ceiling
    (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), at least a second."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    return max(dt.timedelta(seconds=1), ceiling * (rng or random).random())


def budget_slowdown(used: int, cap: int | None) -> float:
    """How much to stretch X polling as the month's read budget runs out (inf: stop reading)."""
    if not cap:
        return 1.0
    share = used / cap
    if share >= 1:
        return float("inf")
    if share >= 0.9:
        return 8.0
    if share >= 0.75:
        return 4.0
    if share >= 0.5:
        return 2.0
    return 1.0


def usage_slowdown(percent: float | None) -> float:
    """Meta announces usage in percent of the limit; X's remaining calls are turned into a percent
    by the caller. Slow down before the 429 comes."""
    if percent is None or percent < 75:
        return 1.0
    if percent < 90:
        return 2.0
    return 4.0
