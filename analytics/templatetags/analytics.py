"""Formatting of statistics in templates (``{% load analytics %}``), and the links other apps'
pages show to the statistics pages.

``metric``: a number in the active language's format, or "not available" for None (a metric the
network does not report is never shown as 0). ``percent``: a fraction as a percentage. ``change``:
a ``Delta``'s change against the previous period, with its direction for the eye and in words.

The workspace page and the organisation home belong to accounts, which must not import analytics:
they pull the links in by tag name, and nothing here runs a query.
"""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.queries.results import Delta

register = template.Library()


def _format_number(value: float | int, decimals: int | None = None) -> str:
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(
            round(value, 1 if decimals is None else decimals),
            1 if decimals is None else decimals,
            use_l10n=True,
            force_grouping=True,
        )
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def not_available() -> SafeString:
    return format_html('<span class="na">{}</span>', _("not available"))


@register.filter
def metric(value) -> SafeString | str:
    if value is None:
        return not_available()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return _format_number(float(value) if isinstance(value, Decimal) else value)
    return value


@register.filter
def percent(value) -> SafeString | str:
    """A fraction (0.0523) as "5.23 %"."""
    if value is None:
        return not_available()
    return f"{formats.number_format(round(value * 100, 2), 2, use_l10n=True)} %"


@register.filter
def lookup(mapping: dict, key):
    """``{{ labels|lookup:row.kind }}``: a choice's label (the key itself when unknown)."""
    return mapping.get(key, key)


@register.filter
def cell(value) -> SafeString | str:
    """A table cell of a chart's table: dates and times in the active format, numbers as ``metric``."""
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if value is None or isinstance(value, int | float | Decimal):
        return metric(value)
    return value


@register.simple_tag
def table_body(table) -> SafeString:
    """A chart's table rows, built here rather than by template loops: a 90-day table is hundreds
    of cells, and the template engine costs ~40 µs a cell where this costs a few."""
    return format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell(value),) for value in row)),) for row in table.rows),
    )


@register.simple_tag
def heatmap_body(grid) -> SafeString:
    """The best-time grid's rows (24 hours by 7 weekdays), built here for the same reason."""
    rows = []
    for hour, cells in grid.rows:
        tds = []
        for c in cells:
            if c.posts:
                posts = ngettext("%(count)d post", "%(count)d posts", c.posts) % {"count": c.posts}
                content = format_html(
                    '<span class="heat-rate">{}</span> <span class="heat-posts">{}</span>', percent(c.rate), posts
                )
            else:
                content = ""
            tds.append(format_html('<td class="heat-{}">{}</td>', c.level, content))
        rows.append(format_html('<tr><th scope="row">{}h</th>{}</tr>', f"{hour:02d}", mark_safe("".join(tds))))  # noqa: S308 (each td is format_html's)
    return mark_safe("".join(rows))  # noqa: S308 (each row is format_html's)


@register.simple_tag
def change(delta: Delta | None, rate: bool = False) -> SafeString:
    """The change against the previous period: "▲ +120 (+4.1 %)". For a rate, the change is in
    percentage points. Says "no previous value" when it cannot be computed."""
    if delta is None or delta.change is None:
        return format_html('<span class="change change-none">{}</span>', _("no comparison"))
    if delta.change > 0:
        direction, arrow, words = "up", "▲", _("up")
    elif delta.change < 0:
        direction, arrow, words = "down", "▼", _("down")
    else:
        direction, arrow, words = "flat", "=", _("unchanged")
    if rate:
        amount = _("%(points)s pts") % {
            "points": formats.number_format(round(delta.change * 100, 2), 2, use_l10n=True, force_grouping=True)
        }
        if delta.change > 0:
            amount = "+" + amount
    else:
        amount = _format_number(delta.change)
        if delta.change > 0:
            amount = "+" + amount
    if delta.change_pct is not None and not rate:
        pct = formats.number_format(round(delta.change_pct, 1), 1, use_l10n=True)
        amount += f" ({'+' if delta.change_pct > 0 else ''}{pct} %)"
    return format_html(
        '<span class="change change-{}"><span aria-hidden="true">{}</span> <span class="sr-only">{}</span>{}</span>',
        direction,
        arrow,
        words,
        amount,
    )


@register.inclusion_tag("analytics/_workspace_link.html", takes_context=True)
def workspace_statistics_link(context: template.Context, workspace) -> dict:
    return {"request": context["request"], "workspace": workspace}


@register.inclusion_tag("analytics/_organization_link.html", takes_context=True)
def organization_statistics_link(context: template.Context) -> dict:
    return {"request": context["request"]}
