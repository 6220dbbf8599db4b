"""What people say about a workspace: sentiment over time, negative share, topics with example
messages and the most negative messages, from what the inbox and listening stored."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import org_view
from accounts.selectors import workspace_for_member
from analytics.queries.voice import PERIODS, workspace_voice
from analytics.text import sources as text_sources
from analytics.text.timeline import sentiment_chart
from analytics.views.base import chart_download, local_today, render_local

DEFAULT_DAYS = 28


def _days(request: HttpRequest) -> tuple[int, str]:
    raw = request.GET.get("days", str(DEFAULT_DAYS))
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days not in PERIODS:
        return DEFAULT_DAYS, _("Unknown period: the last %(days)s days are shown.") % {"days": DEFAULT_DAYS}
    return days, ""


@require_safe
@org_view()
def workspace_voice_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    days, error = _days(request)
    sources = text_sources.text_sources()
    source_key = request.GET.get("source") or None
    if source_key and text_sources.text_source(source_key) is None:
        source_key, error = None, _("Unknown source: every source is shown.")
    voice = workspace_voice(
        organization=request.organization,
        workspace=workspace,
        end=local_today(request.organization),
        days=days,
        source_key=source_key,
    )
    chart = sentiment_chart(voice.points)
    download = chart_download(request, {"sentiment": lambda: chart}, workspace.name)
    if download is not None:
        return download
    return render_local(
        request,
        "analytics/voice.html",
        {
            "workspace": workspace,
            "voice": voice,
            "chart": chart,
            "days": days,
            "periods": PERIODS,
            "sources": sources,
            "source_key": source_key or "",
            "error": error,
        },
    )
