"""Pages: home, organisation creation and settings, workspaces, audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import selectors
from accounts.access import org_view
from accounts.forms import ConfirmNameForm, OrganizationCreateForm, OrganizationSettingsForm, WorkspaceForm
from accounts.models import AuditEvent
from accounts.roles import Capability, role_can
from accounts.services import organizations as org_services


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def home(request: HttpRequest) -> HttpResponse:
    """Logged in: the last organisation used (or the only one, or the choice). Else: the welcome page."""
    if not request.user.is_authenticated:
        return render(request, "welcome.html")
    memberships = selectors.memberships_of(request.user)
    if not memberships:
        return redirect("organization_create")
    for membership in memberships:
        if membership.organization_id == request.user.last_organization_id:
            return redirect("organization_home", org=membership.organization.slug)
    if len(memberships) == 1:
        return redirect("organization_home", org=memberships[0].organization.slug)
    return render(request, "accounts/choose_organization.html", {"memberships": memberships})


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationCreateForm(request.POST or None, initial={"language": request.LANGUAGE_CODE[:2]})
    if request.method == "POST" and form.is_valid():
        organization = org_services.organization_create(owner=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("%(name)s is ready.") % {"name": organization.name})
        return redirect("organization_home", org=organization.slug)
    return render(request, "accounts/organization_create.html", {"form": form})


@org_view()
@require_safe
def organization_home(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    workspaces = list(selectors.visible_workspaces(membership))
    return render(
        request,
        "accounts/organization_home.html",
        {
            "workspaces": workspaces,
            "can_manage": role_can(membership.role, Capability.MANAGE_WORKSPACES),
            "can_administer": role_can(membership.role, Capability.ADMINISTER),
        },
    )


@org_view(Capability.ADMINISTER)
def organization_settings(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        org_services.organization_update(
            organization=organization, actor=request.user, fields=form.cleaned_data, request=request
        )
        messages.success(request, _("Settings saved."))
        return redirect("organization_settings", org=organization.slug)
    organization.refresh_from_db()
    return render(
        request,
        "accounts/organization_settings.html",
        {"form": form, "is_owner": role_can(request.membership.role, Capability.OWN)},
    )


@org_view(Capability.OWN)
def organization_delete(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    form = ConfirmNameForm(request.POST or None, expected=organization.name)
    if request.method == "POST" and form.is_valid():
        name = organization.name
        org_services.organization_delete(organization=organization)
        messages.success(request, _("%(name)s and all its data were deleted.") % {"name": name})
        return redirect("home")
    return render(request, "accounts/organization_delete.html", {"form": form})


@org_view(Capability.MANAGE_WORKSPACES)
def workspace_create(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = org_services.workspace_create(
                organization=request.organization, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Workspace %(name)s created.") % {"name": workspace.name})
            return redirect("workspace_home", org=request.organization.slug, workspace_id=workspace.pk)
    return render(request, "accounts/workspace_form.html", {"form": form, "creating": True})


@org_view()
@require_safe
def workspace_home(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = selectors.workspace_for_member(request.membership, workspace_id)
    return render(
        request,
        "accounts/workspace_home.html",
        {"workspace": workspace, "can_manage": role_can(request.membership.role, Capability.MANAGE_WORKSPACES)},
    )


@org_view(Capability.MANAGE_WORKSPACES)
def workspace_edit(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = selectors.workspace_for_member(request.membership, workspace_id)
    form = WorkspaceForm(request.POST or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.workspace_update(
                workspace=workspace,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Workspace saved."))
            return redirect("workspace_home", org=request.organization.slug, workspace_id=workspace.pk)
    return render(request, "accounts/workspace_form.html", {"form": form, "workspace": workspace})


@org_view(Capability.MANAGE_WORKSPACES)
def workspace_delete(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = selectors.workspace_for_member(request.membership, workspace_id)
    form = ConfirmNameForm(request.POST or None, expected=workspace.name)
    if request.method == "POST" and form.is_valid():
        org_services.workspace_delete(workspace=workspace, actor=request.user, request=request)
        messages.success(request, _("Workspace %(name)s deleted.") % {"name": workspace.name})
        return redirect("organization_home", org=request.organization.slug)
    return render(request, "accounts/workspace_delete.html", {"form": form, "workspace": workspace})


@org_view(Capability.ADMINISTER)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events_of(request.organization)
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "selected_action": action},
    )
