"""Charts: pure functions from the typed results of ``analytics.queries`` to Plotly figure dicts,
each with the table that says the same thing in words (the text alternative, and what the CSV and
XLSX downloads hold).

Nothing here reads the database or the request: a test hands in results and reads figures. The
browser draws the figures with the vendored partial bundle (``static/vendor/plotly-basic.min.js``:
bar, pie and scatter traces only — hence the best-time heatmap is an HTML grid, see
:func:`best_time_grid`, not a Plotly heatmap, which would need the 25 % bigger cartesian bundle).

A number a network does not report stays ``None``: Plotly draws a gap (JSON ``null``), the table
says "not available", the spreadsheet gets an empty cell. Never 0.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.queries.results import (
    ActivityMixRow,
    ContentTypeRow,
    DailyPoint,
    HashtagRow,
    Heatmap,
    NetworkOverview,
    Overview,
    PostCurve,
    ThemeRow,
)

Number = int | float | None

# The palette of static/css/app.css, so charts and cards read as one page.
BLUE, GREEN, RED, AMBER, GREY, PURPLE = "#1d4ed8", "#047857", "#b91c1c", "#b45309", "#6b7280", "#7c3aed"
SERIES_COLORS = (BLUE, GREEN, AMBER, PURPLE, RED, GREY)
NETWORK_COLORS = {"x": "#111827", "facebook": "#1877f2", "instagram": "#c13584"}
NETWORK_NAMES = {"x": "X", "facebook": "Facebook", "instagram": "Instagram"}
HEAT_LEVELS = 5  # classes heat-1 … heat-5 in app.css; heat-0 is a cell without posts


@dataclass(frozen=True)
class Table:
    """The chart's numbers as rows: shown under the chart, downloaded as CSV or XLSX."""

    header: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Chart:
    """One chart of a page. ``slug`` names its element and its download; ``glossary`` is the
    ``analytics.definitions`` slug of what it measures; ``figure`` is None when there is nothing to
    draw (the page then says so instead of an empty frame)."""

    slug: str
    title: str
    glossary: str
    table: Table
    figure: dict | None = None
    note: str = ""


def network_name(network: str) -> str:
    return NETWORK_NAMES.get(network, network.title())


def _layout(**extra: Any) -> dict:
    """What every figure shares: compact margins for a phone, legend below, the page's font."""
    layout = {
        "autosize": True,
        "height": 320,
        "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.2},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
        "xaxis": {"gridcolor": "#e5e7eb", "automargin": True},
        "yaxis": {"gridcolor": "#e5e7eb", "rangemode": "tozero", "automargin": True},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def _has_values(*series: Sequence[Number]) -> bool:
    return any(value is not None for values in series for value in values)


# --- Audience -----------------------------------------------------------------------------------


def audience_chart(points: Sequence[DailyPoint]) -> Chart:
    """Followers at the end of each day (line) and the day's follows and unfollows (bars, on a
    second axis) where the network gives them."""
    dates = [p.date for p in points]
    followers = [p.followers for p in points]
    follows = [p.follows for p in points]
    unfollows = [p.unfollows for p in points]
    data = []
    if _has_values(followers):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Followers"),
                "x": dates,
                "y": followers,
                "line": {"color": BLUE, "width": 2},
            }
        )
    if _has_values(follows):
        data.append(
            {
                "type": "bar",
                "name": _("New followers"),
                "x": dates,
                "y": follows,
                "yaxis": "y2",
                "marker": {"color": GREEN},
            }
        )
    if _has_values(unfollows):
        # Drawn below the axis: a loss reads as a loss.
        data.append(
            {
                "type": "bar",
                "name": _("Unfollows"),
                "x": dates,
                "y": [None if v is None else -v for v in unfollows],
                "customdata": unfollows,
                "hovertemplate": "%{customdata}",
                "yaxis": "y2",
                "marker": {"color": RED},
            }
        )
    table = Table(
        [_("Date"), _("Followers"), _("New followers"), _("Unfollows")],
        [[p.date, p.followers, p.follows, p.unfollows] for p in points],
    )
    figure = None
    if data:
        layout = _layout(
            yaxis={"title": {"text": _("Followers")}, "rangemode": "normal"},
            barmode="relative",
        )
        if len(data) > 1:
            layout["yaxis2"] = {"overlaying": "y", "side": "right", "showgrid": False, "zeroline": True}
        figure = {"data": data, "layout": layout}
    return Chart("audience", _("Audience growth"), "audience", table, figure)


# --- Daily metrics ------------------------------------------------------------------------------


def daily_metrics_chart(series: dict[str, Sequence[tuple[dt.date, Number]]], labels: dict[str, str]) -> Chart:
    """One line per daily metric (views, reach, engagements…); a metric the network does not
    report at all is left out of the figure and said "not available" in the table."""
    metrics = list(series)
    dates = sorted({day for values in series.values() for day, _value in values})
    by_metric = {metric: dict(values) for metric, values in series.items()}
    data = []
    for index, metric in enumerate(metrics):
        values = [by_metric[metric].get(day) for day in dates]
        if not _has_values(values):
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": labels.get(metric, metric),
                "x": dates,
                "y": values,
                "line": {"color": SERIES_COLORS[index % len(SERIES_COLORS)], "width": 2},
            }
        )
    table = Table(
        [_("Date"), *(labels.get(metric, metric) for metric in metrics)],
        [[day, *(by_metric[metric].get(day) for metric in metrics)] for day in dates],
    )
    return Chart("daily", _("Daily metrics"), "views", table, {"data": data, "layout": _layout()} if data else None)


# --- Workspace overview -------------------------------------------------------------------------


def kpi_fields() -> list[tuple[str, str, str]]:
    """The KPI cards and the comparison table's columns, in this order: (attribute of
    ``NetworkOverview``, label in the active language, ``analytics.definitions`` slug)."""
    return [
        ("audience", pgettext("metric", "Audience"), "audience"),
        ("growth", pgettext("metric", "Growth"), "audience"),
        ("posts", pgettext("metric", "Posts published"), "posts"),
        ("engagements", pgettext("metric", "Engagements"), "engagement"),
        ("engagement_rate", pgettext("metric", "Engagement rate"), "engagement-rate"),
        ("views", pgettext("metric", "Views"), "views"),
        ("reach", pgettext("metric", "Reach"), "reach"),
        ("clicks", pgettext("metric", "Clicks"), "clicks"),
    ]


def network_comparison_table(overview: Overview) -> Table:
    """Networks side by side: one row per network, each KPI for the period and the previous one."""
    header = [_("Network"), _("Accounts")]
    for _attr, label, _slug in kpi_fields():
        header += [label, _("%(metric)s (previous period)") % {"metric": label}]
    header += [_("Reposts"), _("Reposts (previous period)")]
    rows = []
    for network, item in [*overview.by_network.items(), ("total", overview.total)]:
        row: list[Any] = [_("All networks") if network == "total" else network_name(network), item.accounts]
        for attr, _label, _slug in kpi_fields():
            delta = getattr(item, attr)
            row += [delta.current, delta.previous]
        row += [item.reposts.current, item.reposts.previous]
        rows.append(row)
    return Table(header, rows)


def network_comparison_chart(overview: Overview) -> Chart:
    """Engagements per network, this period against the previous one."""
    networks: list[tuple[str, NetworkOverview]] = list(overview.by_network.items())
    names = [network_name(n) for n, _item in networks]
    current = [item.engagements.current for _n, item in networks]
    previous = [item.engagements.previous for _n, item in networks]
    data = []
    if _has_values(current, previous):
        data = [
            {"type": "bar", "name": _("Previous period"), "x": names, "y": previous, "marker": {"color": "#93c5fd"}},
            {"type": "bar", "name": _("This period"), "x": names, "y": current, "marker": {"color": BLUE}},
        ]
    return Chart(
        "networks",
        _("Engagements by network"),
        "engagement",
        network_comparison_table(overview),
        {"data": data, "layout": _layout(barmode="group", hovermode="closest")} if data else None,
    )


def activity_mix_chart(rows: Sequence[ActivityMixRow]) -> Chart:
    """Originals, replies, quotes and reposts per account, stacked: reposts stay visible apart."""
    # The account's name only (a phone has little room for labels): the network is in the hover and table.
    accounts = [row.account for row in rows]
    kinds = (
        ("originals", _("Originals"), BLUE),
        ("replies", _("Replies"), GREEN),
        ("quotes", _("Quotes"), PURPLE),
        ("reposts", _("Reposts"), GREY),
    )
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": accounts,
            "x": [getattr(row, attr) for row in rows],
            "customdata": [network_name(row.network) for row in rows],
            "hovertemplate": "%{y} (%{customdata}): %{x}",
            "marker": {"color": color},
        }
        for attr, label, color in kinds
    ]
    table = Table(
        [_("Account"), _("Network"), *(label for _attr, label, _color in kinds)],
        [[row.account, network_name(row.network), row.originals, row.replies, row.quotes, row.reposts] for row in rows],
    )
    figure = None
    if any(row.originals or row.replies or row.quotes or row.reposts for row in rows):
        figure = {
            "data": data,
            "layout": _layout(
                barmode="stack",
                hovermode="closest",
                height=max(200, 60 + 40 * len(rows)),
                yaxis={"automargin": True, "rangemode": "normal"},
            ),
        }
    return Chart("activity", _("Activity mix"), "posts", table, figure)


# --- Breakdowns ---------------------------------------------------------------------------------


def content_type_chart(rows: Sequence[ContentTypeRow], labels: dict[str, str]) -> Chart:
    names = [labels.get(row.content_type, row.content_type) for row in rows]
    rates = [None if row.engagement_rate is None else round(row.engagement_rate * 100, 2) for row in rows]
    table = Table(
        [_("Content type"), _("Posts"), _("Engagements"), _("Engagement rate (%)")],
        [[name, row.posts, row.engagements, rate] for name, row, rate in zip(names, rows, rates, strict=True)],
    )
    figure = None
    if _has_values(rates):
        figure = {
            "data": [
                {
                    "type": "bar",
                    "name": _("Engagement rate (%)"),
                    "x": names,
                    "y": rates,
                    "text": [_("%(posts)s posts") % {"posts": row.posts} for row in rows],
                    "marker": {"color": BLUE},
                }
            ],
            "layout": _layout(hovermode="closest", yaxis={"title": {"text": _("Engagement rate (%)")}}),
        }
    return Chart("content-types", _("By content type"), "engagement-rate", table, figure)


def hashtag_chart(rows: Sequence[HashtagRow], limit: int = 15) -> Chart:
    """Average engagements per post for each hashtag of the account's own posts (top ``limit`` in
    the figure; every hashtag in the table)."""
    shown = [row for row in rows if row.avg_engagement is not None][:limit]
    table = Table(
        [_("Hashtag"), _("Posts"), _("Engagements"), _("Average engagements per post")],
        [["#" + row.tag, row.posts, row.engagements, row.avg_engagement] for row in rows],
    )
    figure = None
    if shown:
        figure = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": _("Average engagements per post"),
                    "y": ["#" + row.tag for row in reversed(shown)],
                    "x": [round(row.avg_engagement, 1) for row in reversed(shown)],
                    "marker": {"color": GREEN},
                }
            ],
            "layout": _layout(
                hovermode="closest", height=max(200, 60 + 26 * len(shown)), yaxis={"rangemode": "normal"}
            ),
        }
    return Chart("hashtags", _("Hashtag performance"), "engagement", table, figure)


def theme_chart(rows: Sequence[ThemeRow]) -> Chart:
    table = Table(
        [_("Theme"), _("Posts"), _("Engagements"), _("Engagement rate (%)")],
        [
            [row.name, row.posts, row.engagements, None if row.engagement_rate is None else row.engagement_rate * 100]
            for row in rows
        ],
    )
    figure = None
    if any(row.posts for row in rows):
        figure = {
            "data": [
                {
                    "type": "bar",
                    "name": _("Posts"),
                    "x": [row.name for row in rows],
                    "y": [row.posts for row in rows],
                    "marker": {"color": [row.color or BLUE for row in rows]},
                }
            ],
            "layout": _layout(hovermode="closest"),
        }
    return Chart("themes", _("By theme"), "engagement", table, figure)


# --- Post curve ---------------------------------------------------------------------------------


def curve_chart(curve: PostCurve) -> Chart:
    """The post's engagements over the hours after publishing, against the account's median post
    of the same content type (dashed)."""
    data = []
    if _has_values([p.engagements for p in curve.points]):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("This post"),
                "x": [p.hours_since_publish for p in curve.points],
                "y": [p.engagements for p in curve.points],
                "line": {"color": BLUE, "width": 2},
            }
        )
    if _has_values([p.engagements for p in curve.median_points]):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Median post of the same type"),
                "x": [p.hours_since_publish for p in curve.median_points],
                "y": [p.engagements for p in curve.median_points],
                "line": {"color": GREY, "width": 2, "dash": "dash"},
            }
        )
    rows = [[_("This post"), p.hours_since_publish, p.engagements, p.views] for p in curve.points]
    rows += [
        [_("Median post of the same type"), p.hours_since_publish, p.engagements, p.views] for p in curve.median_points
    ]
    table = Table([_("Series"), _("Hours after publishing"), _("Engagements"), _("Views")], rows)
    figure = None
    if data:
        # A log axis shows the first hour, day and week on one width.
        figure = {
            "data": data,
            "layout": _layout(
                hovermode="closest",
                xaxis={"type": "log", "title": {"text": _("Hours after publishing")}, "tickvals": [1, 6, 24, 72, 168]},
            ),
        }
    return Chart("curve", _("Engagement over time"), "curve", table, figure)


# --- Best time to post --------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatGridCell:
    weekday: int
    hour: int
    rate: float | None  # average engagement rate, a fraction
    posts: int
    level: int  # 0 (no post) … HEAT_LEVELS


@dataclass(frozen=True)
class HeatGrid:
    """The weekday-by-hour heatmap as rows of hours (a phone shows 7 columns, not 24)."""

    time_zone: str
    weekdays: list[str]
    rows: list[tuple[int, list[HeatGridCell]]] = field(default_factory=list)
    best: HeatGridCell | None = None
    best_day: str = ""


def weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def best_time_grid(heatmap: Heatmap) -> HeatGrid:
    """Each cell's level relative to the best cell (levels are CSS classes: no inline style)."""
    rates = [cell.avg_engagement_rate for day in heatmap.cells for cell in day if cell.avg_engagement_rate is not None]
    top = max(rates, default=None)
    best: HeatGridCell | None = None
    rows = []
    for hour in range(24):
        cells = []
        for weekday in range(7):
            cell = heatmap.cells[weekday][hour]
            level = 0
            if cell.posts and cell.avg_engagement_rate is not None and top:
                level = max(1, min(HEAT_LEVELS, round(cell.avg_engagement_rate / top * HEAT_LEVELS)))
            elif cell.posts:
                level = 1
            grid_cell = HeatGridCell(weekday, hour, cell.avg_engagement_rate, cell.posts, level)
            if cell.avg_engagement_rate is not None and (best is None or cell.avg_engagement_rate > (best.rate or 0)):
                best = grid_cell
            cells.append(grid_cell)
        rows.append((hour, cells))
    days = weekday_names()
    return HeatGrid(heatmap.time_zone, days, rows, best, days[best.weekday] if best else "")


def best_time_table(heatmap: Heatmap) -> Table:
    days = weekday_names()
    rows = [
        [days[weekday], hour, None if cell.avg_engagement_rate is None else cell.avg_engagement_rate * 100, cell.posts]
        for weekday, hours in enumerate(heatmap.cells)
        for hour, cell in enumerate(hours)
        if cell.posts
    ]
    return Table(
        [_("Weekday"), _("Hour (%(zone)s)") % {"zone": heatmap.time_zone}, _("Engagement rate (%)"), _("Posts")], rows
    )
