"""Queries over an account's (or a workspace's) posts: activity mix, the posts table, top posts,
and breakdowns by content type, hashtag and theme. Every aggregate runs in the database."""

from typing import ClassVar

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import visible_workspaces
from analytics.models import AccountDailyMetrics, Post, PostKind, PostTheme, Theme
from analytics.queries.base import Query, engagement_expression
from analytics.queries.overview import ratio
from analytics.queries.results import ActivityMixRow, ContentTypeRow, HashtagRow, Page, PostRow, ThemeRow

MAX_PAGE_SIZE = 200


def post_rate_expression():
    """A post's engagement rate in SQL (analytics.definitions "engagement-rate"): engagements over
    its views, else over its account's last known followers."""
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


class ActivityMixQuery(Query):
    """Originals, replies, quotes and reposts per account in the period (reposts shown apart)."""

    def run(self) -> list[ActivityMixRow]:
        rows = (
            self.posts_in(self.period)
            .values("account_id", "account__network", "account__name", "account__handle")
            .annotate(
                originals=Count("pk", filter=Q(kind=PostKind.ORIGINAL)),
                replies=Count("pk", filter=Q(kind=PostKind.REPLY)),
                quotes=Count("pk", filter=Q(kind=PostKind.QUOTE)),
                reposts=Count("pk", filter=Q(kind=PostKind.REPOST)),
            )
            .order_by("account__network", "account__name", "account_id")
        )
        return [
            ActivityMixRow(
                account_id=r["account_id"],
                account=r["account__name"] or r["account__handle"],
                network=r["account__network"],
                originals=r["originals"],
                replies=r["replies"],
                quotes=r["quotes"],
                reposts=r["reposts"],
            )
            for r in rows
        ]


class PostTableQuery(Query):
    """One page of posts of the period, sorted. Two queries (count and page) whatever the page."""

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

    def rows(self):
        field = {"engagements": "engagements_total"}.get(self.sort.lstrip("-"), self.sort.lstrip("-"))
        descending = self.sort.startswith("-")
        order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        return (
            self.posts_in(self.period)
            .annotate(engagements_total=engagement_expression(), engagement_rate=post_rate_expression())
            .annotate(network=F("account__network"))
            .order_by(order, "-pk" if descending else "pk")
        )

    def run(self) -> Page[PostRow]:
        total = self.posts_in(self.period).count()
        start = (self.page - 1) * self.page_size
        items = [post_row(p) for p in self.rows()[start : start + self.page_size]]
        return Page(items=items, number=self.page, page_size=self.page_size, total=total)


def post_row(post: Post) -> PostRow:
    own = post.kind != PostKind.REPOST
    return PostRow(
        id=post.pk,
        account_id=post.account_id,
        network=post.network,
        external_id=post.external_id,
        published_at=post.published_at,
        kind=post.kind,
        content_type=post.content_type,
        text=post.text,
        permalink=post.permalink,
        hashtags=list(post.hashtags or []),
        likes=post.likes,
        comments=post.comments,
        shares=post.shares,
        quotes=post.quotes,
        saves=post.saves,
        views=post.views,
        reach=post.reach,
        clicks=post.clicks,
        engagements=post.engagements_total if own else None,
        engagement_rate=post.engagement_rate if own else None,
    )


class TopPostsQuery(Query):
    """The account's own posts of the period with the most engagements."""

    def __init__(self, *args, limit: int = 10, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(_("limit must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE})
        self.limit = limit

    def run(self) -> list[PostRow]:
        rows = (
            self.posts_in(self.period, own_only=True)
            .annotate(
                engagements_total=engagement_expression(),
                engagement_rate=post_rate_expression(),
                network=F("account__network"),
            )
            .order_by(F("engagements_total").desc(nulls_last=True), "-pk")[: self.limit]
        )
        return [post_row(p) for p in rows]


class ContentTypeQuery(Query):
    """Own posts of the period per content type: count, engagements, engagements per view."""

    def run(self) -> list[ContentTypeRow]:
        rows = (
            self.posts_in(self.period, own_only=True)
            .values("content_type")
            .annotate(
                posts=Count("pk"),
                engagements=Sum(engagement_expression()),
                views=Sum("views"),
            )
            .order_by("content_type")
        )
        return [
            ContentTypeRow(r["content_type"], r["posts"], r["engagements"], ratio(r["engagements"], r["views"]))
            for r in rows
        ]


class HashtagQuery(Query):
    """Hashtags of the account's own posts in the period (lower-cased), by total engagements.
    JSON arrays are unnested in SQL: ``jsonb_array_elements_text`` on PostgreSQL, ``json_each``
    on SQLite."""

    def __init__(self, *args, limit: int = 50, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def run(self) -> list[HashtagRow]:
        inner = (
            self.posts_in(self.period, own_only=True)
            .annotate(eng=engagement_expression())
            .values("pk", "hashtags", "eng")
        )
        inner_sql, params = inner.query.sql_with_params()
        if connection.vendor == "postgresql":
            unnest = "jsonb_array_elements_text(p.hashtags::jsonb) AS t(tag)"
            tag = "t.tag"
        else:
            unnest = "json_each(p.hashtags) AS t"
            tag = "t.value"
        # DISTINCT per post: a post repeating a tag counts once.
        sql = f"""
            SELECT tag, COUNT(*), SUM(eng), AVG(eng)
            FROM (SELECT DISTINCT p.pk AS id, LOWER({tag}) AS tag, p.eng AS eng
                  FROM ({inner_sql}) AS p, {unnest}) AS tagged
            GROUP BY tag
            ORDER BY SUM(eng) DESC NULLS LAST, tag
            LIMIT %s
        """  # noqa: S608 (the inner SQL is Django's, with its parameters; nothing user-typed is interpolated)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, self.limit])
            rows = cursor.fetchall()
        return [HashtagRow(tag, posts, eng, float(avg) if avg is not None else None) for tag, posts, eng, avg in rows]


def visible_themes(membership: Membership):
    """Themes of the organisation shared by every workspace, or of a workspace the member sees."""
    return Theme.objects.filter(organization_id=membership.organization_id).filter(
        Q(workspace__isnull=True) | Q(workspace__in=visible_workspaces(membership).values("pk"))
    )


class ThemeQuery(Query):
    """Own posts of the period per theme: count, engagements, engagements per view."""

    def run(self) -> list[ThemeRow]:
        posts = self.posts_in(self.period, own_only=True).values("pk")
        rows = (
            PostTheme.objects.filter(
                organization_id=self.organization.pk,
                post_id__in=posts,
                theme_id__in=visible_themes(self.membership).values("pk"),
            )
            .values("theme_id", "theme__name", "theme__color")
            .annotate(
                posts=Count("post_id", distinct=True),
                engagements=Sum(engagement_expression("post__")),
                views=Sum("post__views"),
            )
            .order_by("theme__name")
        )
        return [
            ThemeRow(
                r["theme_id"],
                r["theme__name"],
                r["theme__color"],
                r["posts"],
                r["engagements"],
                ratio(r["engagements"], r["views"]),
            )
            for r in rows
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
