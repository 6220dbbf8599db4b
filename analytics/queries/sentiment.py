"""Sentiment about one object (an account, a post, a listening watch, a campaign): the series per
day or week, the negative share and the most negative threads, from rows that carry a date and a
sentiment.

Accounts and posts read the rows the inbox registered for them (analytics/text/sources.py:
analytics never imports the inbox), cached under the organisation's texts version; listening and
campaigns select their own rows and call :func:`summarise`. "Not available" (None) when nothing
was analysed, never a false 0 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import get_script_prefix

from accounts.models import Organization
from analytics import factcache
from analytics.text import sources as text_sources
from analytics.text.timeline import SentimentPoint, most_negative, negative_share, sentiment_over_time

MAX_ROWS = 2000  # per source: the page's time stays bounded on a very busy account
WEEKLY_AFTER_DAYS = 31  # longer periods are drawn per week


@dataclass(frozen=True)
class NegativeThread:
    url: str  # where the CM opens it (the thread in the inbox)
    text: str  # its most negative message
    author: str
    day: dt.date
    score: float
    messages: int  # negative messages of the thread in the period


@dataclass(frozen=True)
class SentimentSummary:
    available: bool  # something can feed this object's sentiment (a source is registered)
    start: dt.date
    end: dt.date
    by: str  # "day" | "week"
    total: int
    analysed: int
    negative_share: float | None
    points: list[SentimentPoint]
    most_negative: list[NegativeThread]
    truncated: bool  # more than MAX_ROWS rows: the figures are on the newest ones


def _score(row: text_sources.TextRow) -> float | None:
    """The analyser's score; a negative row without one counts as -0.5 (as on "What people say")."""
    if row.score is not None:
        return row.score
    return -0.5 if row.sentiment == "negative" else None


def negative_threads(rows: list[text_sources.TextRow], *, limit: int = 5) -> list[NegativeThread]:
    """The ``limit`` threads (rows grouped by ``url``; a row without one is its own) whose most
    negative message scores lowest, most negative first."""
    worst: dict[object, tuple[text_sources.TextRow, float]] = {}
    negatives: dict[object, int] = {}
    for index, row in enumerate(rows):
        score = _score(row)
        if score is None or score >= 0:
            continue
        key = row.url or ("row", index)
        negatives[key] = negatives.get(key, 0) + (row.sentiment == "negative")
        if key not in worst or score < worst[key][1]:
            worst[key] = (row, score)
    ranked = most_negative(((key, score) for key, (_, score) in worst.items()), limit=limit)
    return [
        NegativeThread(row.url, row.text, row.author, row.day, score, negatives[key])
        for key, score in ranked
        for row in (worst[key][0],)
    ]


def summarise(
    rows: list[text_sources.TextRow],
    *,
    start: dt.date,
    end: dt.date,
    available: bool = True,
    truncated: bool = False,
    by: str | None = None,
) -> SentimentSummary:
    """Series, share and most negative threads of ``rows`` between ``start`` and ``end``."""
    by = by or ("week" if (end - start).days + 1 > WEEKLY_AFTER_DAYS else "day")
    rows = [r for r in rows if start <= r.day <= end]
    points = sentiment_over_time([(r.day, r.sentiment) for r in rows], start=start, end=end, by=by)
    return SentimentSummary(
        available=available,
        start=start,
        end=end,
        by=by,
        total=len(rows),
        analysed=sum(p.analysed for p in points),
        negative_share=negative_share(points),
        points=points,
        most_negative=negative_threads(rows),
        truncated=truncated,
    )


def scoped_sentiment(
    *,
    organization: Organization,
    scope: str,
    object_id: int,
    start: dt.date,
    end: dt.date,
    texts_version: str | None = None,
) -> SentimentSummary:
    """What the registered sources hold about one account or post (one query per source), served
    from the facts cache under the organisation's texts version (``texts_version``: when the caller
    already read it) while the sources follow it (analytics/factcache.py)."""
    if scope not in text_sources.SCOPES:
        raise ValueError(f"scope must be one of {text_sources.SCOPES}, not {scope!r}")
    sources = text_sources.scoped_text_sources(scope)

    def compute() -> SentimentSummary:
        rows, truncated = text_sources.rows_of(sources, organization, object_id, start, end, limit=MAX_ROWS)
        return summarise(rows, start=start, end=end, available=bool(sources), truncated=truncated)

    keys = tuple(source.key for source in sources)
    if not factcache.texts_followed(keys):
        return compute()
    # The rows' local days follow the time zone; their links, the organisation's slug and the
    # script prefix. Who asks does not matter: access to the object is checked before.
    parts = (
        "scoped_sentiment",
        scope,
        object_id,
        start,
        end,
        keys,
        organization.slug,
        organization.time_zone,
        get_script_prefix(),
    )
    return factcache.cached(organization.pk, parts, compute, version=texts_version, kind=factcache.TEXTS)
