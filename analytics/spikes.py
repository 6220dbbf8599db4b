"""Spike and crisis alerts: a robust seasonal baseline per daily series, and an alert when a day
leaves it (contract C2).

Apps register the daily series they own at start-up (``AppConfig.ready``)::

    register_series_source(SeriesSource(key="inbox.inbound", label=_("Messages received"),
                                        daily=inbound_per_day, drivers=inbound_drivers))

``daily(organization, workspace, start, end)`` returns ``{date: value}`` (a missing date is "no
data", not 0) and ``drivers(organization, workspace, day)`` the posts, hashtags and authors behind
a day (``[{kind, label, url, count}]``). analytics never imports those apps: it only calls what
they registered.

The baseline (``detect``) is built from the last eight weeks before the day:

- a weekday profile: the median of each weekday divided by the median of all days, so Monday's
  usual rush is not a spike;
- a level: the median of the last 14 deseasonalised days, so a slow trend moves the baseline
  along instead of alerting;
- a spread: 1.4826 x the median absolute deviation of the last 28 deseasonalised days (a robust
  standard deviation: one past spike does not widen it), floored by Poisson noise for counts.

A day alerts when it exceeds the baseline by more than ``z`` spreads *and* by a relative (counts)
or absolute (shares) margin; both depend on the workspace's sensitivity. Only upward moves alert:
a storm is more messages or a larger negative share, not fewer. The false-alarm rate of each
sensitivity is measured in ``analytics/spikes_evaluation.py`` (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

HISTORY_DAYS = 56
MIN_HISTORY_DAYS = 21
LEVEL_DAYS = 14
SPREAD_DAYS = 28
MIN_SHARE_VOLUME = 10


@dataclass(frozen=True)
class SeriesSource:
    key: str  # "inbox.inbound", "inbox.negative_share", "listening.hits", ...
    label: str  # gettext_lazy label
    daily: Callable[..., dict[dt.date, float]]  # daily(organization, workspace, start, end) -> {date: value}
    drivers: Callable[..., list[dict]]  # drivers(organization, workspace, day) -> [{kind, label, url, count}]
    kind: str = "count"  # "count" (Poisson noise floor, relative margin) or "share" (0..1, absolute margin)
    # For a share: the key of the count series it is a share of. A day with fewer than
    # MIN_SHARE_VOLUME of them never alerts (1 negative message out of 2 is no storm).
    volume_key: str | None = None


_SOURCES: dict[str, SeriesSource] = {}


def register_series_source(source: SeriesSource) -> None:
    """Register (or replace, for tests and reloads) the daily series ``source.key``."""
    if source.kind not in ("count", "share"):
        raise ValueError(f"unknown series kind {source.kind!r} for {source.key}")
    _SOURCES[source.key] = source


def unregister_series_source(key: str) -> None:
    _SOURCES.pop(key, None)


def series_sources() -> list[SeriesSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def series_source(key: str) -> SeriesSource | None:
    return _SOURCES.get(key)


@dataclass(frozen=True)
class Sensitivity:
    z: float  # spreads above the baseline
    relative_margin: float  # counts: at least this fraction above the baseline
    absolute_margin: float  # counts: at least this many above; shares: this many points (0..1)


SENSITIVITIES: dict[str, Sensitivity] = {
    "low": Sensitivity(z=6.0, relative_margin=1.0, absolute_margin=10),
    "medium": Sensitivity(z=4.5, relative_margin=0.5, absolute_margin=5),
    "high": Sensitivity(z=3.5, relative_margin=0.3, absolute_margin=3),
}
SHARE_MARGIN = {"low": 0.2, "medium": 0.12, "high": 0.08}


@dataclass(frozen=True)
class Baseline:
    expected: float
    spread: float
    history_days: int


@dataclass(frozen=True)
class Detection:
    day: dt.date
    observed: float
    expected: float
    spread: float
    score: float  # (observed - expected) / spread
    is_spike: bool


@dataclass
class _Window:
    values: dict[dt.date, float]
    day: dt.date
    days: list[dt.date] = field(init=False)

    def __post_init__(self) -> None:
        start = self.day - dt.timedelta(days=HISTORY_DAYS)
        self.days = [d for d in sorted(self.values) if start <= d < self.day and self.values[d] is not None]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def baseline(series: dict[dt.date, float], day: dt.date, *, kind: str = "count") -> Baseline | None:
    """The expected value of ``day`` and its robust spread from the eight weeks before it, or None
    when fewer than three weeks of history exist (no guess)."""
    window = _Window(series, day)
    if len(window.days) < MIN_HISTORY_DAYS:
        return None
    values = [float(series[d]) for d in window.days]
    overall = _median(values)
    weekday_medians: dict[int, float | None] = {}
    for weekday in range(7):
        same = [float(series[d]) for d in window.days if d.weekday() == weekday]
        weekday_medians[weekday] = _median(same) if len(same) >= 3 else None  # too few: neutral
    # Multiplicative weekday profile for positive series (counts); additive when a weekday sits near
    # zero or below (a net follower gain, a closed-on-Sunday service), where a ratio means nothing
    # and a tiny factor would shrink the spread to nothing.
    multiplicative = overall > 0 and all(m is None or m >= 0.25 * overall for m in weekday_medians.values())
    if multiplicative:
        factors = {w: (m / overall if m is not None else 1.0) for w, m in weekday_medians.items()}
        adjusted = [(d, float(series[d]) / factors[d.weekday()]) for d in window.days]
    else:
        offsets = {w: (m - overall if m is not None else 0.0) for w, m in weekday_medians.items()}
        adjusted = [(d, float(series[d]) - offsets[d.weekday()]) for d in window.days]
    level = _median([v for d, v in adjusted if d >= day - dt.timedelta(days=LEVEL_DAYS)] or [overall])
    recent = [v for d, v in adjusted if d >= day - dt.timedelta(days=SPREAD_DAYS)]
    center = _median(recent)
    spread = 1.4826 * _median([abs(v - center) for v in recent])
    if multiplicative:
        expected = level * factors[day.weekday()]
        spread *= factors[day.weekday()]
    else:
        expected = level + offsets[day.weekday()]
    if kind == "count":
        # Poisson noise for counts: a day with 2 messages where 0.5 are usual is no storm.
        spread = max(spread, math.sqrt(max(expected, 1.0)))
    else:
        spread = max(spread, 0.02)
    return Baseline(expected=expected, spread=spread, history_days=len(window.days))


def detect(
    series: dict[dt.date, float], day: dt.date, *, sensitivity: str = "medium", kind: str = "count"
) -> Detection | None:
    """Whether ``day``'s value in ``series`` is a spike; None without a value or enough history."""
    observed = series.get(day)
    if observed is None:
        return None
    base = baseline(series, day, kind=kind)
    if base is None:
        return None
    rule = SENSITIVITIES[sensitivity]
    excess = float(observed) - base.expected
    score = excess / base.spread
    if kind == "count":
        margin_ok = excess >= max(rule.absolute_margin, rule.relative_margin * base.expected)
    else:
        margin_ok = excess >= SHARE_MARGIN[sensitivity]
    return Detection(
        day=day,
        observed=float(observed),
        expected=base.expected,
        spread=base.spread,
        score=score,
        is_spike=score >= rule.z and margin_ok,
    )


def scan(
    series: dict[dt.date, float], *, sensitivity: str = "medium", kind: str = "count", start: dt.date | None = None
) -> list[Detection]:
    """Every spike day of a whole series (what the evaluation replays, one day at a time)."""
    days = sorted(series)
    if start is not None:
        days = [d for d in days if d >= start]
    found = []
    for day in days:
        detection = detect(series, day, sensitivity=sensitivity, kind=kind)
        if detection is not None and detection.is_spike:
            found.append(detection)
    return found


def incidents(detections: list[Detection]) -> list[Detection]:
    """The first day of each run of consecutive spike days: a storm lasting three days is one
    incident (the alert is announced once; the following days only update the page)."""
    first_days = []
    previous: dt.date | None = None
    for detection in sorted(detections, key=lambda d: d.day):
        if previous is None or detection.day - previous > dt.timedelta(days=1):
            first_days.append(detection)
        previous = detection.day
    return first_days
