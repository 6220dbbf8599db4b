"""What this app registers itself: the export tables of the facts networks and analytics store,
and the report sections built on the analytics query layer (``analytics.queries``: the numbers
are the dashboard's, never recomputed another way)."""

import datetime as dt
import json

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from analytics import charts
from analytics.definitions import DEFINITIONS
from analytics.models import DAILY_FIELDS, AccountDailyMetrics, Post, PostMetricsSnapshot, PostTheme, Theme
from analytics.queries import ActivityMixQuery, AudienceSeriesQuery, BestTimeQuery, OverviewQuery, TopPostsQuery
from analytics.queries.results import Overview, PostRow
from networks.models import SocialAccount, SyncRun
from reports import media
from reports.exports import model_columns, register_export_table
from reports.sections import KeyNumber, PostCard, ReportChart, ReportContext, SectionContent, register_section

# --- Export tables --------------------------------------------------------------------------------

COUNTERS = ("likes", "comments", "shares", "quotes", "saves", "views", "reach", "clicks", "bookmarks", "engagements")


def _accounts(*, organization, workspace):
    return SocialAccount.objects.filter(organization=organization, workspace=workspace).order_by("pk")


def _account_rows(*, organization, workspace):
    return (
        _accounts(organization=organization, workspace=workspace).values_list(*ACCOUNT_FIELDS).iterator(chunk_size=2000)
    )


ACCOUNT_FIELDS = ("id", "network", "external_id", "handle", "name", "status", "connected_at", "last_synced_at")

POST_FIELDS = (
    "id",
    "account_id",
    "external_id",
    "published_at",
    "kind",
    "content_type",
    "text",
    "permalink",
    "media_url",
    "hashtags",
    "referenced_id",
    "author_handle",
    *COUNTERS,
    "avg_watch_time_ms",
    "first_seen_at",
    "metrics_updated_at",
)


def _post_rows(*, organization, workspace):
    account_ids = _accounts(organization=organization, workspace=workspace).values("pk")
    rows = (
        Post.objects.filter(organization=organization, account_id__in=account_ids)
        .order_by("pk")
        .values_list(*POST_FIELDS)
        .iterator(chunk_size=2000)
    )
    hashtags = POST_FIELDS.index("hashtags")
    for values in rows:
        row = list(values)
        row[hashtags] = " ".join(f"#{tag}" for tag in row[hashtags] or [])
        yield row


SNAPSHOT_FIELDS = ("post_id", "captured_at", *COUNTERS)


def _snapshot_rows(*, organization, workspace):
    account_ids = _accounts(organization=organization, workspace=workspace).values("pk")
    post_ids = Post.objects.filter(organization=organization, account_id__in=account_ids).values("pk")
    return (
        PostMetricsSnapshot.objects.filter(organization=organization, post_id__in=post_ids)
        .order_by("post_id", "captured_at")
        .values_list(*SNAPSHOT_FIELDS)
        .iterator(chunk_size=5000)
    )


DAILY_EXPORT_FIELDS = ("account_id", "date", *DAILY_FIELDS)


def _daily_rows(*, organization, workspace):
    account_ids = _accounts(organization=organization, workspace=workspace).values("pk")
    return (
        AccountDailyMetrics.objects.filter(organization=organization, account_id__in=account_ids)
        .order_by("account_id", "date")
        .values_list(*DAILY_EXPORT_FIELDS)
        .iterator(chunk_size=5000)
    )


THEME_FIELDS = ("id", "name", "color", "workspace_id")


def _theme_rows(*, organization, workspace):
    from django.db.models import Q

    return (
        Theme.objects.filter(organization=organization)
        .filter(Q(workspace__isnull=True) | Q(workspace=workspace))
        .order_by("pk")
        .values_list(*THEME_FIELDS)
    )


POST_THEME_FIELDS = ("post_id", "theme_id", "source")


def _post_theme_rows(*, organization, workspace):
    account_ids = _accounts(organization=organization, workspace=workspace).values("pk")
    post_ids = Post.objects.filter(organization=organization, account_id__in=account_ids).values("pk")
    return (
        PostTheme.objects.filter(organization=organization, post_id__in=post_ids)
        .order_by("post_id", "theme_id")
        .values_list(*POST_THEME_FIELDS)
        .iterator(chunk_size=5000)
    )


SYNC_FIELDS = ("id", "account_id", "kind", "trigger", "status", "started_at", "finished_at", "calls", "counts", "error")


def _sync_rows(*, organization, workspace):
    account_ids = _accounts(organization=organization, workspace=workspace).values("pk")
    rows = (
        SyncRun.objects.filter(organization=organization, account_id__in=account_ids)
        .order_by("pk")
        .values_list(*SYNC_FIELDS)
        .iterator(chunk_size=5000)
    )
    counts = SYNC_FIELDS.index("counts")
    for values in rows:
        row = list(values)
        row[counts] = json.dumps(row[counts] or {}, sort_keys=True)
        yield row


def register_export_tables() -> None:
    our_id = gettext_lazy("Our id (other files refer to it)")
    account = gettext_lazy("The account's id (accounts.csv)")
    register_export_table(
        "accounts",
        gettext_lazy("Social accounts connected to the workspace"),
        _account_rows,
        columns=model_columns(SocialAccount, ACCOUNT_FIELDS, id=our_id),
    )
    register_export_table(
        "posts",
        gettext_lazy("Posts of the accounts with their latest lifetime counters (reposts included, see kind)"),
        _post_rows,
        columns=model_columns(
            Post,
            POST_FIELDS,
            id=our_id,
            account_id=account,
            hashtags=gettext_lazy("Hashtags, separated by spaces"),
            engagements=gettext_lazy("Engagements as the network reports them (our definition: see the glossary)"),
        ),
    )
    register_export_table(
        "post_snapshots",
        gettext_lazy("Every reading of a post's counters (append-only: the engagement curve)"),
        _snapshot_rows,
        columns=model_columns(PostMetricsSnapshot, SNAPSHOT_FIELDS, post_id=gettext_lazy("The post's id (posts.csv)")),
    )
    register_export_table(
        "daily_metrics",
        gettext_lazy("One row per account and day (the network's day, see the glossary)"),
        _daily_rows,
        columns=model_columns(AccountDailyMetrics, DAILY_EXPORT_FIELDS, account_id=account),
    )
    register_export_table(
        "themes",
        gettext_lazy("Themes of the workspace and of the whole organisation"),
        _theme_rows,
        columns=model_columns(
            Theme, THEME_FIELDS, id=our_id, workspace_id=gettext_lazy("Empty: a theme of every workspace")
        ),
    )
    register_export_table(
        "post_themes",
        gettext_lazy("Which post carries which theme"),
        _post_theme_rows,
        columns=model_columns(
            PostTheme,
            POST_THEME_FIELDS,
            post_id=gettext_lazy("The post's id (posts.csv)"),
            theme_id=gettext_lazy("The theme's id (themes.csv)"),
        ),
    )
    register_export_table(
        "sync_runs",
        gettext_lazy("Every synchronisation run of the accounts"),
        _sync_rows,
        columns=model_columns(
            SyncRun,
            SYNC_FIELDS,
            id=our_id,
            account_id=account,
            counts=gettext_lazy("What the run stored, as JSON"),
        ),
    )


# --- Report sections ------------------------------------------------------------------------------


def overview(ctx: ReportContext) -> Overview:
    if "overview" not in ctx.cache:
        ctx.cache["overview"] = OverviewQuery(ctx.organization, **ctx.query_args()).run()
    return ctx.cache["overview"]


def key_numbers(item) -> list[KeyNumber]:
    return [
        KeyNumber(label, getattr(item, attr), slug, rate=attr == "engagement_rate")
        for attr, label, slug in charts.kpi_fields()
    ]


def _summary(ctx: ReportContext) -> SectionContent:
    result = overview(ctx)
    content = SectionContent(numbers=key_numbers(result.total))
    networks = ", ".join(charts.network_name(n) for n in result.by_network) or _("none")
    content.paragraphs.append(
        _("%(accounts)d accounts on %(networks)s.") % {"accounts": result.total.accounts, "networks": networks}
    )
    reposts = result.total.reposts.current
    if reposts:
        content.paragraphs.append(
            _("%(count)d reposts published are counted apart: their numbers belong to the original posts.")
            % {"count": reposts}
        )
    return content


def _audience(ctx: ReportContext) -> SectionContent | None:
    chart = charts.audience_chart(AudienceSeriesQuery(ctx.organization, **ctx.query_args()).run())
    if chart.figure is None:
        return None
    result = overview(ctx)
    return SectionContent(
        numbers=[key_numbers(result.total)[0], key_numbers(result.total)[1]],
        charts=[ReportChart(chart.slug, chart.title, chart.figure)],
    )


def _without_previous(figure: dict | None) -> dict | None:
    if figure is None:
        return None
    label = _("Previous period")
    return {**figure, "data": [trace for trace in figure["data"] if trace.get("name") != label]}


def _engagement(ctx: ReportContext) -> SectionContent | None:
    result = overview(ctx)
    networks = charts.network_comparison_chart(result)
    activity = charts.activity_mix_chart(ActivityMixQuery(ctx.organization, **ctx.query_args()).run())
    content = SectionContent(
        numbers=[n for n in key_numbers(result.total) if n.glossary in ("engagement", "engagement-rate", "posts")]
    )
    figure = networks.figure if ctx.compare else _without_previous(networks.figure)
    if figure:
        content.charts.append(ReportChart(networks.slug, networks.title, figure))
    if activity.figure:
        content.charts.append(ReportChart(activity.slug, activity.title, activity.figure))
    return content if content.charts else None


def best_time_figure(heatmap) -> dict | None:
    if not any(cell.posts for day in heatmap.cells for cell in day):
        return None
    days = charts.weekday_names()
    z = [
        [None if cell.avg_engagement_rate is None else round(cell.avg_engagement_rate * 100, 2) for cell in hours]
        for hours in heatmap.cells
    ]
    return {
        "data": [
            {
                "type": "heatmap",
                "x": [f"{hour:02d}h" for hour in range(24)],
                "y": days,
                "z": z,
                "colorscale": [[0, "#dbeafe"], [1, charts.BLUE]],
                "colorbar": {"title": {"text": "%"}},
                "hoverongaps": False,
            }
        ],
        "layout": {
            "height": 320,
            "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
            "font": {"family": "DejaVu Sans, sans-serif", "size": 12},
            "yaxis": {"autorange": "reversed"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }


def _best_times(ctx: ReportContext) -> SectionContent | None:
    heatmap = BestTimeQuery(ctx.organization, **ctx.query_args()).run()
    figure = best_time_figure(heatmap)
    if figure is None:
        return None
    grid = charts.best_time_grid(heatmap)
    content = SectionContent(
        charts=[
            ReportChart(
                "best-time",
                _("Average engagement rate by weekday and hour (%(zone)s)") % {"zone": heatmap.time_zone},
                figure,
                height=320,
            )
        ]
    )
    if grid.best:
        content.paragraphs.append(
            _("Best slot: %(day)s at %(hour)02dh (%(posts)d posts).")
            % {"day": grid.best_day, "hour": grid.best.hour, "posts": grid.best.posts}
        )
    return content


def post_cards(ctx: ReportContext, rows: list[PostRow]) -> list[PostCard]:
    media_urls = dict(
        Post.objects.filter(organization=ctx.organization, pk__in=[r.id for r in rows]).values_list("pk", "media_url")
    )
    cards = []
    for row in rows:
        url = media_urls.get(row.id, "")
        image = ctx.cache.setdefault("thumbnails", {}).get(url)
        if image is None:
            image = media.fetch_thumbnail(url) if url else ""
            ctx.cache["thumbnails"][url] = image
        text = row.text if len(row.text) <= 280 else row.text[:279] + "…"
        cards.append(
            PostCard(
                row.published_at,
                charts.network_name(row.network),
                text,
                row.permalink,
                image,
                row.engagements,
                row.engagement_rate,
                row.views,
            )
        )
    return cards


def _top_posts(ctx: ReportContext) -> SectionContent | None:
    rows = TopPostsQuery(ctx.organization, limit=5, **ctx.query_args()).run()
    if not rows:
        return None
    return SectionContent(posts=post_cards(ctx, rows))


def _networks(ctx: ReportContext) -> SectionContent | None:
    result = overview(ctx)
    if not result.by_network:
        return None
    content = SectionContent()
    for network, item in result.by_network.items():
        rows = TopPostsQuery(ctx.organization, limit=3, **ctx.query_args(network=network)).run()
        page = SectionContent(numbers=key_numbers(item), posts=post_cards(ctx, rows))
        page.paragraphs.append(
            _("%(accounts)d accounts; %(reposts)s reposts counted apart.")
            % {"accounts": item.accounts, "reposts": item.reposts.current or 0}
        )
        content.pages.append((charts.network_name(network), page))
    return content


def _sentiment(ctx: ReportContext) -> SectionContent | None:
    """What people said (analytics.queries.voice: the messages and hits the apps registered as
    text sources), over the smallest of its windows that covers the period, ending with it."""
    from analytics.queries.voice import PERIODS, workspace_voice
    from analytics.text.timeline import sentiment_chart

    days = next((d for d in PERIODS if d >= ctx.period.days), PERIODS[-1])
    voice = workspace_voice(organization=ctx.organization, workspace=ctx.workspace, end=ctx.period.end, days=days)
    if not voice.analysed:
        return None
    chart = sentiment_chart(voice.points)
    content = SectionContent()
    if chart.figure:
        content.charts.append(ReportChart(chart.slug, chart.title, chart.figure))
    share = "—" if voice.negative_share is None else f"{voice.negative_share * 100:.0f} %"
    content.paragraphs.append(
        _("%(analysed)d messages analysed from %(start)s to %(end)s; %(share)s negative.")
        % {
            "analysed": voice.analysed,
            "start": date_format(voice.start, "SHORT_DATE_FORMAT"),
            "end": date_format(voice.end, "SHORT_DATE_FORMAT"),
            "share": share,
        }
    )
    if voice.topics:
        content.paragraphs.append(
            _("Topics: %(topics)s.") % {"topics": ", ".join(topic.label for topic in voice.topics[:6])}
        )
    return content


FORECAST_HORIZON = 30
FORECAST_HISTORY = 90


def _forecasts(ctx: ReportContext) -> SectionContent | None:
    """Each account's followers forecast (analytics.forecasting: stored by its hourly task) for the
    next 30 days, with its 80 % and 95 % bands and its backtest error."""
    from analytics.forecasting.charts import forecast_chart
    from analytics.forecasting.models import Forecast, ForecastMetric
    from analytics.forecasting.selectors import daily_histories
    from networks import selectors as network_selectors

    accounts = {a.pk: a for a in network_selectors.accounts_of_workspace(ctx.workspace)}
    forecasts = Forecast.objects.filter(
        organization_id=ctx.organization.pk,
        account_id__in=list(accounts),
        metric=ForecastMetric.FOLLOWERS,
        status=Forecast.Status.READY,
    ).order_by("account_id")
    content = SectionContent()
    label = str(dict(ForecastMetric.choices)[ForecastMetric.FOLLOWERS])
    for forecast in forecasts:
        account = accounts[forecast.account_id]
        today = forecast.last_date + dt.timedelta(days=1) if forecast.last_date else ctx.period.end
        history = daily_histories(account, today=today, days=FORECAST_HISTORY)[ForecastMetric.FOLLOWERS]
        chart = forecast_chart(forecast, history, horizon=FORECAST_HORIZON, label=label)
        if chart.figure is None:
            continue
        title = f"{charts.network_name(account.network)} · {account.display_name} — {chart.title}"
        content.charts.append(ReportChart(f"forecast-{account.pk}", title, chart.figure, height=340))
    if not content.charts:
        return None
    content.paragraphs.append(
        _("Followers over the next %(days)d days, with the ranges the forecast expects 80 and 95 times in 100.")
        % {"days": FORECAST_HORIZON}
    )
    return content


def _definitions(ctx: ReportContext) -> SectionContent:
    return SectionContent(definitions=[(str(d.title), str(d.text)) for d in DEFINITIONS.values()])


def register_sections() -> None:
    register_section("summary", gettext_lazy("Executive summary"), _summary, order=10)
    register_section("audience", pgettext_lazy("metric", "Audience"), _audience, order=20)
    register_section("engagement", pgettext_lazy("metric", "Engagements"), _engagement, order=30)
    register_section("best_times", gettext_lazy("Best time to post"), _best_times, order=40)
    register_section("top_posts", gettext_lazy("Top posts"), _top_posts, order=50)
    register_section("sentiment", gettext_lazy("Sentiment"), _sentiment, order=64)
    register_section("forecasts", gettext_lazy("Forecasts"), _forecasts, order=66)
    register_section("networks", gettext_lazy("Network by network"), _networks, order=80)
    register_section("definitions", gettext_lazy("Definitions"), _definitions, order=99)


def register() -> None:
    register_export_tables()
    register_sections()
