"""Listening in reports: its tables in a workspace's full data export and its report section
(reports/exports.py discovers this module)."""

from django.utils.translation import gettext_lazy as _

from listening.models import Hit, Watch, WatchMatch, WatchUsage, WelcomeItem
from reports.exports import register_model_table
from reports.sections import register_section

register_model_table("listening_watches", _("Listening: watches and their rules"), Watch)
register_model_table("listening_hits", _("Listening: posts found by the watches"), Hit)
register_model_table(
    "listening_matches", _("Listening: which watch found which post"), WatchMatch, workspace_path="watch__workspace"
)
register_model_table(
    "listening_usage", _("Listening: reads and calls per watch and day"), WatchUsage, workspace_path="watch__workspace"
)
register_model_table(
    "listening_welcome", _("Listening: the welcome queue"), WelcomeItem, workspace_path="watch__workspace"
)


def _listening_section(ctx):
    """The report's listening section: posts the watches found in the period (and the previous
    one), their daily volume per watch, and the most active authors (listening.queries)."""
    from analytics.charts import SERIES_COLORS, Table, _layout
    from analytics.queries.results import Delta
    from listening.queries import ListeningQuery
    from reports.sections import KeyNumber, ReportChart, SectionContent

    result = ListeningQuery(ctx.workspace, ctx.period).run(top=10)
    if not result.total:
        return None
    previous = ListeningQuery(ctx.workspace, ctx.period.previous()).run(top=1).total if ctx.compare else None
    content = SectionContent(numbers=[KeyNumber(str(_("Posts found")), Delta.of(result.total, previous))])
    names = {watch.pk: watch.name for watch in result.watches}
    dates = ctx.period.dates()
    by_watch: dict[int, dict] = {}
    for row in result.volume:
        by_watch.setdefault(row.watch_id, {})[row.day] = row.posts
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": names.get(watch_id, str(watch_id)),
            "x": dates,
            "y": [days.get(day, 0) for day in dates],
            "line": {"color": SERIES_COLORS[index % len(SERIES_COLORS)], "width": 2},
        }
        for index, (watch_id, days) in enumerate(sorted(by_watch.items()))
    ]
    if data:
        content.charts.append(
            ReportChart(
                "listening-volume", str(_("Posts found per day and watch")), {"data": data, "layout": _layout()}
            )
        )
    if result.authors:
        content.tables.append(
            (
                str(_("Most active authors")),
                Table(
                    [str(_("Network")), str(_("Author")), str(_("Posts")), str(_("Engagements"))],
                    [[a.network, a.author, a.posts, a.engagement] for a in result.authors],
                ),
            )
        )
    return content


register_section("listening", _("Listening"), _listening_section, order=60)
