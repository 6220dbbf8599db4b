"""What people say about a workspace: the rows the apps registered (analytics/text/sources.py),
read once and turned into the sentiment-over-time series, topics and most negative messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import Organization, Workspace
from analytics.text import keywords as text_keywords
from analytics.text import sources as text_sources
from analytics.text.timeline import SentimentPoint, most_negative, negative_share, sentiment_over_time

MAX_ROWS = 2000  # per source: enough for topics and shares, bounded for the page's time
PERIODS = (7, 28, 90)


@dataclass(frozen=True)
class TopicView:
    label: str
    keywords: list[str]
    size: int
    negative_share: float | None
    examples: list[text_sources.TextRow]


@dataclass(frozen=True)
class Voice:
    start: dt.date
    end: dt.date
    by: str
    total: int
    analysed: int
    negative_share: float | None
    points: list[SentimentPoint]
    topics: list[TopicView]
    most_negative: list[text_sources.TextRow]
    truncated: bool  # a source had more than MAX_ROWS rows: figures are on the newest ones


def workspace_voice(
    *, organization: Organization, workspace: Workspace, end: dt.date, days: int, source_key: str | None = None
) -> Voice:
    if days not in PERIODS:
        raise ValueError(f"days must be one of {PERIODS}")
    start = end - dt.timedelta(days=days - 1)
    sources = text_sources.text_sources()
    if source_key:
        sources = [s for s in sources if s.key == source_key]
    rows, truncated = text_sources.rows_of(sources, organization, workspace, start, end, limit=MAX_ROWS)
    by = "week" if days > 31 else "day"
    points = sentiment_over_time([(r.day, r.sentiment) for r in rows], start=start, end=end, by=by)
    found_topics = text_keywords.topics([r.text for r in rows], sentiments=[r.sentiment or "" for r in rows])
    topics = [
        TopicView(
            t.label,
            t.keywords,
            t.size,
            (t.sentiment.get("negative", 0) / analysed)
            if (analysed := sum(n for s, n in t.sentiment.items() if s))
            else None,
            [rows[i] for i in t.examples],
        )
        for t in found_topics
    ]
    scored = [
        (i, r.score if r.score is not None else (-0.5 if r.sentiment == "negative" else None))
        for i, r in enumerate(rows)
    ]
    worst = [rows[i] for i, _ in most_negative(scored, limit=5)]
    return Voice(
        start=start,
        end=end,
        by=by,
        total=len(rows),
        analysed=sum(p.analysed for p in points),
        negative_share=negative_share(points),
        points=points,
        topics=topics,
        most_negative=worst,
        truncated=truncated,
    )
