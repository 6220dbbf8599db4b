"""The reports page of a workspace (build a report, the reports built, templates, schedules,
exports), a report's page (progress, then the same document as the PDF), its PDF, its share links,
and the full data export's download."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from accounts.selectors import workspace_for_member
from analytics.queries.params import period_from_request
from analytics.views.base import local_today, render_local
from overgraph.exports import content_disposition
from reports import selectors
from reports.forms import BuildForm
from reports.models import DataExport, Report
from reports.selectors import branding_for
from reports.services import build as build_services
from reports.services import exports as export_services
from reports.services import shares as share_services


def _home_url(request: HttpRequest, workspace) -> str:
    return reverse("reports_home", kwargs={"org": request.organization.slug, "workspace_id": workspace.pk})


def _home_context(request: HttpRequest, workspace, form: BuildForm) -> dict:
    return {
        "workspace": workspace,
        "form": form,
        "reports": list(selectors.reports_of(workspace).select_related("created_by")[:20]),
        "templates": list(selectors.templates_of(workspace)),
        "schedules": list(selectors.schedules_of(workspace)),
        "deliveries": selectors.deliveries_of(workspace),
        "exports": list(selectors.exports_of(workspace)[:5]),
        "can_operate": role_can(request.membership.role, Capability.OPERATE),
        "can_brand": role_can(request.membership.role, Capability.MANAGE_WORKSPACES),
    }


@org_view()
@require_safe
def reports_home(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    form = BuildForm(initial={"language": request.organization.language})
    template_id = request.GET.get("template")
    if template_id:
        template = selectors.template_in(workspace, template_id)
        form = BuildForm(
            initial={
                "period": template.period,
                "sections": template.sections,
                "comparison": template.comparison,
                "language": template.language,
            }
        )
    return render_local(request, "reports/home.html", _home_context(request, workspace, form))


@org_view()
@require_POST
def reports_build(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    form = BuildForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = period_from_request(
                data["period"], data.get("start"), data.get("end"), today=local_today(request.organization)
            )
            report = build_services.report_create(
                organization=request.organization,
                workspace=workspace,
                actor=request.user,
                period=period,
                sections=data["sections"],
                comparison=data["comparison"],
                language=data["language"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return redirect(
                "reports_detail", org=request.organization.slug, workspace_id=workspace.pk, report_id=report.pk
            )
    return render_local(request, "reports/home.html", _home_context(request, workspace, form), status=400)


@org_view()
@require_safe
def reports_detail(request: HttpRequest, workspace_id: int, report_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    report = selectors.report_in(workspace, report_id)
    can_operate = role_can(request.membership.role, Capability.OPERATE)
    shares = list(selectors.shares_of(report)) if can_operate else []
    context = {
        "workspace": workspace,
        "report": report,
        "branding": branding_for(request.organization, workspace),
        "can_operate": can_operate,
        "shares": [(share, share_services.share_url(share, absolute=True)) for share in shares],
        "share_days": settings.REPORTS_SHARE_TTL_DAYS,
    }
    if getattr(request, "htmx", False):
        if report.status == Report.Status.DONE:
            # The progress poll sees the report ready: reload the whole page, which shows it.
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render_local(request, "reports/_status.html", context)
    return render_local(request, "reports/detail.html", context)


def pdf_response(report: Report, *, inline: bool = False) -> FileResponse:
    if report.status != Report.Status.DONE or not report.pdf:
        raise Http404
    response = FileResponse(report.pdf.open("rb"), content_type="application/pdf")
    disposition = content_disposition(f"report-{report.pk}.pdf")
    response["Content-Disposition"] = disposition.replace("attachment", "inline") if inline else disposition
    response["Cache-Control"] = "private, no-store"
    return response


@org_view()
@require_safe
def reports_pdf(request: HttpRequest, workspace_id: int, report_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return pdf_response(selectors.report_in(workspace, report_id))


@org_view(Capability.OPERATE)
@require_POST
def reports_share_create(request: HttpRequest, workspace_id: int, report_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    report = selectors.report_in(workspace, report_id)
    if report.status != Report.Status.DONE:
        messages.error(request, _("The report is not ready yet."))
    else:
        try:
            days = max(1, min(365, int(request.POST.get("days") or settings.REPORTS_SHARE_TTL_DAYS)))
        except ValueError:
            days = settings.REPORTS_SHARE_TTL_DAYS
        share_services.share_create(report=report, actor=request.user, days=days, request=request)
        messages.success(request, _("Share link created."))
    return redirect("reports_detail", org=request.organization.slug, workspace_id=workspace.pk, report_id=report.pk)


@org_view(Capability.OPERATE)
@require_POST
def reports_share_revoke(request: HttpRequest, workspace_id: int, report_id: int, share_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    report = selectors.report_in(workspace, report_id)
    share = selectors.share_in(report, share_id)
    share_services.share_revoke(share=share, actor=request.user, request=request)
    messages.success(request, _("Share link revoked: it no longer opens the report."))
    return redirect("reports_detail", org=request.organization.slug, workspace_id=workspace.pk, report_id=report.pk)


@org_view()
@require_POST
def reports_export_create(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    export_services.export_create(organization=request.organization, workspace=workspace, actor=request.user)
    messages.success(request, _("The export is being prepared: it appears below when ready."))
    return redirect(_home_url(request, workspace) + "#exports")


@org_view()
@require_safe
def reports_export_download(request: HttpRequest, workspace_id: int, export_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    export = selectors.export_in(workspace, export_id)
    if export.status != DataExport.Status.DONE or not export.file:
        return HttpResponse(
            _("This export is not available (not ready yet, failed or expired)."),
            status=410 if export.status == DataExport.Status.EXPIRED else 404,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(export.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"export-{workspace.name}-{export.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response
