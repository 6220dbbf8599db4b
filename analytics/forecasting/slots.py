"""Expected engagement of a post by weekday, hour and content type, with its uncertainty, and the
best slot when the evidence shows one (pure functions: rows in, table out).

Method: engagements are compared on ``log1p`` (a viral post does not make its slot look good on
its own). Each slot's mean is pulled towards the account's mean by the classic one-way
random-effects (empirical Bayes) weight ``n / (n + sigma2 / tau2)``: a slot with one post barely
moves away from the account's mean, a slot with many posts keeps its own. ``sigma2`` is the spread
of posts inside a slot, ``tau2`` the spread of the true slot means (method of moments, ANOVA
estimator). The 80 % interval is that of the slot's expected (median) engagement; a slot is the
best slot only when its whole interval is above the account's mean and it holds at least
MIN_POSTS_FOR_BEST posts.
"""

import math
from dataclasses import dataclass

Z80 = 1.2816
# A slot is named best from this many posts: one or two posts are an anecdote, not evidence.
MIN_POSTS_FOR_BEST = 3


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    hour: int
    content_type: str
    posts: int
    observed: float  # the slot's own median-like mean (expm1 of the mean of log1p)
    expected: float
    low: float
    high: float


@dataclass(frozen=True)
class SlotTable:
    posts: int
    account_expected: float | None
    slots: list[Slot]
    best: Slot | None


def expected_by_slot(rows: list[tuple[int, int, str, float]]) -> SlotTable:
    """``rows``: (weekday, hour, content type, engagements) of each post."""
    values = [(w, h, c, math.log1p(max(e, 0.0))) for w, h, c, e in rows if e is not None]
    n_total = len(values)
    if n_total < 2:
        return SlotTable(n_total, math.expm1(values[0][3]) if values else None, [], None)
    cells: dict[tuple[int, int, str], list[float]] = {}
    for w, h, c, y in values:
        cells.setdefault((w, h, c), []).append(y)
    mu = sum(y for *_k, y in values) / n_total
    k = len(cells)
    within = sum(sum((y - sum(ys) / len(ys)) ** 2 for y in ys) for ys in cells.values())
    sigma2 = within / (n_total - k) if n_total > k else sum((y - mu) ** 2 for *_k, y in values) / (n_total - 1)
    sigma2 = max(sigma2, 1e-6)
    between = sum(len(ys) * (sum(ys) / len(ys) - mu) ** 2 for ys in cells.values())
    n0 = (n_total - sum(len(ys) ** 2 for ys in cells.values()) / n_total) / max(k - 1, 1)
    tau2 = max((between / max(k - 1, 1) - sigma2) / max(n0, 1e-9), 1e-6) if k > 1 else 1e-6
    slots = []
    for (w, h, c), ys in cells.items():
        n = len(ys)
        mean = sum(ys) / n
        weight = n / (n + sigma2 / tau2)
        theta = mu + weight * (mean - mu)
        spread = math.sqrt(1 / (1 / tau2 + n / sigma2))
        slots.append(
            Slot(
                w,
                h,
                c,
                n,
                math.expm1(mean),
                math.expm1(theta),
                max(0.0, math.expm1(theta - Z80 * spread)),
                math.expm1(theta + Z80 * spread),
            )
        )
    slots.sort(key=lambda s: s.expected, reverse=True)
    account = math.expm1(mu)
    best = next((s for s in slots if s.low > account and s.posts >= MIN_POSTS_FOR_BEST), None)
    return SlotTable(n_total, account, slots, best)
