"""Factory-style helpers of the accounts tests: every tenant object is made for an explicit
organisation. The cast (alice, bob, charlie, dana) comes from the root ``conftest.py``."""

import datetime as dt

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Invitation, InvitationGrant, Notification, Organization, User, Workspace
from conftest import PASSWORD, add_member, make_organization, make_user

__all__ = [
    "PASSWORD",
    "add_member",
    "make_audit_event",
    "make_invitation",
    "make_notification",
    "make_organization",
    "make_user",
    "make_workspace",
]


def make_workspace(organization: Organization, name: str) -> Workspace:
    with scope(organization=organization):
        return Workspace.objects.create(organization=organization, name=name)


def make_invitation(
    organization: Organization,
    email: str,
    *,
    role: str = "analyst",
    invited_by: User | None = None,
    workspaces: tuple[Workspace, ...] = (),
    expires_in: dt.timedelta = dt.timedelta(days=7),
) -> Invitation:
    with scope(organization=organization):
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=invited_by,
            expires_at=timezone.now() + expires_in,
        )
        for workspace in workspaces:
            InvitationGrant.objects.create(organization=organization, invitation=invitation, workspace=workspace)
    return invitation


def make_notification(organization: Organization, user: User, title: str = "Something happened", **extra):
    with scope(organization=organization):
        return Notification.objects.create(organization=organization, user=user, kind="test", title=title, **extra)


def make_audit_event(organization: Organization | None, action: str = AuditEvent.Action.LOGIN, **extra) -> AuditEvent:
    with scopes_disabled():
        return AuditEvent.objects.create(organization=organization, action=action, **extra)
