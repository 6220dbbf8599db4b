"""The one place every analytics query gets its rows from (STYLE.md rule 12).

``Query`` is built from ``(organization, membership, period, filters)``. Its base querysets are
already narrowed to the organisation (first column of every composite index), to the accounts the
membership may see (a client: granted workspaces only) and to the filters; subclasses only add
their aggregation and return typed results (``analytics.queries.results``).
"""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from accounts.models import Membership, Organization
from accounts.selectors import visible_workspaces
from analytics.models import AccountDailyMetrics, Post, PostKind, PostTheme
from analytics.queries.params import Filters, Period
from networks import selectors as network_selectors
from networks.models import SocialAccount

# The counters our engagement adds up (analytics.definitions "engagement"). Views, reach and
# clicks are not engagement.
ENGAGEMENT_FIELDS = ("likes", "comments", "shares", "quotes", "saves")


def engagement_expression(prefix: str = ""):
    """A post's engagements in SQL: the sum of the counters it reports, NULL when it reports none
    (NULL is "not available", never 0).

    Written without a WHEN condition on purpose: ``COALESCE(likes, comments, …) * 0`` is NULL
    exactly when every counter is NULL and 0 otherwise, so adding it keeps the sum or makes it
    NULL. Same SQL result as a CASE, but Django compiles it several times faster (no lookups to
    resolve), which matters on a dashboard that builds a dozen queries per request."""
    fields = [F(f"{prefix}{name}") for name in ENGAGEMENT_FIELDS]
    total = Coalesce(*fields) * Value(0)
    for field in fields:
        total = total + Coalesce(field, Value(0))
    return total


class Query:
    """Base of every analytics query. Call ``run()`` inside the organisation's scope."""

    def __init__(
        self,
        organization: Organization,
        *,
        membership: Membership,
        period: Period,
        filters: Filters | None = None,
        shared: dict | None = None,
    ) -> None:
        if membership.organization_id != organization.pk:
            raise ValueError("the membership belongs to another organisation")
        self.organization = organization
        self.membership = membership
        self.period = period
        self.filters = filters or Filters()
        # One dict per request, passed to every query of a page: lookups that depend only on
        # (membership, filters) are then run once per page instead of once per query object
        # (the account page builds seven queries over the same visible account).
        self.shared = shared

    # --- time -------------------------------------------------------------------------------

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.organization.time_zone)

    def bounds(self, period: Period) -> tuple[dt.datetime, dt.datetime]:
        """``[start, end)`` in UTC of a period's local days (a DST day is 23 or 25 hours long)."""
        start = dt.datetime.combine(period.start, dt.time.min, self.tz)
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, self.tz)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    # --- rows -------------------------------------------------------------------------------

    def accounts(self) -> QuerySet[SocialAccount]:
        """The accounts the member may see, narrowed by the filters."""
        accounts = network_selectors.accounts_for(self.organization).filter(
            workspace__in=visible_workspaces(self.membership).values("pk")
        )
        f = self.filters
        if f.workspace_id is not None:
            accounts = accounts.filter(workspace_id=f.workspace_id)
        if f.account_ids:
            accounts = accounts.filter(pk__in=f.account_ids)
        if f.network:
            accounts = accounts.filter(network=f.network)
        return accounts

    @cached_property
    def account_ids(self) -> list[int]:
        # Resolved once (one small query): the fact tables are then read by
        # (organization_id, account_id IN …, published_at/date), their composite indexes' order.
        f = self.filters
        key = ("account_ids", self.membership.pk, f.workspace_id, f.account_ids, f.network)
        if self.shared is not None and key in self.shared:
            return self.shared[key]
        ids = list(self.accounts().order_by("pk").values_list("pk", flat=True))
        if self.shared is not None:
            self.shared[key] = ids
        return ids

    def posts(self, *, own_only: bool = False) -> QuerySet[Post]:
        """Posts of the visible accounts matching the filters (every period)."""
        posts = Post.objects.filter(organization_id=self.organization.pk, account_id__in=self.account_ids)
        f = self.filters
        if f.kinds:
            posts = posts.filter(kind__in=f.kinds)
        if own_only:
            posts = posts.exclude(kind=PostKind.REPOST)
        if f.content_types:
            posts = posts.filter(content_type__in=f.content_types)
        if f.theme_ids:
            posts = posts.filter(
                Exists(
                    PostTheme.objects.filter(
                        organization_id=self.organization.pk, post_id=OuterRef("pk"), theme_id__in=f.theme_ids
                    )
                )
            )
        if f.hashtag:
            posts = posts.filter(hashtag_filter(f.hashtag))
        return posts

    def posts_in(self, period: Period, *, own_only: bool = False) -> QuerySet[Post]:
        start, end = self.bounds(period)
        return self.posts(own_only=own_only).filter(published_at__gte=start, published_at__lt=end)

    def daily(self) -> QuerySet[AccountDailyMetrics]:
        """Daily account rows of the visible accounts (dates are the network's days, as stored)."""
        return AccountDailyMetrics.objects.filter(organization_id=self.organization.pk, account_id__in=self.account_ids)

    def daily_in(self, period: Period) -> QuerySet[AccountDailyMetrics]:
        return self.daily().filter(date__gte=period.start, date__lte=period.end)

    def run(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def hashtag_filter(tag: str) -> Q:
    """Posts carrying a hashtag, case-insensitively, on SQLite and PostgreSQL alike: the JSON list
    is matched as text on the quoted tag (``"boulogne"``), which both databases can do."""
    tag = tag.lstrip("#").strip()
    return Q(hashtags__icontains=f'"{tag}"')
