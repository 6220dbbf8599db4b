"""The one place every analytics query gets its rows from (STYLE.md rule 12).

``Query`` is built from ``(organization, membership, period, filters)``. What it reads is already
narrowed to the organisation (first column of every composite index), to the accounts the
membership may see (a client: granted workspaces only) and to the filters; subclasses only add
their aggregation and return typed results (``analytics.queries.results``).

The queries are explicit SQL (STYLE.md rule 12 "explicit SQL"): ``post_where``/``daily_where``
give the narrowed ``WHERE`` of the fact tables with its parameters, and the subclasses write one
set-based statement around it. Django's ORM spent 1-3 ms of Python building each dashboard
statement, more than PostgreSQL spent running it (docs/performance.md "Dashboard"). The SQL is
the same on PostgreSQL and SQLite; the few vendor differences (a local time's parts, a float cast,
a case-insensitive match) come from Django's own per-vendor operations. ``posts()``/``daily()``
remain as querysets with the same narrowing for code that wants the ORM.
"""

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, TypeVar

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language

from accounts.models import Membership, Organization
from accounts.roles import sees_every_workspace
from accounts.selectors import visible_workspaces
from analytics import factcache
from analytics.models import AccountDailyMetrics, Post, PostKind, PostTheme
from analytics.queries.params import Filters, Period
from networks import selectors as network_selectors
from networks.models import SocialAccount

T = TypeVar("T")

# The counters our engagement adds up (analytics.definitions "engagement"). Views, reach and
# clicks are not engagement.
ENGAGEMENT_FIELDS = ("likes", "comments", "shares", "quotes", "saves")


def engagement_sql(alias: str = "p") -> str:
    """A post's (or a snapshot's) engagements in SQL: the sum of the counters it reports, NULL
    when it reports none (NULL is "not available", never 0)."""
    columns = [f"{alias}.{name}" for name in ENGAGEMENT_FIELDS]
    total = " + ".join(f"COALESCE({c}, 0)" for c in columns)
    return f"CASE WHEN COALESCE({', '.join(columns)}) IS NULL THEN NULL ELSE {total} END"


def sum_sql(sql: str) -> str:
    """``SUM(sql)`` of integer counters as an integer (PostgreSQL sums a bigint column as numeric)."""
    return f"CAST(SUM({sql}) AS BIGINT)"


def float_sql(sql: str) -> str:
    """``sql`` as a floating-point number (``double precision`` / ``REAL``)."""
    kind = "double precision" if connection.vendor == "postgresql" else "REAL"
    return f"CAST({sql} AS {kind})"


def in_list(column: str, values) -> tuple[str, list]:
    """``column IN (%s, …)`` with its parameters; always false for no values."""
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def db_datetime(value: dt.datetime):
    """An aware datetime as the database compares it (SQLite stores naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def aware(value) -> dt.datetime | None:
    """A datetime read by raw SQL, aware in UTC (SQLite gives naive UTC, or text when computed)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def as_date(value) -> dt.date:
    return parse_date(value) if isinstance(value, str) else value


def as_json(value):
    """A JSON column read by raw SQL (both backends hand Django its text)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True)
class VisibleAccount:
    id: int
    network: str
    workspace_id: int


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

    @property
    def visible_accounts(self) -> dict[int, VisibleAccount]:
        """The accounts the member may see, narrowed by the filters, by id (the same accounts as
        ``accounts()``). Resolved once per request (one small statement, shared through
        ``shared``): the fact tables are then read by (organization_id, account_id IN …,
        published_at/date), their composite indexes' order, and per-network or per-workspace
        totals are added up from it without joining the accounts table again."""
        return self._visible[0]

    @property
    def account_rows(self) -> tuple[tuple, ...]:
        """The visible accounts' rows as read: id, network, workspace, name, handle, status and
        last sync. Only the first three narrow the facts; all of them key the facts cache
        (``result()``), so a renamed, moved or disconnected account is a new key."""
        return self._visible[1]

    @cached_property
    def _visible(self) -> tuple[dict[int, VisibleAccount], tuple[tuple, ...]]:
        f = self.filters
        key = ("visible_accounts", self.membership.pk, f.workspace_id, f.account_ids, f.network)
        if self.shared is not None and key in self.shared:
            return self.shared[key]
        visible, params = self.visible_workspace_sql("a.workspace_id")
        where = ["a.organization_id = %s", visible]
        params = [self.organization.pk, *params]
        if f.workspace_id is not None:
            where.append("a.workspace_id = %s")
            params.append(f.workspace_id)
        if f.account_ids:
            sql, ids = in_list("a.id", f.account_ids)
            where.append(sql)
            params += ids
        if f.network:
            where.append("a.network = %s")
            params.append(f.network)
        columns = "a.id, a.network, a.workspace_id, a.name, a.handle, a.status, a.last_synced_at"
        rows = fetch(
            f"SELECT {columns} FROM networks_socialaccount a WHERE {' AND '.join(where)} ORDER BY a.id",  # noqa: S608 (fixed SQL, values are parameters)
            params,
        )
        visible = ({row[0]: VisibleAccount(*row[:3]) for row in rows}, tuple(rows))
        if self.shared is not None:
            self.shared[key] = visible
        return visible

    @property
    def account_ids(self) -> list[int]:
        return list(self.visible_accounts)

    # --- explicit SQL -----------------------------------------------------------------------

    def visible_workspace_sql(self, column: str) -> tuple[str, list]:
        """``column`` is a workspace the member may read (``visible_workspaces`` in SQL)."""
        if sees_every_workspace(self.membership.role):
            sql = f"{column} IN (SELECT w.id FROM accounts_workspace w WHERE w.organization_id = %s)"  # noqa: S608
            return sql, [self.organization.pk]
        return (
            f"{column} IN (SELECT g.workspace_id FROM accounts_workspacegrant g"  # noqa: S608
            " WHERE g.organization_id = %s AND g.membership_id = %s)",
            [self.organization.pk, self.membership.pk],
        )

    def post_where(
        self,
        alias: str = "p",
        *,
        own_only: bool = False,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> tuple[str, list]:
        """``WHERE`` of the posts of the visible accounts matching the filters (``posts()`` in SQL),
        published in ``[start, end)`` when given, with its parameters."""
        accounts, params = in_list(f"{alias}.account_id", self.account_ids)
        where = [f"{alias}.organization_id = %s", accounts]
        params = [self.organization.pk, *params]
        if start is not None:
            where.append(f"{alias}.published_at >= %s")
            params.append(db_datetime(start))
        if end is not None:
            where.append(f"{alias}.published_at < %s")
            params.append(db_datetime(end))
        f = self.filters
        if f.kinds:
            sql, values = in_list(f"{alias}.kind", f.kinds)
            where.append(sql)
            params += values
        if own_only:
            where.append(f"{alias}.kind <> %s")
            params.append(PostKind.REPOST)
        if f.content_types:
            sql, values = in_list(f"{alias}.content_type", f.content_types)
            where.append(sql)
            params += values
        if f.theme_ids:
            sql, values = in_list("pt.theme_id", f.theme_ids)
            where.append(
                f"EXISTS (SELECT 1 FROM analytics_posttheme pt WHERE pt.organization_id = %s"  # noqa: S608
                f" AND pt.post_id = {alias}.id AND {sql})"
            )
            params += [self.organization.pk, *values]
        if f.hashtag:
            sql, value = hashtag_sql(f"{alias}.hashtags", f.hashtag)
            where.append(sql)
            params.append(value)
        return " AND ".join(where), params

    def post_where_in(self, period: Period, alias: str = "p", *, own_only: bool = False) -> tuple[str, list]:
        start, end = self.bounds(period)
        return self.post_where(alias, own_only=own_only, start=start, end=end)

    def daily_where(self, alias: str = "d", period: Period | None = None) -> tuple[str, list]:
        """``WHERE`` of the daily rows of the visible accounts (``daily()`` in SQL), within the
        period's days when given."""
        accounts, params = in_list(f"{alias}.account_id", self.account_ids)
        where = [f"{alias}.organization_id = %s", accounts]
        params = [self.organization.pk, *params]
        if period is not None:
            where.append(f"{alias}.date >= %s AND {alias}.date <= %s")
            params += [period.start, period.end]
        return " AND ".join(where), params

    def local_part_sql(self, part: str, column: str) -> tuple[str, list]:
        """The local ``part`` ("iso_week_day", "hour") of a timestamp column in the organisation's
        time zone, by Django's own operation for the database in use."""
        return connection.ops.datetime_extract_sql(part, column, (), str(self.tz))

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

    # --- the facts cache (analytics/factcache.py) ---------------------------------------------

    #: True for the queries whose result depends on nothing but the organisation's facts, the
    #: visible accounts' rows, the member's visible workspaces and ``cache_parts()``.
    cacheable: ClassVar[bool] = False

    def cache_parts(self) -> tuple:
        """The parameters a subclass adds to the base ones (sort, page, limit …)."""
        return ()

    def result(self):
        """``run()``, served from the facts cache when the query is ``cacheable``."""
        return self._cached((), self.run)

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """A value made from ``result()`` (the API's JSON body), served from the facts cache with
        it, under ``name``, when the query is ``cacheable``: turning a result into dicts and JSON
        costs more than reading it."""
        return self._cached((name,), compute)

    def _cached(self, suffix: tuple, compute: Callable[[], T]) -> T:
        if not self.cacheable:
            return compute()
        version = self.shared.get("facts_version") if self.shared is not None else None
        return factcache.cached(self.organization.pk, (*self._cache_key_parts(), *suffix), compute, version=version)

    def _cache_key_parts(self) -> tuple:
        return (
            type(self).__module__,
            type(self).__qualname__,
            self.organization.pk,
            self.organization.time_zone,
            get_language(),
            self.period,
            self.filters,
            factcache.visible_scope(self.membership, self.shared),
            self.account_rows,
            self.cache_parts(),
        )


def hashtag_sql(column: str, tag: str) -> tuple[str, str]:
    """``hashtag_filter`` in SQL: the JSON list's text contains the quoted tag, in any case."""
    tag = tag.lstrip("#").strip()
    quoted = '"' + tag + '"'
    pattern = f"%{connection.ops.prep_for_like_query(quoted)}%"
    if connection.vendor == "postgresql":
        return f"UPPER({column}::text) LIKE UPPER(%s)", pattern
    return f"{column} LIKE %s ESCAPE '\\'", pattern


def hashtag_filter(tag: str) -> Q:
    """Posts carrying a hashtag, case-insensitively, on SQLite and PostgreSQL alike: the JSON list
    is matched as text on the quoted tag (``"boulogne"``), which both databases can do."""
    tag = tag.lstrip("#").strip()
    return Q(hashtags__icontains=f'"{tag}"')
