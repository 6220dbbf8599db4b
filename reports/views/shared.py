"""A report opened through its share link, by someone without an account: the document and its
PDF, nothing else (no navigation into the organisation)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from django_scopes import scope

from reports.selectors import branding_for
from reports.services.shares import ShareGoneError, share_resolve
from reports.views.reports import pdf_response


def _share(request: HttpRequest, token: str):
    try:
        share = share_resolve(token)
    except ShareGoneError:
        return None, render(request, "reports/shared_gone.html", status=410)
    if share is None:
        raise Http404
    return share, None


@require_safe
def reports_shared(request: HttpRequest, token: str) -> HttpResponse:
    share, gone = _share(request, token)
    if gone is not None:
        return gone
    report = share.report
    with scope(organization=report.organization), translation.override(report.language):
        context = {
            "report": report,
            "share": share,
            "token": token,
            "branding": branding_for(report.organization, report.workspace),
        }
        response = render(request, "reports/shared.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def reports_shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    share, gone = _share(request, token)
    if gone is not None:
        return gone
    response = pdf_response(share.report, inline=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
