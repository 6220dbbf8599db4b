"""Charts are pure functions from query results to Plotly figures and tables: no database, no
HTTP. A metric that is not reported stays a gap (None), never 0."""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from analytics import charts
from analytics.definitions import DEFINITIONS
from analytics.queries.results import (
    ActivityMixRow,
    ContentTypeRow,
    CurvePoint,
    DailyPoint,
    Delta,
    HashtagRow,
    HeatCell,
    Heatmap,
    NetworkOverview,
    Overview,
    PostCurve,
    ThemeRow,
)


@pytest.fixture(autouse=True)
def _english():
    """Labels are translated when a chart is built; these tests read the English ones."""
    with translation.override("en"):
        yield


D1, D2, D3 = dt.date(2026, 11, 1), dt.date(2026, 11, 2), dt.date(2026, 11, 3)


def network(name: str, engagements: Delta, reach: Delta | None = None) -> NetworkOverview:
    nothing = Delta.of(None, None)
    return NetworkOverview(
        network=name,
        accounts=1,
        audience=Delta.of(1100, 1000),
        growth=Delta.of(100, None),
        posts=Delta.of(2, 1),
        reposts=Delta.of(1, 0),
        engagements=engagements,
        engagement_rate=Delta.of(0.04, 0.02),
        views=Delta.of(500, 100),
        reach=reach or nothing,
        clicks=nothing,
    )


def overview() -> Overview:
    x = network("x", Delta.of(20, 4))
    fb = network("facebook", Delta.of(None, None), Delta.of(50, 40))
    return Overview(
        D1,
        D3,
        dt.date(2026, 10, 29),
        dt.date(2026, 10, 31),
        network("total", Delta.of(20, 4)),
        {"x": x, "facebook": fb},
    )


def test_it_draws_followers_and_keeps_missing_days_as_gaps():
    chart = charts.audience_chart(
        [DailyPoint(D1, 1000, None, None), DailyPoint(D2, None, None, None), DailyPoint(D3, 1010, None, None)]
    )
    (followers,) = chart.figure["data"]  # X gives no follows/unfollows: no bars drawn
    assert followers["y"] == [1000, None, 1010]
    assert chart.table.rows[1] == [D2, None, None, None]


def test_it_draws_unfollows_below_the_axis_with_their_real_count_on_hover():
    chart = charts.audience_chart([DailyPoint(D1, 1000, 12, 3)])
    unfollows = chart.figure["data"][2]
    assert unfollows["y"] == [-3] and unfollows["customdata"] == [3]
    assert chart.figure["layout"]["yaxis2"]["overlaying"] == "y"


def test_it_draws_nothing_when_nothing_is_reported():
    chart = charts.audience_chart([DailyPoint(D1, None, None, None)])
    assert chart.figure is None
    assert chart.table.rows == [[D1, None, None, None]]


def test_it_leaves_a_metric_the_network_does_not_report_out_of_the_figure():
    series = {"views": [(D1, 10), (D2, 20)], "reach": [(D1, None), (D2, None)]}
    chart = charts.daily_metrics_chart(series, {"views": "Views", "reach": "Reach"})
    assert [trace["name"] for trace in chart.figure["data"]] == ["Views"]
    assert chart.table.header == ["Date", "Views", "Reach"]
    assert chart.table.rows == [[D1, 10, None], [D2, 20, None]]


def test_it_compares_networks_with_their_previous_period():
    chart = charts.network_comparison_chart(overview())
    previous, current = chart.figure["data"]
    assert previous["x"] == current["x"] == ["X", "Facebook"]
    assert current["y"] == [20, None] and previous["y"] == [4, None]
    header = chart.table.header
    total = chart.table.rows[-1]
    assert total[0] == "All networks"
    assert total[header.index("Engagements")] == 20
    assert total[header.index("Engagements (previous period)")] == 4
    facebook = chart.table.rows[1]
    assert facebook[header.index("Clicks")] is None  # not available, not 0


def test_it_stacks_the_activity_mix_with_reposts_apart():
    chart = charts.activity_mix_chart([ActivityMixRow(1, "Ville", "x", originals=3, replies=1, quotes=0, reposts=9)])
    traces = {trace["name"]: trace["x"] for trace in chart.figure["data"]}
    assert traces == {"Originals": [3], "Replies": [1], "Quotes": [0], "Reposts": [9]}
    assert chart.figure["layout"]["barmode"] == "stack"
    assert chart.table.rows == [["Ville", "X", 3, 1, 0, 9]]


def test_it_shows_engagement_rates_as_percentages():
    chart = charts.content_type_chart(
        [ContentTypeRow("photo", 4, 40, 0.0525), ContentTypeRow("story", 1, None, None)],
        {"photo": "Photo", "story": "Story"},
    )
    assert chart.figure["data"][0]["y"] == [5.25, None]
    assert chart.table.rows == [["Photo", 4, 40, 5.25], ["Story", 1, None, None]]


def test_it_ranks_hashtags_best_on_top():
    rows = [HashtagRow("boulogne", 3, 30, 10.0), HashtagRow("sport", 2, 10, 5.0), HashtagRow("rare", 1, None, None)]
    chart = charts.hashtag_chart(rows)
    assert chart.figure["data"][0]["y"] == ["#sport", "#boulogne"]  # Plotly draws the last on top
    assert [row[0] for row in chart.table.rows] == ["#boulogne", "#sport", "#rare"]


def test_it_colours_themes_with_their_own_colour():
    chart = charts.theme_chart([ThemeRow(1, "Sport", "#ff0000", 2, 10, 0.1), ThemeRow(2, "Fêtes", "", 0, None, None)])
    assert chart.figure["data"][0]["marker"]["color"] == ["#ff0000", charts.BLUE]
    assert chart.table.rows[0] == ["Sport", 2, 10, 10.0]


def test_it_compares_a_posts_curve_with_the_median_post():
    curve = PostCurve(
        post_id=1,
        points=[CurvePoint(1.0, 2, 5), CurvePoint(24.0, 8, 120)],
        median_post_id=2,
        median_points=[CurvePoint(1.0, 1, 3)],
    )
    chart = charts.curve_chart(curve)
    this, median = chart.figure["data"]
    assert this["x"] == [1.0, 24.0] and this["y"] == [2, 8]
    assert median["line"]["dash"] == "dash"
    assert chart.figure["layout"]["xaxis"]["type"] == "log"
    assert len(chart.table.rows) == 3


def test_it_grades_the_best_time_grid_against_the_best_cell():
    cells = [[HeatCell(None, 0) for _hour in range(24)] for _day in range(7)]
    cells[0][9] = HeatCell(0.10, 4)  # Monday 9:00, the best
    cells[2][18] = HeatCell(0.05, 1)  # Wednesday 18:00, half as good
    cells[4][12] = HeatCell(None, 2)  # Friday noon: posts without a rate
    grid = charts.best_time_grid(Heatmap("Europe/Paris", cells))
    by_hour = dict(grid.rows)
    assert by_hour[9][0].level == charts.HEAT_LEVELS
    assert by_hour[18][2].level in (2, 3)
    assert by_hour[12][4].level == 1 and by_hour[12][4].rate is None
    assert by_hour[0][0].level == 0 and by_hour[0][0].posts == 0
    assert (grid.best.weekday, grid.best.hour, grid.best_day) == (0, 9, "Mon")
    table = charts.best_time_table(Heatmap("Europe/Paris", cells))
    assert table.rows[0] == ["Mon", 9, 10.0, 4]
    assert len(table.rows) == 3  # only cells with posts


def test_it_links_every_chart_and_kpi_to_a_written_definition():
    built = [
        charts.audience_chart([]),
        charts.daily_metrics_chart({}, {}),
        charts.network_comparison_chart(overview()),
        charts.activity_mix_chart([]),
        charts.content_type_chart([], {}),
        charts.hashtag_chart([]),
        charts.theme_chart([]),
        charts.curve_chart(PostCurve(1, [], None, [])),
    ]
    slugs = {chart.glossary for chart in built} | {slug for _attr, _label, slug in charts.kpi_fields()}
    assert slugs <= DEFINITIONS.keys()


def test_it_builds_figures_that_serialise_to_json():
    figure = charts.audience_chart([DailyPoint(D1, 1000, 1, 2)]).figure
    assert '"2026-11-01"' in json.dumps(figure, cls=DjangoJSONEncoder)
