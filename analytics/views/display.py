"""What the statistics pages show, as text, built once per table in Python rather than cell by
cell by the template engine: formats looked up once (``Formatter``), URLs reversed once per page
(or once per row), labels translated once per table. The account page's and the agency
overview's templates spent most of their time formatting cells one by one
(docs/performance.md "Dashboard"); these objects hand them finished, escaped strings."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from analytics.models import ContentType, PostKind
from analytics.queries.results import PostRow, WorkspaceHealth
from analytics.templatetags.analytics import Formatter


@dataclass(frozen=True)
class PostDisplay:
    """One row of a posts table, every cell ready to print (safe HTML)."""

    id: int
    url: str
    label_url: str
    published_iso: str
    published: str
    kind: str
    content_type: str
    text: str
    is_repost: bool
    engagements: SafeString
    engagement_rate: SafeString
    views: SafeString
    reach: SafeString


def post_displays(rows: list[PostRow], *, org_slug: str, tz: dt.tzinfo, fmt: Formatter) -> list[PostDisplay]:
    """The posts table's rows (times in the organisation's zone, as the template's ``date`` did)."""
    if not rows:
        return []
    kinds, types = dict(PostKind.choices), dict(ContentType.choices)
    result = []
    for row in rows:
        local = row.published_at.astimezone(tz)
        repost = row.kind == PostKind.REPOST
        result.append(
            PostDisplay(
                id=row.id,
                url=reverse("analytics_post", kwargs={"org": org_slug, "post_id": row.id}),
                label_url=reverse("analytics_post_themes", kwargs={"org": org_slug, "post_id": row.id}),
                published_iso=local.isoformat(),
                published=fmt.date(local, "SHORT_DATETIME_FORMAT"),
                kind=str(kinds.get(row.kind, row.kind)),
                content_type=str(types.get(row.content_type, row.content_type)),
                text=Truncator(row.text or "").chars(120),
                is_repost=repost,
                engagements=mark_safe(fmt.metric(row.engagements)),  # noqa: S308 (Formatter's text is escaped)
                engagement_rate=mark_safe(fmt.percent(row.engagement_rate)),  # noqa: S308
                views=mark_safe(fmt.metric(row.views)),  # noqa: S308
                reach=mark_safe(fmt.metric(row.reach)),  # noqa: S308
            )
        )
    return result


def theme_options(themes) -> SafeString:
    """The ``<option>`` list of a theme select, built once for every row's label form."""
    return mark_safe(  # noqa: S308 (names and ids escaped)
        "".join(f'<option value="{theme.pk}">{escape(theme.name)}</option>' for theme in themes)
    )


@dataclass(frozen=True)
class WorkspaceCard:
    """One agency overview card, every number and change ready to print (safe HTML)."""

    health: WorkspaceHealth
    url: str
    audience: SafeString
    audience_change: SafeString
    engagements: SafeString
    engagements_change: SafeString
    engagement_rate: SafeString
    engagement_rate_change: SafeString
    posts: SafeString
    posts_change: SafeString
    last_synced_iso: str
    last_synced: str


def workspace_cards(
    rows: list[WorkspaceHealth], *, org_slug: str, tz: dt.tzinfo, fmt: Formatter
) -> list[WorkspaceCard]:
    cards = []
    for row in rows:
        synced = row.last_synced_at.astimezone(tz) if row.last_synced_at is not None else None
        cards.append(
            WorkspaceCard(
                health=row,
                url=reverse("analytics_dashboard", kwargs={"org": org_slug, "workspace_id": row.workspace_id}),
                audience=mark_safe(fmt.metric(row.audience.current)),  # noqa: S308 (Formatter's text is escaped)
                audience_change=mark_safe(fmt.change(row.audience)),  # noqa: S308
                engagements=mark_safe(fmt.metric(row.engagements.current)),  # noqa: S308
                engagements_change=mark_safe(fmt.change(row.engagements)),  # noqa: S308
                engagement_rate=mark_safe(fmt.percent(row.engagement_rate.current)),  # noqa: S308
                engagement_rate_change=mark_safe(fmt.change(row.engagement_rate, rate=True)),  # noqa: S308
                posts=mark_safe(fmt.metric(row.posts.current)),  # noqa: S308
                posts_change=mark_safe(fmt.change(row.posts)),  # noqa: S308
                last_synced_iso=synced.isoformat() if synced else "",
                last_synced=fmt.date(synced, "SHORT_DATETIME_FORMAT") if synced else "",
            )
        )
    return cards
