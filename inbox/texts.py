"""The inbox's received messages for analytics' "What people say" page (analytics/text/sources.py).

Registered from InboxConfig.ready(); analytics reads them only through this callable, and caches
what it computes from them under the organisation's texts version (analytics/factcache.py),
which every write of these rows changes."""

import datetime as dt
import zoneinfo

from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from inbox.models import Direction, Message


def received_messages(organization, workspace, start: dt.date, end: dt.date, limit: int) -> list:
    """Comments, mentions and private messages the workspace's accounts received."""
    return _received_about(organization, start, end, limit, workspace=workspace)


def _received_about(organization, start: dt.date, end: dt.date, limit: int, **about) -> list:
    """Messages received about one account or post (``about`` filters the thread), newest first."""
    from analytics.text.sources import TextRow

    zone = zoneinfo.ZoneInfo(organization.time_zone)
    low = dt.datetime.combine(start, dt.time(0), tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    with scope(organization=organization):
        rows = (
            Message.objects.filter(
                organization=organization,
                direction=Direction.IN,
                sent_at__gte=low,
                sent_at__lt=high,
                **{f"thread__{name}": value for name, value in about.items()},
            )
            .annotate(day=TruncDate("sent_at", tzinfo=zone))
            .order_by("-sent_at", "-pk")
            .values("day", "text", "sentiment", "sentiment_score", "author_name", "thread_id")[:limit]
        )
        return [
            TextRow(
                day=row["day"],
                text=row["text"],
                sentiment=row["sentiment"] or None,
                score=row["sentiment_score"],
                author=row["author_name"],
                url=reverse("inbox_thread", kwargs={"org": organization.slug, "thread_id": row["thread_id"]}),
            )
            for row in rows
        ]


def account_messages(organization, account_id: int, start: dt.date, end: dt.date, limit: int) -> list:
    """Comments, mentions and private messages the account received."""
    return _received_about(organization, start, end, limit, account_id=account_id)


def post_messages(organization, post_id: int, start: dt.date, end: dt.date, limit: int) -> list:
    """The comments (and their replies) on one post."""
    return _received_about(organization, start, end, limit, post_id=post_id)


def register() -> None:
    try:
        from analytics.text.sources import (
            ScopedTextSource,
            TextSource,
            register_scoped_text_source,
            register_text_source,
        )
    except ImportError:  # analytics' text sources are not installed
        return
    register_text_source(TextSource(key="inbox.messages", label=_("Inbox: messages received"), rows=received_messages))
    register_scoped_text_source(
        ScopedTextSource(key="inbox.account", scope="account", label=_("Inbox"), rows=account_messages)
    )
    register_scoped_text_source(ScopedTextSource(key="inbox.post", scope="post", label=_("Inbox"), rows=post_messages))
    # Every write of received messages calls texts_changed (inbox/services, admin.py, privacy.py):
    # what analytics computes from them is cached under the texts version.
    from analytics.factcache import texts_follow

    texts_follow("inbox.messages", "inbox.account", "inbox.post")
