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
from django.conf import settings
from django.utils import dateformat, formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from analytics.queries.results import Delta

register = template.Library()


class Formatter:
    """The active language's number and date formats, looked up once: a table or a page of cards
    formats hundreds of values, and Django's ``number_format``/``date_format`` look the separators
    up again for every one of them (with lazy-string checks), which was most of the account
    page's and the agency overview's time (docs/performance.md "Dashboard"). Gives the same text
    as ``number_format(…, use_l10n=True)`` (tested against it in both languages)."""

    # Beyond this, a float's repr uses an exponent and Django's own path is taken.
    _FAST_LIMIT = 1e15

    def __init__(self) -> None:
        self.decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
        self.thousand = str(formats.get_format("THOUSAND_SEPARATOR"))
        self.grouping = formats.get_format("NUMBER_GROUPING")
        self.separators = str.maketrans({",": self.thousand, ".": self.decimal})
        # ``percent`` groups only when the project does (no force_grouping), as before.
        self.percent_grouping = bool(settings.USE_THOUSAND_SEPARATOR)
        self.date_formats = {
            name: str(formats.get_format(name))
            for name in ("SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT")
        }
        self.compiled: dict[str, list | bool] = {}
        self.not_available = str(not_available())
        self.no_comparison = str(format_html('<span class="change change-none">{}</span>', _("no comparison")))
        self.words = {"up": escape(_("up")), "down": escape(_("down")), "flat": escape(_("unchanged"))}
        self.points = _("%(points)s pts")

    def _fixed(self, value, decimals: int, grouping: bool) -> str:
        """``value`` with ``decimals`` places (``value`` already rounded to them)."""
        if self.grouping != 3 or not abs(value) < self._FAST_LIMIT:
            return formats.number_format(value, decimals, use_l10n=True, force_grouping=grouping)
        text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
        return text.translate(self.separators)

    def integer(self, value: int) -> str:
        if self.grouping != 3:
            return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
        return f"{value:,}".replace(",", self.thousand)

    def number(self, value: float | int, decimals: int | None = None) -> str:
        """What ``metric`` shows: integers grouped, other floats to one place (or ``decimals``)."""
        if isinstance(value, float) and not value.is_integer():
            places = 1 if decimals is None else decimals
            return self._fixed(round(value, places), places, True)
        return self.integer(int(value))

    def metric(self, value) -> str:
        """``metric`` as text already safe for HTML."""
        if value is None:
            return self.not_available
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return self.number(value)
        if isinstance(value, Decimal):
            return self.number(float(value))
        return str(conditional_escape(value))

    def percent(self, value) -> str:
        if value is None:
            return self.not_available
        return f"{self._fixed(round(value * 100, 2), 2, self.percent_grouping)} %"

    def date(self, value, name: str = "SHORT_DATE_FORMAT") -> str:
        """``value`` in one of the language's date formats (a datetime in its own time zone, as
        ``date_format`` does: make it local first)."""
        compiled = self.compiled.get(name)
        if compiled is None:
            compiled = self.compiled[name] = _compile_date_format(self.date_formats[name])
        if compiled is False:
            return dateformat.format(value, self.date_formats[name])
        return "".join([part if isinstance(part, str) else part(value) for part in compiled])

    def cell(self, value) -> str:
        """A chart table's cell as safe text: dates and times in the short formats, numbers as ``metric``."""
        if isinstance(value, dt.datetime):
            return self.date(value, "SHORT_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return self.date(value)
        return self.metric(value)

    def change(self, delta: Delta | None, rate: bool = False) -> str:
        """``change`` as safe text."""
        if delta is None or delta.change is None:
            return self.no_comparison
        if delta.change > 0:
            direction, arrow = "up", "▲"
        elif delta.change < 0:
            direction, arrow = "down", "▼"
        else:
            direction, arrow = "flat", "="
        if rate:
            amount = self.points % {"points": self._fixed(round(delta.change * 100, 2), 2, True)}
        else:
            amount = self.number(delta.change)
        if delta.change > 0:
            amount = "+" + amount
        if delta.change_pct is not None and not rate:
            pct = self._fixed(round(delta.change_pct, 1), 1, self.percent_grouping)
            amount += f" ({'+' if delta.change_pct > 0 else ''}{pct} %)"
        return (
            f'<span class="change change-{direction}"><span aria-hidden="true">{arrow}</span>'
            f' <span class="sr-only">{self.words[direction]}</span>{escape(amount)}</span>'
        )


# The format characters ``Formatter.date`` writes itself (as django.utils.dateformat does); a
# format using any other letter (or a backslash escape) goes through dateformat.
_DATE_PARTS = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
}


def _compile_date_format(fmt: str) -> list | bool:
    parts: list = []
    for char in fmt:
        if char in _DATE_PARTS:
            parts.append(_DATE_PARTS[char])
        elif char.isalpha() or char == "\\":
            return False
        else:
            parts.append(char)
    return parts


def not_available() -> SafeString:
    return format_html('<span class="na">{}</span>', _("not available"))


_FORMATTERS: dict[tuple, Formatter] = {}


def formatter() -> Formatter:
    """The active language's ``Formatter``, built once per language (and per formatting settings,
    which tests may override) for the life of the process."""
    key = (get_language(), settings.USE_THOUSAND_SEPARATOR, settings.FORMAT_MODULE_PATH)
    found = _FORMATTERS.get(key)
    if found is None:
        found = _FORMATTERS[key] = Formatter()
    return found


@register.filter
def metric(value) -> SafeString | str:
    if value is None:
        return not_available()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return formatter().number(float(value) if isinstance(value, Decimal) else value)
    return value


@register.filter
def percent(value) -> SafeString | str:
    """A fraction (0.0523) as "5.23 %"."""
    if value is None:
        return not_available()
    return formatter().percent(value)


@register.filter
def lookup(mapping: dict, key):
    """``{{ labels|lookup:row.kind }}``: a choice's label (the key itself when unknown)."""
    return mapping.get(key, key)


@register.filter
def cell(value) -> SafeString | str:
    """A table cell of a chart's table: dates and times in the active format, numbers as ``metric``."""
    return mark_safe(formatter().cell(value))  # noqa: S308 (Formatter escapes text)


@register.simple_tag
def table_body(table) -> SafeString:
    """A chart's table rows, built here rather than by template loops: a 90-day table is hundreds
    of cells; the formats are looked up once for the table (``Formatter``), not per cell."""
    f = formatter()
    fmt = f.cell
    rows = ["<tr>" + "".join(["<td>" + fmt(value) + "</td>" for value in row]) + "</tr>" for row in table.rows]
    return mark_safe("".join(rows))  # noqa: S308 (every cell is escaped by Formatter)


@register.simple_tag
def heatmap_body(grid) -> SafeString:
    """The best-time grid's rows (24 hours by 7 weekdays), built here for the same reason."""
    f = formatter()
    rows = []
    for hour, cells in grid.rows:
        tds = []
        for c in cells:
            if c.posts:
                posts = escape(ngettext("%(count)d post", "%(count)d posts", c.posts) % {"count": c.posts})
                content = f'<span class="heat-rate">{f.percent(c.rate)}</span> <span class="heat-posts">{posts}</span>'
            else:
                content = ""
            tds.append(f'<td class="heat-{escape(c.level)}">{content}</td>')
        rows.append(f'<tr><th scope="row">{hour:02d}h</th>{"".join(tds)}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 (every value is escaped or ours)


@register.simple_tag
def change(delta: Delta | None, rate: bool = False) -> SafeString:
    """The change against the previous period: "▲ +120 (+4.1 %)". For a rate, the change is in
    percentage points. Says "no comparison" when it cannot be computed."""
    return mark_safe(formatter().change(delta, rate))  # noqa: S308 (Formatter escapes)


@register.inclusion_tag("analytics/_workspace_link.html", takes_context=True)
def workspace_statistics_link(context: template.Context, workspace) -> dict:
    return {"request": context["request"], "workspace": workspace}


@register.inclusion_tag("analytics/_organization_link.html", takes_context=True)
def organization_statistics_link(context: template.Context) -> dict:
    return {"request": context["request"]}
