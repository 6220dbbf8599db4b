"""Nowcast of a post's final engagement from its first hours of snapshots, with its measured error
(pure functions: curves in, predictions and errors out).

Method: a post's engagement ``h`` hours after publication is the last snapshot read by then; its
"final" engagement is the last one read at least FINAL_AGE after publication. For each age ``h``
of AGES, the log-ratio ``log((final + 1) / (early + 1))`` of the account's older posts gives the
multiplier (its median) and an 80 % band (its 10th and 90th percentiles). The error is measured
the way it is used: each post is predicted from the posts published before it only (at least
MIN_POSTS of them), and the median absolute percentage error of those predictions is reported per
age (docs/performance.md).
"""

import bisect
import datetime as dt
import math
import statistics
from dataclasses import dataclass

AGES = (1, 3, 6, 12, 24)  # hours after publication
FINAL_AGE = dt.timedelta(days=7)
MIN_POSTS = 5


@dataclass(frozen=True)
class Curve:
    published_at: dt.datetime
    # (hours since publication, engagements), ascending.
    points: list[tuple[float, float]]

    def at(self, hours: float) -> float | None:
        index = bisect.bisect_right([h for h, _v in self.points], hours) - 1
        return self.points[index][1] if index >= 0 else None

    def final(self) -> float | None:
        limit = FINAL_AGE.total_seconds() / 3600
        last = [v for h, v in self.points if h >= limit]
        return last[-1] if last else None


@dataclass(frozen=True)
class AgeModel:
    age: int
    posts: int
    multiplier: float  # exp of the median log-ratio
    low: float  # 10th percentile multiplier
    high: float  # 90th percentile multiplier
    mdape: float | None  # median absolute percentage error, measured as described above


@dataclass(frozen=True)
class Nowcast:
    age: int  # the model's age used (the largest AGES at or below the post's age)
    early: float
    expected: float
    low: float
    high: float
    mdape: float | None


def _quantile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def fit(curves: list[Curve]) -> dict[int, AgeModel]:
    """One model per age from the curves that reached their final age."""
    finished = sorted((c for c in curves if c.final() is not None), key=lambda c: c.published_at)
    models = {}
    for age in AGES:
        pairs = [(c.at(age), c.final()) for c in finished]
        ratios = [math.log((f + 1) / (e + 1)) for e, f in pairs if e is not None]
        if len(ratios) < MIN_POSTS:
            continue
        errors = []
        for index in range(MIN_POSTS, len(ratios)):
            multiplier = math.exp(statistics.median(ratios[:index]))
            early, final = [(e, f) for e, f in pairs if e is not None][index]
            predicted = (early + 1) * multiplier - 1
            errors.append(abs(predicted - final) / max(final, 1))
        ordered = sorted(ratios)
        models[age] = AgeModel(
            age,
            len(ratios),
            math.exp(statistics.median(ratios)),
            math.exp(_quantile(ordered, 0.1)),
            math.exp(_quantile(ordered, 0.9)),
            statistics.median(errors) if errors else None,
        )
    return models


def nowcast(curve: Curve, models: dict[int, AgeModel], now: dt.datetime) -> Nowcast | None:
    """The final engagement of a post still young, or None (too young, too old, or no model)."""
    hours = (now - curve.published_at).total_seconds() / 3600
    usable = [age for age in AGES if age <= hours and age in models]
    if not usable or hours >= FINAL_AGE.total_seconds() / 3600:
        return None
    model = models[usable[-1]]
    early = curve.at(model.age)
    if early is None:
        return None
    return Nowcast(
        model.age,
        early,
        (early + 1) * model.multiplier - 1,
        max(early, (early + 1) * model.low - 1),
        (early + 1) * model.high - 1,
        model.mdape,
    )
