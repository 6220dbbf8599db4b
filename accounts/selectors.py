"""Reads of the accounts app, and the access helpers every view and endpoint goes through.

Another tenant's object, a workspace a client was not granted, and a missing object all answer
the same 404, so nothing reveals that an id exists elsewhere.
"""

import functools

from django.db import connection
from django.db.models import Model, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organization,
    User,
    Workspace,
    WorkspaceGrant,
)
from accounts.roles import sees_every_workspace
from overgraph import written_rows


@functools.cache
def _memberships_sql(vendor: str) -> str:
    """``Membership.objects.filter(user=…).select_related("organization").order_by("organization__name")``
    written once: the ORM compiled it again on every page (docs/performance.md "Load")."""
    return (
        f"SELECT {written_rows.columns(Membership, 'm')}, {written_rows.columns(Organization, 'o')},"  # noqa: S608 — names from model metadata
        # The bell's unread count in each organisation (index notification_unread), read with
        # the list rather than by a statement of its own.
        f" (SELECT COUNT(*) FROM {Notification._meta.db_table} n WHERE n.organization_id = m.organization_id"
        " AND n.user_id = m.user_id AND n.read_at IS NULL)"
        f" FROM {Membership._meta.db_table} m JOIN {Organization._meta.db_table} o ON o.id = m.organization_id"
        " WHERE m.user_id = %s ORDER BY o.name, m.id"
    )


def _memberships(rows: list[tuple]) -> list[Membership]:
    """Memberships with their organisation cached, from rows of membership then organisation columns."""
    split = len(Membership._meta.concrete_fields)
    membership_converters = written_rows.converters(Membership)
    organization_converters = written_rows.converters(Organization)
    memberships = []
    for row in rows:
        membership = written_rows.instance(Membership, membership_converters, row[:split])
        organization = written_rows.instance(Organization, organization_converters, row[split:])
        Membership.organization.field.set_cached_value(membership, organization)
        memberships.append(membership)
    return memberships


def memberships_of(user: User) -> list[Membership]:
    """Every organisation the person belongs to, for the switcher (one query), by name.

    Each membership's ``unread_count`` is the person's unread notifications in that organisation.
    Explicit SQL (a person's memberships span tenants by definition: no scope applies)."""
    rows = written_rows.fetch(_memberships_sql(connection.vendor), [user.pk])
    memberships = _memberships([row[:-1] for row in rows])
    for membership, row in zip(memberships, rows, strict=True):
        membership.unread_count = row[-1]
    return memberships


def membership_among(memberships: list[Membership], organization_slug: str) -> Membership:
    """The membership in the organisation named by the URL among a person's ``memberships_of``,
    or 404: a page reads the switcher's list once and finds its organisation in it."""
    for membership in memberships:
        if membership.organization.slug == organization_slug:
            return membership
    raise Http404


@functools.cache
def _membership_sql(vendor: str) -> str:
    """``Membership.objects.filter(user=…, organization__slug=…).select_related("organization")``
    written once: the API reads it on every request (docs/performance.md "Load")."""
    return (
        f"SELECT {written_rows.columns(Membership, 'm')}, {written_rows.columns(Organization, 'o')}"  # noqa: S608 — names from model metadata
        f" FROM {Membership._meta.db_table} m JOIN {Organization._meta.db_table} o ON o.id = m.organization_id"
        " WHERE m.user_id = %s AND o.slug = %s"
    )


def membership_for(user: User, organization_slug: str) -> Membership:
    """The person's membership in the organisation named by the URL, or 404; its organisation
    and user (``user`` itself: the request's person, already loaded) cached.

    Explicit SQL (one statement). A membership is what opens a tenant: the organisation is
    what it finds, so no scope applies (as ``memberships_of``)."""
    if not user.is_authenticated:
        raise Http404
    memberships = _memberships(written_rows.fetch(_membership_sql(connection.vendor), [user.pk, organization_slug]))
    if not memberships:  # (organization, user) is unique: one row at most
        raise Http404
    membership = memberships[0]
    Membership.user.field.set_cached_value(membership, user)
    return membership


def visible_workspaces(membership: Membership) -> QuerySet[Workspace]:
    """Workspaces the member may read. Call inside the organisation's scope."""
    workspaces = Workspace.objects.filter(organization=membership.organization)
    if not sees_every_workspace(membership.role):
        workspaces = workspaces.filter(grants__membership=membership)
    return workspaces.order_by("name")


def id_or_404(model: type[Model], value: int | str) -> int:
    """An object's id from the URL, or 404: not a number, or beyond the key's column (for which
    the ORM finds no row; a written-out statement would fail on SQLite instead)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    if not low <= number <= high:
        raise Http404
    return number


def grant_condition(workspace_column: str) -> str:
    """``visible_workspaces``' rule for a member who does not see every workspace, as a condition
    of a written-out statement: the member was granted the workspace ``workspace_column``. Two
    parameters: the organisation's id (the grants are a tenant table too) and the membership's."""
    return (
        f" AND EXISTS (SELECT 1 FROM {WorkspaceGrant._meta.db_table} g"  # noqa: S608 — names from model metadata
        f" WHERE g.organization_id = %s AND g.membership_id = %s AND g.workspace_id = {workspace_column})"
    )


@functools.cache
def _workspace_sql(vendor: str, *, every_workspace: bool) -> str:
    text = (
        f"SELECT {written_rows.columns(Workspace, 'w')} FROM {Workspace._meta.db_table} w"  # noqa: S608 — names from model metadata
        " WHERE w.organization_id = %s AND w.id = %s"
    )
    return text if every_workspace else text + grant_condition("w.id")


def workspace_for_member(membership: Membership, workspace_id: int | str) -> Workspace:
    """One workspace the member may read, or 404 (missing, another tenant's, or not granted),
    with the member's organisation cached when the membership holds it.

    Explicit SQL, ``visible_workspaces(membership).filter(pk=…)`` written once (pages and API
    read it on every request, docs/performance.md "Load"). It bypasses the scoped manager: the
    statement filters by the member's organisation itself (and the grants by it too)."""
    workspace_id = id_or_404(Workspace, workspace_id)
    params = [membership.organization_id, workspace_id]
    every_workspace = sees_every_workspace(membership.role)
    if not every_workspace:
        params += [membership.organization_id, membership.pk]
    rows = written_rows.fetch(_workspace_sql(connection.vendor, every_workspace=every_workspace), params)
    if not rows:
        raise Http404
    workspace = written_rows.instance(Workspace, written_rows.converters(Workspace), rows[0])
    if Membership.organization.is_cached(membership):
        Workspace.organization.field.set_cached_value(workspace, membership.organization)
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
    """The bell's number, on every page: explicit SQL (index notification_unread), the ORM's
    ``count()`` cost ~1 ms of Python to compile (docs/performance.md "Load")."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Notification._meta.db_table}"  # noqa: S608 — the table's name from model metadata
            " WHERE organization_id = %s AND user_id = %s AND read_at IS NULL",
            [organization.pk, user.pk],
        )
        return cursor.fetchone()[0]


def notifications_for(user: User, organization: Organization) -> QuerySet[Notification]:
    return Notification.objects.filter(organization=organization, user=user)
