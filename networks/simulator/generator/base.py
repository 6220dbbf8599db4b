"""Random streams, seasonality, engagement curves and audience growth."""

from __future__ import annotations

import hashlib
import math
import random
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from networks.simulator.world import HISTORY_START, Persona

DAY = timedelta(days=1)
# Weekday weights (Mon..Sun) of activity: people read and react more on weekdays' evenings and
# Sunday; an account posts less at weekends.
AUDIENCE_WEEKDAY = (1.0, 1.02, 1.05, 1.0, 0.95, 0.8, 0.9)
POSTING_WEEKDAY = (1.15, 1.15, 1.2, 1.15, 1.1, 0.6, 0.45)


def stream(seed: int, *keys: object) -> random.Random:
    """An independent random stream for one (seed, keys…) tuple — cheap random access."""
    digest = hashlib.blake2b(repr((seed, *keys)).encode(), digest_size=8).digest()
    # S311: simulated content, not security.
    return random.Random(int.from_bytes(digest, "big"))  # noqa: S311


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def days_since_start(day: date) -> int:
    return (day - HISTORY_START).days


def posting_time(rng: random.Random, day: date, utc_offset_hours: int) -> datetime:
    """A publication time on ``day`` following a CM's working day (peaks at 9h, 12h and 18h local)."""
    peak = rng.choices((8.5, 12.0, 17.5, 20.0), weights=(4, 3, 3, 1))[0]
    local_hour = min(22.9, max(7.0, rng.gauss(peak, 1.1)))
    return day_start(day) + timedelta(hours=local_hour - utc_offset_hours, seconds=rng.randrange(60))


def engagement_fraction(age: timedelta) -> float:
    """Share of a post's lifetime engagement reached at ``age``: most in the first hours/day, then a tail."""
    hours = max(0.0, age.total_seconds() / 3600)
    return 0.82 * (1 - math.exp(-hours / 5.0)) + 0.18 * (1 - math.exp(-hours / 96.0))


@lru_cache(maxsize=65536)  # 40 steps each; a post's n-th of m comments is asked for again and again
def age_for_fraction(fraction: float) -> timedelta:
    """Inverse of ``engagement_fraction`` (bisection): when the n-th comment of a post arrives."""
    low, high = 0.0, 24.0 * 90
    for _ in range(40):
        mid = (low + high) / 2
        if engagement_fraction(timedelta(hours=mid)) < fraction:
            low = mid
        else:
            high = mid
    return timedelta(hours=high)


WEEK_WEIGHT = sum(AUDIENCE_WEEKDAY)
EVENT_BLOCK_WEEKS = 52


def _cumulative_weight(day: date) -> float:
    """Sum of the weekday weights of the days from HISTORY_START through ``day`` (closed form)."""
    days = (day - HISTORY_START).days + 1
    if days <= 0:
        return 0.0
    weeks, rest = divmod(days, 7)
    first = HISTORY_START.weekday()
    return weeks * WEEK_WEIGHT + sum(AUDIENCE_WEEKDAY[(first + i) % 7] for i in range(rest))


@lru_cache(maxsize=16384)
def _event_block(seed: int, persona: Persona, network: str, block: int) -> tuple[tuple[int, float], ...]:
    """(day number, followers gained) of the audience bursts of 52 weeks: a fête, a launch, a press article."""
    base = persona.followers.get(network, 0)
    events = []
    for week in range(block * EVENT_BLOCK_WEEKS, (block + 1) * EVENT_BLOCK_WEEKS):
        rng = stream(seed, persona.key, network, "event", week)
        if rng.random() < 0.2:
            events.append((week * 7 + rng.randrange(7), base * rng.uniform(0.002, 0.008)))
    return tuple(events)


@lru_cache(maxsize=16384)
def _events_before_block(seed: int, persona: Persona, network: str, block: int) -> float:
    if block <= 0:
        return 0.0
    previous = _event_block(seed, persona, network, block - 1)
    return _events_before_block(seed, persona, network, block - 1) + sum(size for _, size in previous)


@lru_cache(maxsize=65536)
def followers_end_of_day(seed: int, persona: Persona, network: str, day: date) -> int:
    """Audience at the end of ``day``: trend with a weekday rhythm, bursts, and a little daily noise.

    Closed form (no day-by-day integration), so a cold account answers any date in constant time.
    """
    base = persona.followers.get(network, 0)
    per_weight = persona.yearly_growth.get(network, 0.0) * base / 365.0 / (WEEK_WEIGHT / 7)
    number = (day - HISTORY_START).days
    total = base + per_weight * _cumulative_weight(day)
    if number >= 0:
        block = number // (7 * EVENT_BLOCK_WEEKS)
        total += _events_before_block(seed, persona, network, block)
        total += sum(size for event_day, size in _event_block(seed, persona, network, block) if event_day <= number)
    noise = stream(seed, persona.key, network, "noise", day.toordinal()).gauss(0, max(1.0, base * 0.0002))
    return max(0, round(total + noise))


def followers_at(seed: int, persona: Persona, network: str, moment: datetime) -> int:
    """Audience at an instant: yesterday's close plus the elapsed share of today's change."""
    day = moment.astimezone(UTC).date()
    before = followers_end_of_day(seed, persona, network, day - DAY)
    after = followers_end_of_day(seed, persona, network, day)
    elapsed = (moment - day_start(day)).total_seconds() / 86400
    return round(before + (after - before) * elapsed)


def follows_unfollows(seed: int, persona: Persona, network: str, day: date) -> tuple[int, int]:
    """Daily follows and unfollows whose difference is exactly the audience change of that day."""
    net = followers_end_of_day(seed, persona, network, day) - followers_end_of_day(seed, persona, network, day - DAY)
    rng = stream(seed, persona.key, network, "churn", day.toordinal())
    base = persona.followers.get(network, 0)
    unfollows = max(0, round(base * rng.uniform(0.0002, 0.0007)))
    follows = unfollows + net
    if follows < 0:
        follows, unfollows = rng.randrange(0, 4), rng.randrange(0, 4) - net
    return follows, unfollows


def activity_factor(seed: int, persona: Persona, network: str, day: date) -> float:
    """Reach/engagement multiplier of a day: weekday pattern, season, noise and rare viral days."""
    rng = stream(seed, persona.key, network, "activity", day.toordinal())
    season = 1.0 + 0.15 * math.sin((day.timetuple().tm_yday - 80) / 365 * 2 * math.pi)
    if persona.kind == "event" and day.month == 12:
        season *= 2.5
    factor = AUDIENCE_WEEKDAY[day.weekday()] * season * rng.lognormvariate(0, 0.18)
    if rng.random() < 0.02:
        factor *= rng.uniform(3, 8)
    return factor
