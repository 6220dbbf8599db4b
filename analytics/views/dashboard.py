"""The workspace dashboard: headline numbers with their previous period, the networks side by
side, the activity mix and the themes, for a period and an optional theme."""

import functools

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from accounts.selectors import workspace_for_member
from analytics import charts
from analytics.queries.overview import OverviewQuery
from analytics.queries.params import Filters
from analytics.queries.posts import ActivityMixQuery, ThemeQuery
from analytics.views.base import (
    account_parts,
    cached_page,
    chart_download,
    facts_version,
    fragment_key,
    int_list,
    page_key,
    page_template,
    page_themes,
    period_choice,
    render_page,
    theme_parts,
)
from networks import selectors as network_selectors


def kpi_table(overview) -> charts.Table:
    header = [_("Metric"), _("This period"), _("Previous period"), _("Change"), _("Change (%)")]
    rows = []
    for attr, label, _slug in charts.kpi_fields():
        delta = getattr(overview.total, attr)
        rows.append([label, delta.current, delta.previous, delta.change, delta.change_pct])
    reposts = overview.total.reposts
    rows.append([_("Reposts"), reposts.current, reposts.previous, reposts.change, reposts.change_pct])
    return charts.Table(header, rows)


@require_safe
@org_view()
def workspace_dashboard(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    choice = period_choice(request)
    accounts = network_selectors.accounts_of_workspace(workspace)
    template = page_template(request, "analytics/dashboard.html", "analytics/_dashboard_body.html")
    # Nothing on the page but facts, the accounts' rows and the frame: served whole to the members
    # who see the same page.
    key = page_key(request, template, choice, account_parts(accounts))
    cached = cached_page(request, key)
    if cached is not None:
        return cached
    themes = page_themes(request, workspace.pk)
    theme_ids = tuple(t for t in int_list(request, "theme") if t in {theme.pk for theme in themes})
    query_args = {
        "membership": request.membership,
        "period": choice.period,
        "filters": Filters(workspace_id=workspace.pk, theme_ids=theme_ids),
        # One dict for the whole request: the queries below share the visible-account lookup.
        "shared": {"facts_version": facts_version(request)},
    }

    @functools.cache
    def overview():
        return OverviewQuery(request.organization, **query_args).result()

    @functools.cache
    def activity() -> charts.Chart:
        return charts.activity_mix_chart(ActivityMixQuery(request.organization, **query_args).result())

    @functools.cache
    def by_theme() -> charts.Chart:
        return charts.theme_chart(ThemeQuery(request.organization, **query_args).result())

    downloads = {
        "kpis": lambda: charts.Chart("kpis", _("Headline numbers"), "engagement", kpi_table(overview())),
        "networks": lambda: charts.network_comparison_chart(overview()),
        "activity": activity,
        "themes": by_theme,
    }
    download = chart_download(request, downloads, workspace.name)
    if download is not None:
        return download
    # Lazy (memoised callables the template calls): a fragment read from the facts cache
    # ({% factcache %}) runs none of the queries behind it.
    context = {
        "workspace": workspace,
        "choice": choice,
        "overview": overview,
        "kpis": functools.cache(
            lambda: [(attr, label, slug, getattr(overview().total, attr)) for attr, label, slug in charts.kpi_fields()]
        ),
        "networks": functools.cache(
            lambda: [(charts.network_name(n), item) for n, item in overview().by_network.items()]
        ),
        "network_chart": functools.cache(lambda: charts.network_comparison_chart(overview())),
        "activity_chart": activity,
        "theme_chart": by_theme if themes else None,
        "themes": themes,
        "theme_ids": theme_ids,
        "accounts": accounts,
        "fact_key": fragment_key(request, choice, account_parts(accounts), theme_parts(themes)),
    }
    return render_page(request, template, context, key)
