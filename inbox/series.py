"""The inbox's daily series for spike alerts (contract C2, ``analytics/spikes.py``):
``inbox.inbound`` (messages received per local day) and ``inbox.negative_share`` (share of the
day's analysed received messages that are negative). Aggregated in the database."""

import datetime as dt
import zoneinfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from inbox.models import Direction, Message, Thread


def _messages(organization, workspace, start: dt.date, end: dt.date):
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    low = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    messages = Message.objects.filter(
        organization=organization, direction=Direction.IN, sent_at__gte=low, sent_at__lt=high
    )
    if workspace is not None:
        messages = messages.filter(thread__workspace=workspace)
    return messages.annotate(day=TruncDate("sent_at", tzinfo=zone))


def inbound_daily(organization, workspace, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    with scope(organization=organization):
        rows = _messages(organization, workspace, start, end).values("day").annotate(n=Count("pk"))
        found = {row["day"]: float(row["n"]) for row in rows}
    return {
        start + dt.timedelta(days=n): found.get(start + dt.timedelta(days=n), 0.0)
        for n in range((end - start).days + 1)
    }


def negative_share_daily(organization, workspace, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """Days without an analysed message are left out (not available, not 0)."""
    with scope(organization=organization):
        rows = (
            _messages(organization, workspace, start, end)
            .filter(analysed=True)
            .values("day")
            .annotate(n=Count("pk"), negative=Count("pk", filter=Q(sentiment="negative")))
        )
        return {row["day"]: row["negative"] / row["n"] for row in rows if row["n"]}


def drivers(organization, workspace, day: dt.date) -> list[dict]:
    """The posts whose comments brought the most messages that day, then the busiest authors."""
    with scope(organization=organization):
        messages = _messages(organization, workspace, day, day)
        by_thread = (
            Thread.objects.filter(organization=organization, pk__in=messages.values("thread"))
            .values("post_id", "post__text", "author_name")
            .annotate(n=Count("messages", filter=Q(messages__in=messages.values("pk"))))
            .order_by("-n")[:20]
        )
        posts: dict[int, dict] = {}
        authors: dict[str, int] = {}
        for row in by_thread:
            if row["post_id"]:
                entry = posts.setdefault(
                    row["post_id"],
                    {
                        "kind": "post",
                        "label": (row["post__text"] or "")[:80],
                        "url": reverse("analytics_post", kwargs={"org": organization.slug, "post_id": row["post_id"]}),
                        "count": 0,
                    },
                )
                entry["count"] += row["n"]
            elif row["author_name"]:
                authors[row["author_name"]] = authors.get(row["author_name"], 0) + row["n"]
    found = sorted(posts.values(), key=lambda d: -d["count"])[:5]
    found += [
        {"kind": "author", "label": name, "url": "", "count": count}
        for name, count in sorted(authors.items(), key=lambda kv: -kv[1])[:5]
    ]
    return found


def series_sources(series_source_class) -> list:
    return [
        series_source_class(
            key="inbox.inbound", label=_("Messages received"), daily=inbound_daily, drivers=drivers, kind="count"
        ),
        series_source_class(
            key="inbox.negative_share",
            label=_("Share of negative messages received"),
            daily=negative_share_daily,
            drivers=drivers,
            kind="share",
            # A quiet day (fewer than 10 messages) never alerts on its share (analytics/spikes.py).
            volume_key="inbox.inbound",
        ),
    ]
