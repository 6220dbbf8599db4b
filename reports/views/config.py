"""Report templates, schedules (managers and above) and branding (organisation: owners and admins;
workspace: managers and above)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import org_view
from accounts.roles import Capability
from accounts.selectors import workspace_for_member
from analytics.views.base import render_local
from reports import selectors
from reports.forms import BrandingForm, ScheduleForm, TemplateForm
from reports.media import InvalidImageError
from reports.models import ReportTemplate
from reports.services.branding import branding_save
from reports.services.schedules import schedule_save
from reports.services.templates import schedule_delete, template_delete, template_save

GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


def _home(request: HttpRequest, workspace, anchor: str = "") -> HttpResponse:
    response = redirect("reports_home", org=request.organization.slug, workspace_id=workspace.pk)
    response["Location"] += anchor
    return response


def _template_page(request, workspace, template: ReportTemplate | None) -> HttpResponse:
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            template_save(
                organization=request.organization,
                workspace=workspace,
                actor=request.user,
                data=form.cleaned_data,
                template=template,
            )
            messages.success(request, _("Template saved."))
            return _home(request, workspace, "#templates")
        status = 400
    else:
        initial = {"language": request.organization.language}
        if template is not None:
            initial = {f: getattr(template, f) for f in ("name", "period", "sections", "comparison", "language")}
        form = TemplateForm(initial=initial)
        status = 200
    context = {"workspace": workspace, "form": form, "template": template}
    return render_local(request, "reports/template_form.html", context, status=status)


@org_view(Capability.OPERATE)
@GET_OR_POST
def reports_template_create(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return _template_page(request, workspace, None)


@org_view(Capability.OPERATE)
@GET_OR_POST
def reports_template_edit(request: HttpRequest, workspace_id: int, template_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return _template_page(request, workspace, selectors.template_in(workspace, template_id))


@org_view(Capability.OPERATE)
@require_POST
def reports_template_delete(request: HttpRequest, workspace_id: int, template_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    template_delete(template=selectors.template_in(workspace, template_id), actor=request.user)
    messages.success(request, _("Template deleted (and its schedules)."))
    return _home(request, workspace, "#templates")


def _schedule_page(request, workspace, schedule) -> HttpResponse:
    templates = selectors.templates_of(workspace)
    members = selectors.recipient_users(request.organization, workspace)
    if request.method == "POST":
        form = ScheduleForm(request.POST, templates=templates, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                schedule_save(
                    organization=request.organization,
                    workspace=workspace,
                    actor=request.user,
                    template=data["template"],
                    frequency=data["frequency"],
                    weekday=data["weekday"],
                    day_of_month=data["day_of_month"],
                    hour=data["hour"],
                    time_zone=data["time_zone"],
                    members=list(data["members"]),
                    external_emails=data["external_emails"],
                    active=data["active"],
                    schedule=schedule,
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Schedule saved."))
                return _home(request, workspace, "#schedules")
        status = 400
    else:
        if schedule is not None:
            initial = {
                "template": schedule.template,
                "frequency": schedule.frequency,
                "weekday": schedule.weekday,
                "day_of_month": schedule.day_of_month,
                "hour": schedule.hour,
                "time_zone": schedule.time_zone,
                "members": list(schedule.member_recipients.all()),
                "external_emails": ", ".join(schedule.external_emails),
                "active": schedule.active,
            }
        else:
            initial = {"time_zone": request.organization.time_zone, "members": [request.user]}
        form = ScheduleForm(initial=initial, templates=templates, members=members)
        status = 200
    context = {"workspace": workspace, "form": form, "schedule": schedule, "has_templates": templates.exists()}
    return render_local(request, "reports/schedule_form.html", context, status=status)


@org_view(Capability.OPERATE)
@GET_OR_POST
def reports_schedule_create(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return _schedule_page(request, workspace, None)


@org_view(Capability.OPERATE)
@GET_OR_POST
def reports_schedule_edit(request: HttpRequest, workspace_id: int, schedule_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return _schedule_page(request, workspace, selectors.schedule_in(workspace, schedule_id))


@org_view(Capability.OPERATE)
@require_POST
def reports_schedule_delete(request: HttpRequest, workspace_id: int, schedule_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    schedule_delete(schedule=selectors.schedule_in(workspace, schedule_id), actor=request.user)
    messages.success(request, _("Schedule deleted."))
    return _home(request, workspace, "#schedules")


def _branding_page(request: HttpRequest, workspace) -> HttpResponse:
    org_row, ws_row = selectors.branding_rows(request.organization, workspace)
    row = ws_row if workspace is not None else org_row
    status = 200
    if request.method == "POST":
        form = BrandingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("logo")
            try:
                if upload is not None and upload.size > 4 * 1024 * 1024:
                    raise InvalidImageError(_("The logo must be a PNG or JPEG image, at most 512 KB."))
                branding_save(
                    organization=request.organization,
                    workspace=workspace,
                    actor=request.user,
                    name=data["name"],
                    primary_color=data["primary_color"],
                    accent_color=data["accent_color"],
                    logo=upload.read() if upload is not None else None,
                    remove_logo=data["remove_logo"],
                    request=request,
                )
            except InvalidImageError as error:
                form.add_error("logo", str(error))
            else:
                messages.success(request, _("Branding saved: the next reports use it."))
                return redirect(request.get_full_path())
        status = 400
    else:
        initial = {}
        if row is not None:
            initial = {"name": row.name, "primary_color": row.primary_color, "accent_color": row.accent_color}
        form = BrandingForm(initial=initial)
    context = {
        "workspace": workspace,
        "form": form,
        "row": row,
        "branding": selectors.branding_for(request.organization, workspace),
    }
    return render_local(request, "reports/branding.html", context, status=status)


@org_view(Capability.ADMINISTER)
@GET_OR_POST
def reports_branding_organization(request: HttpRequest) -> HttpResponse:
    return _branding_page(request, None)


@org_view(Capability.MANAGE_WORKSPACES)
@GET_OR_POST
def reports_branding_workspace(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    return _branding_page(request, workspace)
