"""Pages: members, roles, workspace grants, invitations (send, re-send, revoke, accept)."""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import selectors
from accounts.access import org_view
from accounts.forms import InvitationForm, InvitationSignupForm, MemberForm, TransferOwnershipForm
from accounts.models import Role, User
from accounts.roles import Capability
from accounts.services import invitations as invitation_services
from accounts.services import organizations as org_services
from accounts.views.organizations import apply_errors

logger = logging.getLogger(__name__)


def _members_page(request: HttpRequest, invite_form: InvitationForm, status: int = 200) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "accounts/members.html",
        {
            "members": selectors.members_of(organization),
            "invitations": selectors.invitations_of(organization).filter(accepted_at=None),
            "invite_form": invite_form,
            "is_owner": request.membership.role == Role.OWNER,
        },
        status=status,
    )


def _invite_form(request: HttpRequest, data=None) -> InvitationForm:
    return InvitationForm(
        data,
        inviter_role=request.membership.role,
        workspaces=selectors.visible_workspaces(request.membership),
    )


@org_view(Capability.ADMINISTER)
@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    return _members_page(request, _invite_form(request))


@org_view(Capability.ADMINISTER)
@require_POST
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = _invite_form(request, request.POST)
    if form.is_valid():
        try:
            invitation = invitation_services.invitation_create(
                inviter=request.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                workspaces=list(form.cleaned_data["workspaces"]),
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        except OSError:
            # SMTP down: the invitation is saved (on_commit ran after the commit); say so.
            logger.exception("invitation email failed")
            messages.error(request, _("The invitation was saved but the email could not be sent: send it again later."))
            return redirect("member_list", org=request.organization.slug)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("member_list", org=request.organization.slug)
    return _members_page(request, form, status=400)


@org_view(Capability.ADMINISTER)
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_for_admin(request.organization, invitation_id)
    try:
        invitation_services.invitation_resend(invitation=invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except OSError:
        logger.exception("invitation email failed")
        messages.error(request, _("The email could not be sent: try again later."))
    else:
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("member_list", org=request.organization.slug)


@org_view(Capability.ADMINISTER)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_for_admin(request.organization, invitation_id)
    try:
        invitation_services.invitation_revoke(invitation=invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation to %(email)s revoked.") % {"email": invitation.email})
    return redirect("member_list", org=request.organization.slug)


@org_view(Capability.ADMINISTER)
def member_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = selectors.member_for_admin(request.organization, membership_id)
    if member.role == Role.OWNER:
        messages.info(request, _("An owner's role changes only through a transfer of ownership."))
        return redirect("member_list", org=request.organization.slug)
    form = MemberForm(
        request.POST or None,
        actor_role=request.membership.role,
        workspaces=selectors.visible_workspaces(request.membership),
        initial={"role": member.role, "workspaces": [g.workspace for g in member.grants.all()]},
    )
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        workspaces = list(form.cleaned_data["workspaces"])
        if role == Role.CLIENT and not workspaces:
            form.add_error("workspaces", _("Choose at least one workspace for a client."))
        else:
            try:
                org_services.membership_change_role(membership=member, actor=request.user, role=role, request=request)
                if role == Role.CLIENT:
                    org_services.membership_set_grants(
                        membership=member, actor=request.user, workspaces=workspaces, request=request
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(email)s updated.") % {"email": member.user.email})
                return redirect("member_list", org=request.organization.slug)
    return render(request, "accounts/member_edit.html", {"member": member, "form": form})


@org_view(Capability.ADMINISTER)
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = selectors.member_for_admin(request.organization, membership_id)
    if member.role == Role.OWNER and request.membership.role != Role.OWNER:
        messages.error(request, _("Only an owner can remove an owner."))
        return redirect("member_list", org=request.organization.slug)
    try:
        org_services.membership_remove(membership=member, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(email)s no longer has access.") % {"email": member.user.email})
        if member.user_id == request.user.pk:
            return redirect("home")
    return redirect("member_list", org=request.organization.slug)


@org_view(Capability.OWN)
def ownership_transfer(request: HttpRequest) -> HttpResponse:
    candidates = selectors.members_of(request.organization).exclude(pk=request.membership.pk).exclude(role=Role.CLIENT)
    form = TransferOwnershipForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["membership"]
        try:
            org_services.ownership_transfer(
                organization=request.organization, actor_membership=request.membership, to=target, request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(email)s now owns the organisation.") % {"email": target.user.email})
            return redirect("member_list", org=request.organization.slug)
    return render(request, "accounts/ownership_transfer.html", {"form": form})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email. Logged in with the right address: one click to join. No account yet:
    choose a password and join. Someone else logged in: told to switch account."""
    key = invitation_services.invitation_key_from_token(token)
    invitation = selectors.invitation_by_key(key) if key else None
    if invitation is None or invitation.status != "pending":
        return render(request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=404)
    user = request.user
    context = {"invitation": invitation, "organization": invitation.organization}
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "accounts/invitation_wrong_user.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_services.invitation_accept(invitation=invitation, user=user, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("home")
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organization.name})
            return redirect("organization_home", org=invitation.organization.slug)
        return render(request, "accounts/invitation_accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "accounts/invitation_login.html", context)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = invitation_services.user_create_from_invitation(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login(request, new_user, backend="accounts.backends.ModelBackend")
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organization.name})
            return redirect("organization_home", org=invitation.organization.slug)
    return render(request, "accounts/invitation_signup.html", {**context, "form": form})
