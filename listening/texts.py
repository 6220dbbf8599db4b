"""Listening hits for analytics' "What people say" page (analytics/text/sources.py).

Registered from ListeningConfig.ready(); analytics reads them only through this callable."""

import datetime as dt
import zoneinfo

from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from listening.models import Hit


def hits(organization, workspace, start: dt.date, end: dt.date, limit: int) -> list:
    from analytics.text.sources import TextRow

    zone = zoneinfo.ZoneInfo(organization.time_zone)
    low = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    with scope(organization=organization):
        rows = (
            Hit.objects.filter(
                organization=organization, workspace=workspace, published_at__gte=low, published_at__lt=high
            )
            .order_by("-published_at")
            .values("published_at", "text", "sentiment", "author_handle", "author_name", "permalink")[:limit]
        )
        return [
            TextRow(
                day=row["published_at"].astimezone(zone).date(),
                text=row["text"],
                sentiment=row["sentiment"] or None,
                score=None,
                author=row["author_handle"] or row["author_name"],
                url=row["permalink"],
            )
            for row in rows
        ]


def watch_sentiment(watch, start: dt.date, end: dt.date):
    """The sentiment of the watch's hits published between the local dates ``start`` and ``end``
    (analytics.queries.sentiment; one query, the newest MAX_ROWS hits)."""
    from analytics.queries.sentiment import MAX_ROWS, summarise
    from analytics.text.sources import TextRow
    from listening.models import WatchMatch

    organization = watch.organization
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    low = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    with scope(organization=organization):
        found = list(
            WatchMatch.objects.filter(
                organization=organization, watch=watch, published_at__gte=low, published_at__lt=high
            )
            .order_by("-published_at", "-pk")
            .values_list("published_at", "hit__text", "hit__sentiment", "hit__author_handle", "hit__permalink")[
                :MAX_ROWS
            ]
        )
    rows = [
        TextRow(day=at.astimezone(zone).date(), text=text, sentiment=sentiment or None, score=None, author=who, url=url)
        for at, text, sentiment, who, url in found
    ]
    return summarise(rows, start=start, end=end, truncated=len(found) >= MAX_ROWS)


def register() -> None:
    try:
        from analytics.text.sources import TextSource, register_text_source
    except ImportError:  # analytics' text sources are not installed
        return
    register_text_source(TextSource(key="listening.hits", label=_("Listening: matching posts"), rows=hits))
