"""The "listening.hits" daily series for spike alerts (contracts C2): matches per local day, per
watch or in total, and the posts, authors and hashtags behind a day."""

import datetime as dt
import zoneinfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from listening.models import Hit, WatchMatch

SERIES_KEY = "listening.hits"


def _matches(organization, workspace):
    matches = WatchMatch.objects.filter(organization_id=getattr(organization, "pk", organization))
    if workspace is not None:
        matches = matches.filter(watch__workspace=workspace)
    return matches


def daily(organization, workspace, start: dt.date, end: dt.date, watch=None) -> dict[dt.date, float]:
    """Distinct posts matched per day of the organisation's time zone, ``start``..``end``."""
    time_zone = zoneinfo.ZoneInfo(getattr(organization, "time_zone", None) or "Europe/Paris")
    matches = _matches(organization, workspace).filter(
        published_at__gte=dt.datetime.combine(start, dt.time.min, time_zone) - dt.timedelta(days=1),
        published_at__lt=dt.datetime.combine(end, dt.time.min, time_zone) + dt.timedelta(days=2),
    )
    if watch is not None:
        matches = matches.filter(watch=watch)
    rows = (
        matches.annotate(day=TruncDate("published_at", tzinfo=time_zone))
        .values("day")
        .annotate(n=Count("hit", distinct=True))
    )
    found = {row["day"]: float(row["n"]) for row in rows if start <= row["day"] <= end}
    return {
        start + dt.timedelta(days=i): found.get(start + dt.timedelta(days=i), 0.0)
        for i in range((end - start).days + 1)
    }


def drivers(organization, workspace, day: dt.date) -> list[dict]:
    """The day's most engaging posts and most frequent authors and hashtags."""
    time_zone = zoneinfo.ZoneInfo(getattr(organization, "time_zone", None) or "Europe/Paris")
    start = dt.datetime.combine(day, dt.time.min, time_zone)
    hit_ids = (
        _matches(organization, workspace)
        .filter(published_at__gte=start, published_at__lt=start + dt.timedelta(days=1))
        .values("hit_id")
    )
    hits = list(Hit.objects.filter(organization_id=getattr(organization, "pk", organization), pk__in=hit_ids))
    found: list[dict] = []
    for hit in sorted(hits, key=lambda h: h.engagement or 0, reverse=True)[:3]:
        found.append({"kind": "post", "label": hit.text[:80], "url": hit.permalink, "count": hit.engagement or 0})
    authors: dict[str, int] = {}
    tags: dict[str, int] = {}
    for hit in hits:
        if hit.author_label:
            authors[hit.author_label] = authors.get(hit.author_label, 0) + 1
        for tag in hit.hashtags:
            tags[tag] = tags.get(tag, 0) + 1
    for label, count in sorted(authors.items(), key=lambda kv: -kv[1])[:3]:
        found.append({"kind": "author", "label": label, "url": "", "count": count})
    for label, count in sorted(tags.items(), key=lambda kv: -kv[1])[:3]:
        found.append({"kind": "hashtag", "label": f"#{label}", "url": "", "count": count})
    return found


def register() -> None:
    try:
        from analytics.spikes import SeriesSource, register_series_source
    except ImportError:  # the spike detector is not installed yet
        return
    register_series_source(
        SeriesSource(key=SERIES_KEY, label=_("Listening: matching posts"), daily=daily, drivers=drivers)
    )
