"""One account's statistics: audience growth, daily metrics, the posts table with its filters, top
posts, content types, hashtags, best time to post, and its sync status (from networks)."""

import functools

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from analytics import charts, factcache
from analytics.models import ContentType, PostKind
from analytics.queries.account import AUDIENCE_METRICS, BestTimeQuery, DailyMetricsSeriesQuery, audience_points
from analytics.queries.params import Filters
from analytics.queries.posts import (
    ContentTypeQuery,
    HashtagQuery,
    PostTableQuery,
    ThemeQuery,
    TopPostsQuery,
)
from analytics.queries.sentiment import scoped_sentiment
from analytics.templatetags.analytics import formatter
from analytics.views.base import (
    account_parts,
    cached_page,
    chart_download,
    facts_version,
    fragment_key,
    int_list,
    organization_tz,
    page_key,
    page_template,
    page_themes,
    period_choice,
    render_page,
    theme_parts,
)
from analytics.views.display import post_displays, theme_options
from analytics.views.sentiment import sentiment_block
from networks import selectors as network_selectors

# Daily metrics drawn on the account page, in this order (AccountDailyMetrics fields).
DAILY_METRICS = ("views", "reach", "engagements", "page_views")
SORTS = ("-published_at", "published_at", "-engagements", "-engagement_rate", "-views", "-reach")
PAGE_SIZE = 25


def sort_labels() -> list[tuple[str, str]]:
    labels = {
        "-published_at": _("Newest first"),
        "published_at": _("Oldest first"),
        "-engagements": _("Most engagements"),
        "-engagement_rate": _("Best engagement rate"),
        "-views": _("Most views"),
        "-reach": _("Most reach"),
    }
    return [(key, labels[key]) for key in SORTS]


def daily_labels() -> dict[str, str]:
    return {"views": _("Views"), "reach": _("Reach"), "engagements": _("Engagements"), "page_views": _("Profile views")}


def posts_table(rows, title: str) -> charts.Chart:
    """The posts table as a downloadable table (no figure)."""
    header = [
        _("Published"),
        _("Kind"),
        _("Content type"),
        _("Text"),
        _("Link"),
        _("Engagements"),
        _("Engagement rate (%)"),
        _("Likes"),
        _("Comments"),
        _("Shares"),
        _("Views"),
        _("Reach"),
        _("Clicks"),
        _("Hashtags"),
    ]
    kinds, types = dict(PostKind.choices), dict(ContentType.choices)
    table = [
        [
            row.published_at,
            kinds.get(row.kind, row.kind),
            types.get(row.content_type, row.content_type),
            row.text,
            row.permalink,
            row.engagements,
            None if row.engagement_rate is None else row.engagement_rate * 100,
            row.likes,
            row.comments,
            row.shares,
            row.views,
            row.reach,
            row.clicks,
            " ".join("#" + tag for tag in row.hashtags),
        ]
        for row in rows
    ]
    return charts.Chart("posts", title, "engagement", charts.Table(header, table))


def _post_filters(request: HttpRequest, account_id: int, theme_pks: set[int]) -> tuple[Filters, dict]:
    kind = request.GET.get("kind", "")
    content_type = request.GET.get("type", "")
    hashtag = request.GET.get("hashtag", "").strip().lstrip("#")
    theme_ids = tuple(t for t in int_list(request, "theme") if t in theme_pks)
    filters = Filters(
        account_ids=(account_id,),
        kinds=(kind,) if kind in PostKind.values else (),
        content_types=(content_type,) if content_type in ContentType.values else (),
        theme_ids=theme_ids,
        hashtag=hashtag or None,
    )
    chosen = {
        "kind": kind if filters.kinds else "",
        "type": content_type if filters.content_types else "",
        "hashtag": hashtag,
        "theme_ids": theme_ids,
    }
    return filters, chosen


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_safe
@org_view()
def account_page(request: HttpRequest, account_id: int) -> HttpResponse:
    account = network_selectors.account_for_member(request.membership, account_id)
    choice = period_choice(request)
    org = request.organization
    # What people wrote to the account (comments, mentions, messages the inbox registered) is
    # not a fact: it has its own version, which keys its summary, its fragment and the page.
    texts_version = factcache.texts_version(org.pk)
    template = page_template(request, "analytics/account.html", "analytics/_account_body.html")
    # Facts, the account's row, what people wrote and the frame: served whole to the members who
    # see the same page, unless the texts version is unknown (its fragment is then rendered live).
    key = page_key(request, template, choice, account_parts([account]), texts_version) if texts_version else None
    cached = cached_page(request, key)
    if cached is not None:
        return cached
    themes = page_themes(request, account.workspace_id)
    filters, chosen = _post_filters(request, account.pk, {t.pk for t in themes})
    sort = request.GET.get("sort", "-published_at")
    if sort not in SORTS:
        sort = "-published_at"
    # One dict for the whole request: the queries below share the visible-account lookup.
    shared = {"facts_version": facts_version(request)}
    base = {"membership": request.membership, "period": choice.period, "shared": shared}
    # The theme chosen in the period form narrows every statistic of the account's posts (the
    # posts table, top posts, content types, hashtags, best time, the themes chart); the audience
    # and daily metrics are the network's per-account numbers, with no theme to narrow them by.
    account_only = Filters(account_ids=(account.pk,), theme_ids=chosen["theme_ids"])
    # Memoised: the page's template and a download may ask for the same value more than once.

    @functools.cache
    def series() -> dict:
        # The audience and the daily metrics charts read the same daily rows: one query for both.
        metrics = AUDIENCE_METRICS + DAILY_METRICS
        return DailyMetricsSeriesQuery(org, account=account, metrics=metrics, **base).result()

    @functools.cache
    def audience() -> charts.Chart:
        return charts.audience_chart(audience_points(series()))

    @functools.cache
    def daily() -> charts.Chart:
        return charts.daily_metrics_chart({m: series()[m] for m in DAILY_METRICS}, daily_labels())

    @functools.cache
    def content_types() -> charts.Chart:
        rows = ContentTypeQuery(org, filters=account_only, **base).result()
        return charts.content_type_chart(rows, dict(ContentType.choices))

    @functools.cache
    def hashtags() -> charts.Chart:
        return charts.hashtag_chart(HashtagQuery(org, filters=account_only, **base).result())

    @functools.cache
    def best_time():
        return BestTimeQuery(org, account=account, filters=account_only, **base).result()

    @functools.cache
    def by_theme() -> charts.Chart:
        return charts.theme_chart(ThemeQuery(org, filters=account_only, **base).result())

    @functools.cache
    def posts_page(page_size: int = PAGE_SIZE, page: int = 1):
        return PostTableQuery(org, filters=filters, sort=sort, page=page, page_size=page_size, **base).result()

    @functools.cache
    def top() -> list:
        return TopPostsQuery(org, filters=account_only, limit=5, **base).result()

    @functools.cache
    def sentiment() -> dict:
        summary = scoped_sentiment(
            organization=org,
            scope="account",
            object_id=account.pk,
            start=choice.period.start,
            end=choice.period.end,
            texts_version=texts_version,
        )
        return sentiment_block(summary)

    downloads = {
        "audience": audience,
        "daily": daily,
        "content-types": content_types,
        "hashtags": hashtags,
        "best-time": lambda: charts.Chart(
            "best-time", _("Best time to post"), "best-time", charts.best_time_table(best_time())
        ),
        # Every post of the period matching the filters (at most 200: the table's biggest page).
        "posts": lambda: posts_table(posts_page(page_size=200).items, _("Posts")),
        "top-posts": lambda: posts_table(top(), _("Top posts")),
        "themes": by_theme,
        "sentiment": lambda: sentiment()["chart"],
    }
    download = chart_download(request, downloads, account.display_name)
    if download is not None:
        return download
    page_number = _page_number(request)
    # The tables' cells are formatted here, once per table (analytics/views/display.py).
    fmt, tz = formatter(), organization_tz(org)
    can_label = bool(themes) and role_can(request.membership.role, Capability.MANAGE_WORKSPACES)
    # Lazy (memoised callables the template calls): a fragment read from the facts cache
    # ({% factcache %}) runs none of the queries behind it.
    context = {
        "account": account,
        "choice": choice,
        "post_themes": themes,
        # The period form's theme filter (analytics/_period_form.html) applies to the whole page.
        "themes": themes,
        "theme_options": theme_options(themes),
        # Labelling by hand from the table: managers and above, when there is a theme to give.
        "can_label": can_label,
        "chosen": chosen,
        "theme_ids": chosen["theme_ids"],
        "sort": sort,
        "sorts": sort_labels(),
        "kinds": PostKind.choices,
        "content_types": ContentType.choices,
        "page": lambda: posts_page(page=page_number),
        "page_rows": functools.cache(
            lambda: post_displays(posts_page(page=page_number).items, org_slug=org.slug, tz=tz, fmt=fmt)
        ),
        "top_posts": functools.cache(lambda: post_displays(top(), org_slug=org.slug, tz=tz, fmt=fmt)),
        "audience_chart": audience,
        "daily_chart": daily,
        "content_type_chart": content_types,
        "hashtag_chart": hashtags,
        "best_time": functools.cache(lambda: charts.best_time_grid(best_time())),
        "theme_chart": by_theme if themes else None,
        "sentiment": sentiment,
        "texts_version": texts_version,
        # No texts version (the cache unreachable for it): the fragment cannot say which texts
        # it shows, so it is rendered live.
        "sentiment_live": texts_version is None,
        "fact_key": fragment_key(request, choice, account_parts([account]), theme_parts(themes), can_label),
    }
    return render_page(request, template, context, key)
