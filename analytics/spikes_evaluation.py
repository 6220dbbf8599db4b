"""How often the spike detector cries wolf: replayed on real daily series and on the simulator.

Real series (``../shared/benchdata/forecast/all_daily_series.csv``, 22 series of page views,
package downloads, site visits and bike rentals): each series is replayed day by day, the detector
seeing only the past, at each sensitivity. **Rule for a false alarm**: an alert is *explained*
only when a human-visible event documented by others falls on that day or the day before — for
the Peyton Manning Wikipedia page, the NFL playoff and Super Bowl games listed in Prophet's
documentation (the "holidays" of its quick start); the other series come with no event list, so
every one of their alerts counts as a false alarm. The rate is therefore an upper bound. Days
flagged ``imputed`` (data outages filled by interpolation) are never alerted on. The log-scaled
Wikipedia series are turned back into counts (``exp``) first, since the detector reads counts.

Alerts are counted as incidents: consecutive alert days are one alert (announced once).

Simulator (``networks.simulator``): the synthetic accounts have injected, known events — audience
bursts (a fête, a press article: followers jump on one day) and viral days (reach x 3-8). The
daily follower gain and the daily reach factor of every persona and network are replayed over a
year; an alert on an event day (or the day after) is a hit, any other is a false alarm.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analytics.spikes import SENSITIVITIES, incidents, scan

# Prophet quick start, "Modeling Holidays and Special Events": Peyton Manning's playoff games and
# Super Bowls (https://facebook.github.io/prophet/docs/seasonality,_holiday_effects,_and_regressors.html).
PEYTON_MANNING_GAMES = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2008-01-13", "2009-01-03", "2010-01-16", "2010-01-24", "2010-02-07", "2011-01-08",
        "2013-01-12", "2014-01-12", "2014-01-19", "2014-02-02", "2015-01-11", "2016-01-17",
        "2016-01-24", "2016-02-07",
    )
)  # fmt: skip
KNOWN_EVENTS: dict[str, tuple[dt.date, ...]] = {"wp_log_peyton_manning": PEYTON_MANNING_GAMES}
LOG_GROUPS = {"prophet_wikipedia_log"}


@dataclass
class Rate:
    sensitivity: str
    series: int
    days: int  # series-days on which the detector had enough history to decide
    alerts: int
    explained: int

    @property
    def false_alarms(self) -> int:
        return self.alerts - self.explained

    @property
    def per_1000_days(self) -> float:
        return 1000 * self.false_alarms / self.days if self.days else math.nan

    def as_dict(self) -> dict:
        return {
            "sensitivity": self.sensitivity,
            "series": self.series,
            "days": self.days,
            "alerts": self.alerts,
            "explained": self.explained,
            "false_alarms": self.false_alarms,
            "false_alarms_per_1000_days": round(self.per_1000_days, 2),
            "false_alarms_per_series_month": round(30 * self.per_1000_days / 1000, 3),
        }


def load_real_series(path: Path) -> dict[str, tuple[dict[dt.date, float], set[dt.date]]]:
    """{series_id: (values, imputed days)} from the shared benchmark CSV."""
    series: dict[str, dict[dt.date, float]] = defaultdict(dict)
    imputed: dict[str, set[dt.date]] = defaultdict(set)
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            day = dt.date.fromisoformat(row["ds"])
            value = float(row["y"])
            if row["group"] in LOG_GROUPS:
                value = math.exp(value)
            series[row["series_id"]][day] = value
            if row.get("imputed") == "1":
                imputed[row["series_id"]].add(day)
    return {key: (values, imputed[key]) for key, values in series.items()}


def _explained(day: dt.date, events: tuple[dt.date, ...]) -> bool:
    return any(day == e or day == e + dt.timedelta(days=1) for e in events)


def real_series_rates(path: Path, *, last_days: int | None = 730) -> list[Rate]:
    """False alarms per sensitivity over the last ``last_days`` of each real series."""
    data = load_real_series(path)
    rates = []
    for sensitivity in SENSITIVITIES:
        rate = Rate(sensitivity, len(data), 0, 0, 0)
        for key, (values, imputed) in data.items():
            days = sorted(values)
            start = days[0] + dt.timedelta(days=21)
            if last_days is not None and len(days) > last_days:
                start = max(start, days[-last_days])
            rate.days += sum(1 for d in days if d >= start and d not in imputed)
            for detection in incidents(scan(values, sensitivity=sensitivity, start=start)):
                if detection.day in imputed:
                    continue
                rate.alerts += 1
                rate.explained += _explained(detection.day, KNOWN_EVENTS.get(key, ()))
        rates.append(rate)
    return rates


@dataclass
class SimulatorRate(Rate):
    events: int = 0
    events_found: int = 0

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "events": self.events,
            "events_found": self.events_found,
            "recall": round(self.events_found / self.events, 3) if self.events else None,
        }


def simulator_series(seed: int, start: dt.date, end: dt.date) -> list[tuple[str, dict[dt.date, float], set[dt.date]]]:
    """(name, daily values, injected event days) for each persona x network x signal."""
    from networks.simulator.generator import base
    from networks.simulator.world import HISTORY_START, PERSONAS

    out = []
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    for persona in PERSONAS.values():
        for network in persona.followers:
            gains = {
                d: float(
                    base.followers_end_of_day(seed, persona, network, d)
                    - base.followers_end_of_day(seed, persona, network, d - dt.timedelta(days=1))
                )
                for d in days
            }
            bursts: set[dt.date] = set()
            first_block = max(0, (start - HISTORY_START).days // (7 * base.EVENT_BLOCK_WEEKS))
            last_block = (end - HISTORY_START).days // (7 * base.EVENT_BLOCK_WEEKS)
            for block in range(first_block, last_block + 1):
                for number, _size in base._event_block(seed, persona, network, block):
                    bursts.add(HISTORY_START + dt.timedelta(days=number))
            out.append((f"{persona.key}.{network}.follower_gain", gains, bursts))
            reach = {d: 1000 * base.activity_factor(seed, persona, network, d) for d in days}
            out.append((f"{persona.key}.{network}.reach", reach, _viral_days(seed, persona, network, days)))
    return out


def _viral_days(seed: int, persona, network: str, days: list[dt.date]) -> set[dt.date]:
    """The days ``activity_factor`` multiplied by 3-8, replaying its random stream."""
    from networks.simulator.generator.base import stream

    viral = set()
    for day in days:
        rng = stream(seed, persona.key, network, "activity", day.toordinal())
        rng.lognormvariate(0, 0.18)
        if rng.random() < 0.02:
            viral.add(day)
    return viral


def simulator_rates(*, seed: int = 1, end: dt.date = dt.date(2025, 12, 31), days: int = 365) -> list[SimulatorRate]:
    start = end - dt.timedelta(days=days - 1)
    history_start = start - dt.timedelta(days=70)
    series = simulator_series(seed, history_start, end)
    rates = []
    for sensitivity in SENSITIVITIES:
        rate = SimulatorRate(sensitivity, len(series), 0, 0, 0)
        for _name, values, events in series:
            kept = {d for d in events if start <= d <= end}
            rate.days += days
            rate.events += len(kept)
            found = set()
            for detection in incidents(scan(values, sensitivity=sensitivity, start=start)):
                rate.alerts += 1
                hit = next((e for e in kept if detection.day in (e, e + dt.timedelta(days=1))), None)
                if hit is not None:
                    rate.explained += 1
                    found.add(hit)
            rate.events_found += len(found)
        rates.append(rate)
    return rates
