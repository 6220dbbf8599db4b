"""Every workspace the member may see on one page: headline numbers and their change, token and
sync health, alerts (for an agency, its clients; a client member sees only its own)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from analytics import charts
from analytics.queries.agency import AgencyOverviewQuery
from analytics.templatetags.analytics import formatter
from analytics.views.base import chart_download, organization_tz, page_template, period_choice, render_local
from analytics.views.display import workspace_cards


def health_table(rows) -> charts.Table:
    header = [
        _("Workspace"),
        _("Accounts"),
        _("Audience"),
        _("Audience (previous period)"),
        _("Engagements"),
        _("Engagements (previous period)"),
        _("Engagement rate (%)"),
        _("Posts published"),
        _("Posts published (previous period)"),
        _("Accounts needing attention"),
        _("Last sync"),
        _("Alerts"),
    ]
    return charts.Table(
        header,
        [
            [
                row.workspace,
                row.accounts,
                row.audience.current,
                row.audience.previous,
                row.engagements.current,
                row.engagements.previous,
                None if row.engagement_rate.current is None else row.engagement_rate.current * 100,
                row.posts.current,
                row.posts.previous,
                row.accounts_needing_attention,
                row.last_synced_at,
                " ".join(row.alerts),
            ]
            for row in rows
        ],
    )


@require_safe
@org_view()
def agency_overview(request: HttpRequest) -> HttpResponse:
    choice = period_choice(request)

    def rows():
        return AgencyOverviewQuery(request.organization, membership=request.membership, period=choice.period).run()

    download = chart_download(
        request,
        {"workspaces": lambda: charts.Chart("workspaces", _("Workspaces"), "engagement", health_table(rows()))},
        request.organization.name,
    )
    if download is not None:
        return download
    cards = workspace_cards(
        rows(), org_slug=request.organization.slug, tz=organization_tz(request.organization), fmt=formatter()
    )
    context = {"choice": choice, "rows": cards}
    template = page_template(request, "analytics/agency_overview.html", "analytics/_agency_body.html")
    return render_local(request, template, context)
