"""Sentiment over time, for any rows that carry a date and a sentiment: comments on an account's
posts, replies to one post, a listening watch's hits, a campaign's media. The apps that own those
rows (inbox, listening, campaigns) select ``(local date, sentiment)`` pairs and call these pure
functions; the chart is an ``analytics.charts.Chart`` like every other chart of the product.

Rows whose sentiment is None (not analysed yet) are counted apart: a day where nothing was
analysed has no negative share ("not available"), never 0 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.charts import Chart, Table, _layout

SENTIMENT_COLORS = {"negative": "#c92a2a", "neutral": "#868e96", "positive": "#2b8a3e"}


@dataclass(frozen=True)
class SentimentPoint:
    start: dt.date  # the day, or the Monday of the week
    negative: int
    neutral: int
    positive: int
    not_analysed: int

    @property
    def analysed(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.analysed if self.analysed else None


def _bucket(day: dt.date, by: str) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if by == "week" else day


def sentiment_over_time(
    rows: Iterable[tuple[dt.date, str | None]], *, start: dt.date, end: dt.date, by: str = "day"
) -> list[SentimentPoint]:
    """Counts per sentiment for every day (or week) from ``start`` to ``end``, empty ones included."""
    if by not in ("day", "week"):
        raise ValueError(f"by must be 'day' or 'week', not {by!r}")
    if end < start:
        raise ValueError("end is before start")
    counts: dict[dt.date, dict[str | None, int]] = {}
    step = dt.timedelta(days=7 if by == "week" else 1)
    current = _bucket(start, by)
    while current <= end:
        counts[current] = {"negative": 0, "neutral": 0, "positive": 0, None: 0}
        current += step
    for day, sentiment in rows:
        if start <= day <= end:
            key = sentiment if sentiment in ("negative", "neutral", "positive") else None
            counts[_bucket(day, by)][key] += 1
    return [SentimentPoint(d, c["negative"], c["neutral"], c["positive"], c[None]) for d, c in sorted(counts.items())]


def negative_share(points: Sequence[SentimentPoint]) -> float | None:
    """Share of negative messages over the whole period (None when nothing was analysed)."""
    analysed = sum(p.analysed for p in points)
    return sum(p.negative for p in points) / analysed if analysed else None


def most_negative(items: Iterable[tuple[object, float]], *, limit: int = 5) -> list[tuple[object, float]]:
    """The ``limit`` items (threads, posts…) with the lowest sentiment score, most negative first;
    items scored 0 or above are not negative and never listed."""
    negative = [(key, score) for key, score in items if score is not None and score < 0]
    negative.sort(key=lambda item: item[1])
    return negative[:limit]


def sentiment_chart(points: Sequence[SentimentPoint], *, slug: str = "sentiment", title: str | None = None) -> Chart:
    """Stacked bars of negative / neutral / positive messages, with the negative share as a line."""
    labels = {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}
    table = Table(
        [
            _("Date"),
            labels["negative"],
            labels["neutral"],
            labels["positive"],
            _("Not analysed"),
            _("Negative share (%)"),
        ],
        [
            [
                p.start,
                p.negative,
                p.neutral,
                p.positive,
                p.not_analysed,
                None if p.negative_share is None else round(100 * p.negative_share, 1),
            ]
            for p in points
        ],
    )
    figure = None
    if any(p.analysed for p in points):
        x = [p.start.isoformat() for p in points]
        data = [
            {
                "type": "bar",
                "name": labels[key],
                "x": x,
                "y": [getattr(p, key) for p in points],
                "marker": {"color": SENTIMENT_COLORS[key]},
            }
            for key in ("negative", "neutral", "positive")
        ]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Negative share (%)"),
                "x": x,
                "y": [None if p.negative_share is None else round(100 * p.negative_share, 1) for p in points],
                "yaxis": "y2",
                "line": {"color": SENTIMENT_COLORS["negative"], "dash": "dot"},
                "connectgaps": False,
            }
        )
        figure = {
            "data": data,
            "layout": _layout(
                barmode="stack",
                yaxis2={"overlaying": "y", "side": "right", "range": [0, 100], "showgrid": False, "ticksuffix": " %"},
            ),
        }
    return Chart(slug, title or _("Sentiment over time"), "sentiment", table, figure)
