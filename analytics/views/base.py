"""What every statistics page shares: reading the period and filters from the query string, the
organisation's time zone, and the CSV/XLSX download of one chart's table."""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Organization
from analytics import factcache
from analytics.charts import Chart
from analytics.models import Theme
from analytics.queries.params import PRESETS, Period, period_from_request
from analytics.queries.posts import visible_themes
from overgraph import pagecache
from overgraph.exports import Sheet, csv_response, xlsx_response

logger = logging.getLogger(__name__)

DEFAULT_PRESET = "28d"
PRESET_LABELS = {
    "7d": gettext_lazy("Last 7 days"),
    "28d": gettext_lazy("Last 28 days"),
    "90d": gettext_lazy("Last 90 days"),
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "custom": gettext_lazy("Custom"),
}
DOWNLOAD_FORMATS = ("csv", "xlsx")


def organization_tz(organization: Organization) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(organization.time_zone)


def local_today(organization: Organization) -> dt.date:
    return timezone.localdate(timezone=organization_tz(organization))


@dataclass(frozen=True)
class PeriodChoice:
    """The period a page shows, what the selector shows, and the error when the input was bad (the
    page then shows the default period and says why, rather than a bare 400)."""

    preset: str
    start: str
    end: str
    period: Period
    error: str = ""
    presets: list[tuple[str, str]] = field(default_factory=list)


def period_choice(request: HttpRequest) -> PeriodChoice:
    today = local_today(request.organization)
    preset = request.GET.get("period") or DEFAULT_PRESET
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    presets = [(key, str(PRESET_LABELS[key])) for key in PRESETS]
    try:
        period = period_from_request(preset, start or None, end or None, today=today)
    except ValueError as error:
        period = period_from_request(DEFAULT_PRESET, today=today)
        return PeriodChoice(DEFAULT_PRESET, start, end, period, str(error), presets)
    if preset != "custom":
        start, end = period.start.isoformat(), period.end.isoformat()
    return PeriodChoice(preset, start, end, period, "", presets)


def int_list(request: HttpRequest, name: str) -> tuple[int, ...]:
    """Ids from a repeated query parameter; anything not a number is ignored (a filter narrows,
    it cannot widen, so a bad value only shows more of what the member may see anyway)."""
    values = []
    for raw in request.GET.getlist(name):
        try:
            values.append(int(raw))
        except ValueError:
            continue
    return tuple(values)


def facts_version(request: HttpRequest) -> str | None:
    """The organisation's facts version, read once per request."""
    if not hasattr(request, "facts_version"):
        request.facts_version = factcache.facts_version(request.organization.pk)
    return request.facts_version


def page_themes(request: HttpRequest, workspace_id: int) -> list[Theme]:
    """The themes a page offers: the organisation's and the workspace's, among those the member
    sees, by name. Themes are facts (``analytics.services.themes`` changes the facts version):
    read from the facts cache."""
    membership = request.membership

    def read() -> list[Theme]:
        themes = visible_themes(membership).filter(Q(workspace__isnull=True) | Q(workspace_id=workspace_id))
        return list(themes.order_by("name"))

    parts = ("page_themes", factcache.visible_scope(membership), workspace_id)
    return factcache.cached(request.organization.pk, parts, read, version=facts_version(request))


def fragment_key(request: HttpRequest, choice: PeriodChoice, *parts) -> str | None:
    """The key of a statistics page's cached fragments (``{% factcache %}``,
    analytics/templatetags/factcache.py), or None when the facts cache is off or unreachable.

    Besides the organisation's facts version it holds everything the fragments are rendered from
    that is not a fact: the address and query string (the object shown, filters, sort, page,
    the download links), the period as resolved today, the language and time zone, what the
    member may see, and ``parts``: the rows of this request's reads the fragments show (the
    accounts, the themes)."""
    organization = request.organization
    version = facts_version(request)
    if version is None:
        return None
    return factcache.entry_key(
        organization.pk,
        version,
        (request.path, sorted(request.GET.lists()), *_seen_as(request, choice), *parts),
    )


def _seen_as(request: HttpRequest, choice: PeriodChoice) -> tuple:
    """What a statistics page's cached values depend on besides facts, the address and the rows
    read: the period as resolved today, the language, the time zone and what the member may see."""
    return (
        choice.preset,
        choice.period,
        choice.error,
        get_language(),
        request.organization.time_zone,
        factcache.visible_scope(request.membership),
    )


def account_parts(accounts) -> tuple:
    """What a page shows of its accounts (and what keys their numbers), for ``fragment_key``."""
    return tuple((a.pk, a.network, a.workspace_id, a.name, a.handle, a.status, a.last_synced_at) for a in accounts)


def theme_parts(themes) -> tuple:
    return tuple((t.pk, t.name, t.color, t.workspace_id) for t in themes)


def page_key(request: HttpRequest, template: str, choice: PeriodChoice, *parts) -> str | None:
    """The key of a whole statistics page in the facts cache, or None when it must be rendered.

    A statistics page shows facts, the rows of this request's reads in ``parts`` (the accounts,
    the texts version), and the frame: the header shows the reader's organisations, roles and
    unread notifications, read with the memberships (``accounts.selectors.memberships_of``), which
    the key holds. With the address and its query string, the template (full page or htmx body),
    the period as resolved today, the language and time zone and what the member may see, members
    who see the same page share it; the CSRF token is filled in per reader (overgraph/pagecache.py).
    A download, a page with messages to show, or no facts version: rendered."""
    if "download" in request.GET or pagecache.has_messages(request):
        return None
    memberships = getattr(request, "nav_memberships", None)
    if memberships is None or any(getattr(m, "unread_count", None) is None for m in memberships):
        return None
    version = facts_version(request)
    if version is None:
        return None
    organization = request.organization
    header = tuple(
        (m.organization_id, m.organization.slug, m.organization.name, m.role, m.unread_count) for m in memberships
    )
    parts = (
        "page",
        factcache.page_release(),
        template,
        request.get_full_path(),
        *_seen_as(request, choice),
        header,
        *parts,
    )
    return f"{factcache.entry_key(organization.pk, version, parts)}:page"


def cached_page(request: HttpRequest, key: str | None) -> HttpResponse | None:
    """The page stored under ``key`` (``page_key``) with this reader's CSRF token, or None."""
    if key is None:
        return None
    try:
        html = cache.get(key)
    except Exception:  # a cache outage must not fail a page: render it
        logger.warning("facts cache unreachable: page rendered", exc_info=True)
        return None
    return None if html is None else HttpResponse(pagecache.fill(html, request))


def render_page(request: HttpRequest, template: str, context: dict, key: str | None) -> HttpResponse:
    """``render_local``, storing the page under ``key`` (``page_key``) when there is one."""
    if key is None:
        return render_local(request, template, context)
    request.render_for_cache = True  # the CSRF token's hole (overgraph/pagecache.py)
    try:
        response = render_local(request, template, context)
    finally:
        request.render_for_cache = False
    html = response.content.decode()
    try:
        cache.set(key, html, timeout=settings.FACTS_CACHE_SECONDS)
    except Exception:  # the page is rendered: serve it uncached
        logger.warning("facts cache unreachable: page not stored", exc_info=True)
    response.content = pagecache.fill(html, request)
    return response


def render_local(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render with the organisation's time zone active, so every time on the page is local."""
    with timezone.override(organization_tz(request.organization)):
        return render(request, template, context, status=status)


def page_template(request: HttpRequest, full: str, body: str) -> str:
    """htmx asks for the body only when the period or a filter changes."""
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:
        return body
    return full


def chart_download(request: HttpRequest, charts: dict[str, Callable[[], Chart]], name: str) -> HttpResponse | None:
    """The download asked by ``?download=<chart slug>&format=csv|xlsx``, or None when none is.

    Only the chart asked for is computed (``charts`` maps slugs to functions)."""
    slug = request.GET.get("download")
    if not slug:
        return None
    fmt = request.GET.get("format", "csv")
    if slug not in charts or fmt not in DOWNLOAD_FORMATS:
        return HttpResponse(_("Unknown download."), status=400, content_type="text/plain; charset=utf-8")
    chart = charts[slug]()
    filename = f"{slugify(name)}-{chart.slug}-{request.GET.get('period') or DEFAULT_PRESET}"
    tz = organization_tz(request.organization)
    if fmt == "csv":
        return csv_response(filename, chart.table.header, chart.table.rows, tz=tz)
    return xlsx_response(filename, [Sheet(chart.title, chart.table.header, chart.table.rows)], tz=tz)
