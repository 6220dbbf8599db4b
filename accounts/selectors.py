"""Reads of the accounts app, and the access helpers every view and endpoint goes through.

Another tenant's object, a workspace a client was not granted, and a missing object all answer
the same 404, so nothing reveals that an id exists elsewhere.
"""

from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Invitation, Membership, Notification, Organization, User, Workspace
from accounts.roles import sees_every_workspace


def memberships_of(user: User) -> list[Membership]:
    """Every organisation the person belongs to, for the switcher (one query)."""
    # Explicit escape hatch: a person's memberships span tenants by definition.
    with scopes_disabled():
        return list(Membership.objects.filter(user=user).select_related("organization").order_by("organization__name"))


def membership_among(memberships: list[Membership], organization_slug: str) -> Membership:
    """The membership in the organisation named by the URL among a person's ``memberships_of``,
    or 404: a page reads the switcher's list once and finds its organisation in it."""
    for membership in memberships:
        if membership.organization.slug == organization_slug:
            return membership
    raise Http404


def membership_for(user: User, organization_slug: str) -> Membership:
    """The person's membership in the organisation named by the URL, or 404."""
    if not user.is_authenticated:
        raise Http404
    with scopes_disabled():
        membership = (
            Membership.objects.filter(user=user, organization__slug=organization_slug)
            .select_related("organization", "user")
            .first()
        )
    if membership is None:
        raise Http404
    return membership


def visible_workspaces(membership: Membership) -> QuerySet[Workspace]:
    """Workspaces the member may read. Call inside the organisation's scope."""
    workspaces = Workspace.objects.filter(organization=membership.organization)
    if not sees_every_workspace(membership.role):
        workspaces = workspaces.filter(grants__membership=membership)
    return workspaces.order_by("name")


def workspace_for_member(membership: Membership, workspace_id: int | str) -> Workspace:
    """One workspace the member may read, or 404 (missing, another tenant's, or not granted)."""
    try:
        workspace_id = int(workspace_id)
    except (TypeError, ValueError):
        raise Http404 from None
    workspace = visible_workspaces(membership).filter(pk=workspace_id).first()
    if workspace is None:
        raise Http404
    return workspace


def members_of(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .prefetch_related("grants__workspace")
        .order_by("user__email")
    )


def member_for_admin(organization: Organization, membership_id: int | str) -> Membership:
    try:
        membership_id = int(membership_id)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = members_of(organization).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    return membership


def invitations_of(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization).select_related("invited_by").order_by("-created_at")


def invitation_for_admin(organization: Organization, invitation_id: int | str) -> Invitation:
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    invitation = invitations_of(organization).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_key(key: str) -> Invitation | None:
    """The invitation behind a link (any tenant: the link is the credential), or None."""
    with scopes_disabled():
        return (
            Invitation.objects.filter(key=key)
            .select_related("organization", "invited_by")
            .prefetch_related("workspaces")
            .first()
        )


def audit_events_of(organization: Organization) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organization=organization).select_related("actor")


def unread_notification_count(user: User, organization: Organization) -> int:
    with scope(organization=organization):
        return Notification.objects.filter(organization=organization, user=user, read_at__isnull=True).count()


def notifications_for(user: User, organization: Organization) -> QuerySet[Notification]:
    return Notification.objects.filter(organization=organization, user=user)
