"""The listening dashboard's charts: pure functions from ``listening.queries`` results to Plotly
figures (the analytics ``Chart``/``Table`` shapes, drawn by static/js/charts.js), each with its
table, which is also what the CSV and XLSX downloads hold."""

from django.utils.translation import gettext as _

from analytics.charts import SERIES_COLORS, Chart, Table, _layout, network_name
from analytics.queries.params import Period
from listening.queries import ListeningResult

LANGUAGE_NAMES = {"fr": "français", "en": "English", "es": "español", "de": "Deutsch", "it": "italiano"}


def _watch_names(result: ListeningResult) -> dict[int, str]:
    return {w.pk: w.name for w in result.watches}


def volume_chart(result: ListeningResult, period: Period) -> Chart:
    names = _watch_names(result)
    days = period.dates()
    by_watch: dict[int, dict] = {}
    for row in result.volume:
        by_watch.setdefault(row.watch_id, {})[row.day] = row.posts
    shown = [w for w in result.watches if w.pk in by_watch]
    table = Table(
        [_("Day"), *(names[w.pk] for w in shown)],
        [[day, *(by_watch[w.pk].get(day, 0) for w in shown)] for day in days],
    )
    figure = None
    if shown:
        figure = {
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": names[w.pk],
                    "x": [d.isoformat() for d in days],
                    "y": [by_watch[w.pk].get(d, 0) for d in days],
                    "line": {"color": SERIES_COLORS[i % len(SERIES_COLORS)]},
                }
                for i, w in enumerate(shown)
            ],
            "layout": _layout(yaxis={"title": {"text": _("Posts")}}),
        }
    return Chart("volume", _("Volume over time"), "listening", table, figure)


def share_chart(result: ListeningResult) -> Chart:
    names = _watch_names(result)
    total = sum(result.share.values())
    rows = sorted(result.share.items(), key=lambda kv: -kv[1])
    table = Table(
        [_("Watch"), _("Posts"), _("Share (%)")],
        [[names.get(pk, "?"), count, round(100 * count / total, 1) if total else None] for pk, count in rows],
    )
    figure = None
    if total:
        figure = {
            "data": [
                {
                    "type": "pie",
                    "labels": [names.get(pk, "?") for pk, _count in rows],
                    "values": [count for _pk, count in rows],
                    "hole": 0.45,
                    "marker": {"colors": list(SERIES_COLORS)},
                    "sort": False,
                }
            ],
            "layout": _layout(hovermode="closest"),
        }
    return Chart("share", _("Share of voice between watches"), "listening", table, figure)


def language_label(code: str) -> str:
    if not code:
        return _("Unknown")
    return LANGUAGE_NAMES.get(code, code)


def languages_chart(result: ListeningResult) -> Chart:
    rows = result.languages
    table = Table([_("Language"), _("Posts")], [[language_label(r.language), r.posts] for r in rows])
    figure = None
    if rows:
        figure = {
            "data": [
                {
                    "type": "bar",
                    "x": [language_label(r.language) for r in rows],
                    "y": [r.posts for r in rows],
                    "marker": {"color": SERIES_COLORS[1]},
                    "name": _("Posts"),
                }
            ],
            "layout": _layout(hovermode="closest"),
        }
    return Chart("languages", _("Languages"), "listening", table, figure)


def authors_chart(result: ListeningResult) -> Chart:
    rows = result.authors
    table = Table(
        [_("Author"), _("Network"), _("Posts"), _("Engagements")],
        [[r.author, network_name(r.network), r.posts, r.engagement] for r in rows],
    )
    figure = None
    if rows:
        figure = {
            "data": [
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": [r.author for r in reversed(rows)],
                    "x": [r.posts for r in reversed(rows)],
                    "marker": {"color": SERIES_COLORS[0]},
                    "name": _("Posts"),
                }
            ],
            "layout": _layout(hovermode="closest", height=max(200, 60 + 26 * len(rows)), yaxis={"rangemode": "normal"}),
        }
    note = ""
    if result.unknown_authors:
        note = _(
            "%(count)s posts have no known author (Instagram does not give the author of media found by hashtag)."
        ) % {"count": result.unknown_authors}
    return Chart("authors", _("Top authors"), "listening", table, figure, note)


def posts_table(result: ListeningResult) -> Chart:
    table = Table(
        [_("Published"), _("Network"), _("Author"), _("Text"), _("Engagements"), _("Link")],
        [
            [
                hit.published_at,
                network_name(hit.network),
                hit.author_label or _("Unknown"),
                hit.text[:200],
                hit.engagement,
                hit.permalink,
            ]
            for hit in result.posts
        ],
    )
    return Chart("posts", _("Top posts"), "listening", table, None)
