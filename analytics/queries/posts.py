"""Queries over an account's (or a workspace's) posts: activity mix, the posts table, top posts,
and breakdowns by content type, hashtag and theme. Every aggregate runs in the database."""

from typing import ClassVar

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import F, FloatField, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import visible_workspaces
from analytics.models import AccountDailyMetrics, Post, PostKind, Theme
from analytics.queries.base import (
    Query,
    as_json,
    aware,
    engagement_expression,
    engagement_sql,
    fetch,
    float_sql,
    sum_sql,
)
from analytics.queries.overview import ratio
from analytics.queries.results import ActivityMixRow, ContentTypeRow, HashtagRow, Page, PostRow, ThemeRow

MAX_PAGE_SIZE = 200


def post_rate_sql(alias: str = "p") -> str:
    """A post's engagement rate in SQL (analytics.definitions "engagement-rate"): engagements over
    its views, else over its account's last known followers (daily_natural_key)."""
    engagements = float_sql(engagement_sql(alias))
    followers = (
        f"(SELECT d.followers FROM analytics_accountdailymetrics d WHERE d.organization_id = {alias}.organization_id"  # noqa: S608
        f" AND d.account_id = {alias}.account_id AND d.followers > 0 ORDER BY d.date DESC LIMIT 1)"
    )
    return (
        f"CASE WHEN {alias}.views > 0 THEN {engagements} / {float_sql(f'{alias}.views')}"
        f" ELSE {engagements} / {float_sql(followers)} END"
    )


def post_rate_expression():
    """``post_rate_sql`` for the ORM."""
    engagements = Cast(engagement_expression(), FloatField())
    followers = Subquery(
        AccountDailyMetrics.objects.filter(
            organization_id=OuterRef("organization_id"), account_id=OuterRef("account_id"), followers__gt=0
        )
        .order_by("-date")
        .values("followers")[:1],
        output_field=IntegerField(),
    )
    return SqlCase(
        When(views__gt=0, then=engagements / Cast(F("views"), FloatField())),
        default=engagements / Cast(followers, FloatField()),
        output_field=FloatField(),
    )


# What a post row reads (PostRow's stored fields, then our engagements and rate).
POST_COLUMNS = (
    "id",
    "account_id",
    "external_id",
    "published_at",
    "kind",
    "content_type",
    "text",
    "permalink",
    "hashtags",
    "likes",
    "comments",
    "shares",
    "quotes",
    "saves",
    "views",
    "reach",
    "clicks",
)


def post_select(alias: str = "p") -> str:
    """The select list of ``post_row_of``."""
    columns = ", ".join(f"{alias}.{c}" for c in POST_COLUMNS)
    return f"{columns}, {engagement_sql(alias)} AS eng, {post_rate_sql(alias)} AS rate"


def post_row_of(row: tuple, network: str) -> PostRow:
    """A ``PostRow`` from a row selected by ``post_select`` (reposts: no engagements of their own)."""
    values = dict(zip(POST_COLUMNS, row, strict=False))
    own = values["kind"] != PostKind.REPOST
    values["published_at"] = aware(values["published_at"])
    values["hashtags"] = list(as_json(values["hashtags"]) or [])
    eng, rate = row[len(POST_COLUMNS)], row[len(POST_COLUMNS) + 1]
    return PostRow(network=network, **values, engagements=eng if own else None, engagement_rate=rate if own else None)


def post_rows(query: Query, post_ids) -> list[PostRow]:
    """Rows of the given posts of the organisation (any account, e.g. the post page's own post),
    in id order."""
    from analytics.queries.base import in_list

    ids, params = in_list("p.id", post_ids)
    rows = fetch(
        f"SELECT {post_select()}, a.network FROM analytics_post p JOIN networks_socialaccount a ON a.id = p.account_id"  # noqa: S608
        f" WHERE p.organization_id = %s AND {ids} ORDER BY p.id",
        [query.organization.pk, *params],
    )
    return [post_row_of(row[:-1], row[-1]) for row in rows]


class ActivityMixQuery(Query):
    """Originals, replies, quotes and reposts per account in the period (reposts shown apart)."""

    cacheable = True

    def run(self) -> list[ActivityMixRow]:
        where, params = self.post_where_in(self.period)
        kinds = (PostKind.ORIGINAL, PostKind.REPLY, PostKind.QUOTE, PostKind.REPOST)
        counts = ", ".join("SUM(CASE WHEN p.kind = %s THEN 1 ELSE 0 END)" for _k in kinds)
        rows = fetch(
            f"""
            SELECT p.account_id, a.network, a.name, a.handle, {counts}
            FROM analytics_post p JOIN networks_socialaccount a ON a.id = p.account_id
            WHERE {where}
            GROUP BY p.account_id, a.network, a.name, a.handle
            ORDER BY a.network, a.name, p.account_id
            """,  # noqa: S608 (fixed SQL, values are parameters)
            [*kinds, *params],
        )
        return [
            ActivityMixRow(
                account_id=account_id,
                account=name or handle,
                network=network,
                originals=originals,
                replies=replies,
                quotes=quotes,
                reposts=reposts,
            )
            for account_id, network, name, handle, originals, replies, quotes, reposts in rows
        ]


class PostTableQuery(Query):
    """One page of posts of the period, sorted. Two statements (count and page) whatever the page."""

    SORTS: ClassVar[tuple[str, ...]] = (
        "published_at",
        "engagements",
        "engagement_rate",
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
    )
    # Sort names to what the statement orders by (a column of the post or an output column).
    ORDER_BY: ClassVar[dict[str, str]] = {"engagements": "eng", "engagement_rate": "rate"}
    cacheable = True

    def __init__(self, *args, sort: str = "-published_at", page: int = 1, page_size: int = 25, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sort.lstrip("-") not in self.SORTS:
            raise ValueError(
                _("Unknown ordering %(sort)s: use one of %(sorts)s (prefix - for descending).")
                % {"sort": sort, "sorts": ", ".join(self.SORTS)}
            )
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(_("page must be 1 or more and page_size between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE})
        self.sort, self.page, self.page_size = sort, page, page_size

    def cache_parts(self) -> tuple:
        return (self.sort, self.page, self.page_size)

    def rows(self, limit: int, offset: int = 0) -> list[PostRow]:
        name = self.sort.lstrip("-")
        column = self.ORDER_BY.get(name, f"p.{name}")  # one of SORTS: never user text
        direction = "DESC" if self.sort.startswith("-") else "ASC"
        where, params = self.post_where_in(self.period)
        rows = fetch(
            f"SELECT {post_select()} FROM analytics_post p WHERE {where}"  # noqa: S608 (fixed SQL, values are parameters)
            f" ORDER BY {column} {direction} NULLS LAST, p.id {direction} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        accounts = self.visible_accounts
        return [post_row_of(row, accounts[row[1]].network) for row in rows]

    def count(self) -> int:
        where, params = self.post_where_in(self.period)
        return fetch(f"SELECT COUNT(*) FROM analytics_post p WHERE {where}", params)[0][0]  # noqa: S608

    def run(self) -> Page[PostRow]:
        total = self.count()
        items = self.rows(self.page_size, (self.page - 1) * self.page_size)
        return Page(items=items, number=self.page, page_size=self.page_size, total=total)


class TopPostsQuery(Query):
    """The account's own posts of the period with the most engagements."""

    cacheable = True

    def __init__(self, *args, limit: int = 10, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(_("limit must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE})
        self.limit = limit

    def cache_parts(self) -> tuple:
        return (self.limit,)

    def run(self) -> list[PostRow]:
        where, params = self.post_where_in(self.period, own_only=True)
        rows = fetch(
            f"SELECT {post_select()} FROM analytics_post p WHERE {where}"  # noqa: S608 (fixed SQL, values are parameters)
            " ORDER BY eng DESC NULLS LAST, p.id DESC LIMIT %s",
            [*params, self.limit],
        )
        accounts = self.visible_accounts
        return [post_row_of(row, accounts[row[1]].network) for row in rows]


class ContentTypeQuery(Query):
    """Own posts of the period per content type: count, engagements, engagements per view."""

    cacheable = True

    def run(self) -> list[ContentTypeRow]:
        where, params = self.post_where_in(self.period, own_only=True)
        sums = f"{sum_sql(engagement_sql('p'))}, {sum_sql('p.views')}"
        rows = fetch(
            f"SELECT p.content_type, COUNT(*), {sums} FROM analytics_post p"  # noqa: S608
            f" WHERE {where} GROUP BY p.content_type ORDER BY p.content_type",
            params,
        )
        return [ContentTypeRow(kind, posts, eng, ratio(eng, views)) for kind, posts, eng, views in rows]


class HashtagQuery(Query):
    """Hashtags of the account's own posts in the period (lower-cased), by total engagements.
    JSON arrays are unnested in SQL: ``jsonb_array_elements_text`` on PostgreSQL, ``json_each``
    on SQLite."""

    cacheable = True

    def __init__(self, *args, limit: int = 50, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def cache_parts(self) -> tuple:
        return (self.limit,)

    def run(self) -> list[HashtagRow]:
        where, params = self.post_where_in(self.period, own_only=True)
        if connection.vendor == "postgresql":
            unnest, tag = "jsonb_array_elements_text(p.hashtags::jsonb) AS t(tag)", "t.tag"
        else:
            unnest, tag = "json_each(p.hashtags) AS t", "t.value"
        # DISTINCT per post: a post repeating a tag counts once.
        sql = f"""
            SELECT tag, COUNT(*), {sum_sql("eng")}, AVG(eng)
            FROM (SELECT DISTINCT p.id AS id, LOWER({tag}) AS tag, {engagement_sql("p")} AS eng
                  FROM analytics_post p, {unnest} WHERE {where}) AS tagged
            GROUP BY tag
            ORDER BY SUM(eng) DESC NULLS LAST, tag
            LIMIT %s
        """  # noqa: S608 (fixed SQL, values are parameters)
        rows = fetch(sql, [*params, self.limit])
        return [HashtagRow(tag, posts, eng, float(avg) if avg is not None else None) for tag, posts, eng, avg in rows]


def visible_themes(membership: Membership):
    """Themes of the organisation shared by every workspace, or of a workspace the member sees."""
    return Theme.objects.filter(organization_id=membership.organization_id).filter(
        Q(workspace__isnull=True) | Q(workspace__in=visible_workspaces(membership).values("pk"))
    )


class ThemeQuery(Query):
    """Own posts of the period per theme: count, engagements, engagements per view. The themes'
    names and colours are facts too: ``analytics.services.themes`` changes the facts version."""

    cacheable = True

    def run(self) -> list[ThemeRow]:
        where, params = self.post_where_in(self.period, own_only=True)
        visible, visible_params = self.visible_workspace_sql("t.workspace_id")
        rows = fetch(
            f"""
            SELECT t.id, t.name, t.color, COUNT(DISTINCT p.id), {sum_sql(engagement_sql("p"))}, {sum_sql("p.views")}
            FROM analytics_posttheme pt
            JOIN analytics_theme t ON t.id = pt.theme_id
            JOIN analytics_post p ON p.id = pt.post_id
            WHERE pt.organization_id = %s AND t.organization_id = %s AND (t.workspace_id IS NULL OR {visible})
              AND {where}
            GROUP BY t.id, t.name, t.color
            ORDER BY t.name, t.id
            """,  # noqa: S608 (fixed SQL, values are parameters)
            [self.organization.pk, self.organization.pk, *visible_params, *params],
        )
        return [
            ThemeRow(theme_id, name, color, posts, eng, ratio(eng, views))
            for theme_id, name, color, posts, eng, views in rows
        ]


def post_for_member(membership: Membership, post_id: int | str) -> Post:
    """One post the member may read, or 404 (missing, another tenant's, or not granted)."""
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise Http404 from None
    post = (
        Post.objects.filter(
            organization_id=membership.organization_id,
            pk=post_id,
            account__workspace__in=visible_workspaces(membership).values("pk"),
        )
        .select_related("account")
        .first()
    )
    if post is None:
        raise Http404
    return post


__all__ = [
    "ActivityMixQuery",
    "ContentTypeQuery",
    "HashtagQuery",
    "PostTableQuery",
    "ThemeQuery",
    "TopPostsQuery",
    "post_for_member",
]
