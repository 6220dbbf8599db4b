"""Reads of the accounts app, and the access helpers every view and endpoint goes through.

Another tenant's object, a workspace a client was not granted, and a missing object all answer
the same 404, so nothing reveals that an id exists elsewhere.
"""

import functools

from django.db import connection
from django.db.models import Model, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Invitation, Membership, Notification, Organization, User, Workspace
from accounts.roles import sees_every_workspace


def _converters(fields) -> list[list]:
    """Each field's database converters, as the ORM's compiler applies them (SQLite's dates,
    booleans, JSON)."""
    return [connection.ops.get_db_converters(f.cached_col) + f.cached_col.get_db_converters(connection) for f in fields]


def _from_row(model, fields, converters, values) -> Model:
    converted = []
    for field, field_converters, raw in zip(fields, converters, values, strict=True):
        value = raw
        for convert in field_converters:
            value = convert(value, field.cached_col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


@functools.cache
def _memberships_sql(vendor: str) -> str:
    """``Membership.objects.filter(user=…).select_related("organization").order_by("organization__name")``
    written once: the ORM compiled it again on every page (docs/performance.md "Load")."""
    columns = [f"m.{f.column}" for f in Membership._meta.concrete_fields]
    columns += [f"o.{f.column}" for f in Organization._meta.concrete_fields]
    return (
        f"SELECT {', '.join(columns)} FROM {Membership._meta.db_table} m"  # noqa: S608 — names from model metadata
        f" JOIN {Organization._meta.db_table} o ON o.id = m.organization_id WHERE m.user_id = %s ORDER BY o.name, m.id"
    )


def memberships_of(user: User) -> list[Membership]:
    """Every organisation the person belongs to, for the switcher (one query), by name.

    Explicit SQL (a person's memberships span tenants by definition: no scope applies)."""
    membership_fields, organization_fields = Membership._meta.concrete_fields, Organization._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(_memberships_sql(connection.vendor), [user.pk])
        rows = cursor.fetchall()
    split = len(membership_fields)
    membership_converters, organization_converters = _converters(membership_fields), _converters(organization_fields)
    memberships = []
    for row in rows:
        membership = _from_row(Membership, membership_fields, membership_converters, row[:split])
        organization = _from_row(Organization, organization_fields, organization_converters, row[split:])
        Membership.organization.field.set_cached_value(membership, organization)
        memberships.append(membership)
    return memberships


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
