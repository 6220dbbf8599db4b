"""Invitations by email: signed link, expiry, role and granted workspaces, accept, revoke, re-send."""

import datetime as dt
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import AuditEvent, Invitation, InvitationGrant, Membership, Role, User, Workspace, WorkspaceGrant
from accounts.roles import ASSIGNABLE_BY
from accounts.services.audit import audit_record

logger = logging.getLogger(__name__)
Action = AuditEvent.Action
_SIGNER_SALT = "accounts.invitation"


def invitation_link(invitation: Invitation) -> str:
    token = signing.Signer(salt=_SIGNER_SALT).sign(str(invitation.key))
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])


def invitation_key_from_token(token: str) -> str | None:
    """The invitation key inside a link's token, or None when the signature does not match."""
    try:
        return signing.Signer(salt=_SIGNER_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _send(invitation: Invitation) -> None:
    """Send the invitation email in the organisation's language. Errors are logged and re-raised
    so the inviter sees them; the invitation itself stays and can be re-sent."""
    organization = invitation.organization
    context = {
        "invitation": invitation,
        "organization": organization,
        "link": invitation_link(invitation),
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "Over-Graph",
    }
    with translation.override(organization.language), timezone.override(organization.time_zone):
        subject = _("You are invited to join %(organization)s on Over-Graph") % {"organization": organization.name}
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _check_role(inviter_role: str, role: str) -> None:
    if role not in ASSIGNABLE_BY.get(inviter_role, ()):
        raise ValidationError({"role": _("You cannot give this role.")})


@transaction.atomic
def invitation_create(
    *,
    inviter: Membership,
    email: str,
    role: str,
    workspaces: list[Workspace] | None = None,
    request: HttpRequest | None = None,
) -> Invitation:
    organization = inviter.organization
    email = email.strip().lower()
    _check_role(inviter.role, role)
    workspaces = list(workspaces or [])
    if role == Role.CLIENT and not workspaces:
        raise ValidationError({"workspaces": _("Choose at least one workspace for a client.")})
    if any(w.organization_id != organization.pk for w in workspaces):
        raise ValidationError({"workspaces": _("Unknown workspace.")})
    with scope(organization=organization):
        if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
            raise ValidationError({"email": _("This person is already a member.")})
        now = timezone.now()
        if Invitation.objects.filter(
            organization=organization, email__iexact=email, accepted_at=None, revoked_at=None, expires_at__gt=now
        ).exists():
            raise ValidationError(
                {"email": _("An invitation is already waiting for this address: send it again instead.")}
            )
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=inviter.user,
            expires_at=now + dt.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        if role == Role.CLIENT:
            InvitationGrant.objects.bulk_create(
                InvitationGrant(organization=organization, invitation=invitation, workspace=w) for w in workspaces
            )
    audit_record(
        organization=organization,
        action=Action.INVITATION_SENT,
        actor=inviter.user,
        target=email,
        details={"role": role},
        request=request,
    )
    transaction.on_commit(lambda: _send(invitation))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User, request: HttpRequest | None = None) -> Invitation:
    if invitation.status in ("accepted", "revoked"):
        raise ValidationError(_("This invitation can no longer be sent."))
    now = timezone.now()
    invitation.expires_at = now + dt.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    invitation.last_sent_at = now
    invitation.send_count += 1
    with scope(organization=invitation.organization):
        invitation.save(update_fields=["expires_at", "last_sent_at", "send_count"])
    audit_record(
        organization=invitation.organization,
        action=Action.INVITATION_RESENT,
        actor=actor,
        target=invitation.email,
        request=request,
    )
    transaction.on_commit(lambda: _send(invitation))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User, request: HttpRequest | None = None) -> Invitation:
    if invitation.status == "accepted":
        raise ValidationError(_("This invitation was already accepted: remove the member instead."))
    if invitation.status == "revoked":
        raise ValidationError(_("This invitation is no longer valid."))
    invitation.revoked_at = timezone.now()
    with scope(organization=invitation.organization):
        invitation.save(update_fields=["revoked_at"])
    audit_record(
        organization=invitation.organization,
        action=Action.INVITATION_REVOKED,
        actor=actor,
        target=invitation.email,
        request=request,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User, request: HttpRequest | None = None) -> Membership:
    """Turn a pending invitation into a membership for ``user`` (whose email must match)."""
    organization = invitation.organization
    if invitation.status != "pending":
        raise ValidationError(_("This invitation is no longer valid."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s: log in with that address to accept it.")
            % {"email": invitation.email}
        )
    with scope(organization=organization):
        # Lock the invitation so a double click cannot create two memberships.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != "pending":
            raise ValidationError(_("This invitation is no longer valid."))
        membership, created = Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": invitation.role}
        )
        if created and invitation.role == Role.CLIENT:
            WorkspaceGrant.objects.bulk_create(
                WorkspaceGrant(organization=organization, membership=membership, workspace=w)
                for w in invitation.workspaces.all()
            )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        organization=organization,
        action=Action.INVITATION_ACCEPTED,
        actor=user,
        target=user.email,
        details={"role": membership.role},
        request=request,
    )
    user.last_organization = organization
    user.save(update_fields=["last_organization"])
    return membership


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, password: str, full_name: str = "", request: HttpRequest | None = None
) -> User:
    """Create the account of a new person from their invitation (the email is already proven by
    the link they followed), then accept it."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account already exists for this address: log in to accept."))
    # No language of their own: they read their organisation's until they choose one.
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user, request=request)
    return user
