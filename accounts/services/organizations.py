"""Organisations, workspaces and memberships."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Membership, Organization, Role, User, Workspace, WorkspaceGrant
from accounts.services.audit import audit_record
from overgraph.files import cascade_files, delete_files_after_commit

Action = AuditEvent.Action


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_create(
    *,
    owner: User,
    name: str,
    kind: str = Organization.Kind.SINGLE,
    time_zone: str = "Europe/Paris",
    language: str = "fr",
    request: HttpRequest | None = None,
) -> Organization:
    """Create a tenant with its first owner, and a first workspace named like it when it is a
    single brand or city (an agency creates one workspace per client)."""
    organization = Organization.objects.create(
        name=name, slug=_unique_slug(name), kind=kind, time_zone=time_zone, language=language
    )
    with scope(organization=organization):
        Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
        if kind == Organization.Kind.SINGLE:
            Workspace.objects.create(organization=organization, name=name)
    audit_record(
        organization=organization, action=Action.ORGANIZATION_CREATED, actor=owner, target=name, request=request
    )
    owner.last_organization = organization
    owner.save(update_fields=["last_organization"])
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, fields: dict, request: HttpRequest | None = None
) -> Organization:
    # Compare with the stored row, not with ``organization``: a ModelForm bound to the instance has
    # already copied the new values onto it, so the instance alone would show no change at all.
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = {}
    for field, value in fields.items():
        old = getattr(stored, field)
        if old != value:
            changed[field] = [old, value]
            setattr(stored, field, value)
        setattr(organization, field, value)
    if changed:
        stored.save(update_fields=list(changed))
        audit_record(
            organization=organization,
            action=Action.SETTINGS_CHANGED,
            actor=actor,
            target=organization.name,
            details={k: [str(v[0]), str(v[1])] for k, v in changed.items()},
            request=request,
        )
    return organization


@transaction.atomic
@transaction.atomic
def organization_delete(*, organization: Organization) -> None:
    """Delete the tenant and, through cascades, every row it owns, and the files those rows held."""
    with scopes_disabled():
        files = cascade_files([organization])
        organization.delete()
    delete_files_after_commit(files)


def _check_unique_workspace_name(organization: Organization, name: str, exclude_id: int | None = None) -> None:
    others = Workspace.objects.filter(organization=organization, name__iexact=name)
    if exclude_id:
        others = others.exclude(pk=exclude_id)
    if others.exists():
        raise ValidationError({"name": _("A workspace with this name already exists.")})


@transaction.atomic
def workspace_create(
    *, organization: Organization, actor: User, name: str, description: str = "", request: HttpRequest | None = None
) -> Workspace:
    with scope(organization=organization):
        _check_unique_workspace_name(organization, name)
        workspace = Workspace.objects.create(organization=organization, name=name, description=description)
    audit_record(organization=organization, action=Action.WORKSPACE_CREATED, actor=actor, target=name, request=request)
    return workspace


@transaction.atomic
def workspace_update(
    *, workspace: Workspace, actor: User, name: str, description: str = "", request: HttpRequest | None = None
) -> Workspace:
    organization = workspace.organization
    with scope(organization=organization):
        _check_unique_workspace_name(organization, name, exclude_id=workspace.pk)
        # The stored name, not ``workspace.name``: a ModelForm bound to the instance already
        # copied the new name onto it, and the rename would go unaudited.
        old_name = Workspace.objects.select_for_update().values_list("name", flat=True).get(pk=workspace.pk)
        workspace.name, workspace.description = name, description
        workspace.save(update_fields=["name", "description"])
    if old_name != name:
        audit_record(
            organization=organization,
            action=Action.WORKSPACE_RENAMED,
            actor=actor,
            target=name,
            details={"from": old_name, "to": name},
            request=request,
        )
    return workspace


@transaction.atomic
def workspace_delete(*, workspace: Workspace, actor: User, request: HttpRequest | None = None) -> None:
    organization, name = workspace.organization, workspace.name
    with scope(organization=organization):
        files = cascade_files([workspace])
        workspace.delete()
    delete_files_after_commit(files)
    audit_record(organization=organization, action=Action.WORKSPACE_DELETED, actor=actor, target=name, request=request)


def _owner_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).count()


@transaction.atomic
def membership_change_role(
    *, membership: Membership, actor: User, role: str, request: HttpRequest | None = None
) -> Membership:
    organization = membership.organization
    with scope(organization=organization):
        if role not in Role.values:
            raise ValidationError({"role": _("Unknown role.")})
        if Role.OWNER in (role, membership.role):
            raise ValidationError({"role": _("Ownership changes hands only through a transfer of ownership.")})
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        if role != Role.CLIENT:
            WorkspaceGrant.objects.filter(organization=organization, membership=membership).delete()
    if old != role:
        audit_record(
            organization=organization,
            action=Action.ROLE_CHANGED,
            actor=actor,
            target=membership.user.email,
            details={"from": old, "to": role},
            request=request,
        )
    return membership


@transaction.atomic
def membership_set_grants(
    *, membership: Membership, actor: User, workspaces: list[Workspace], request: HttpRequest | None = None
) -> None:
    """Replace the workspaces a client member may read."""
    organization = membership.organization
    with scope(organization=organization):
        if any(w.organization_id != organization.pk for w in workspaces):
            raise ValidationError({"workspaces": _("Unknown workspace.")})
        WorkspaceGrant.objects.filter(organization=organization, membership=membership).delete()
        WorkspaceGrant.objects.bulk_create(
            WorkspaceGrant(organization=organization, membership=membership, workspace=w) for w in workspaces
        )
    audit_record(
        organization=organization,
        action=Action.GRANTS_CHANGED,
        actor=actor,
        target=membership.user.email,
        details={"workspaces": sorted(w.name for w in workspaces)},
        request=request,
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User, request: HttpRequest | None = None) -> None:
    organization = membership.organization
    with scope(organization=organization):
        if membership.role == Role.OWNER and _owner_count(organization) <= 1:
            raise ValidationError(_("The last owner cannot leave: transfer ownership first."))
        email = membership.user.email
        membership.delete()
    audit_record(organization=organization, action=Action.MEMBER_REMOVED, actor=actor, target=email, request=request)


@transaction.atomic
def ownership_transfer(
    *, organization: Organization, actor_membership: Membership, to: Membership, request: HttpRequest | None = None
) -> None:
    """Make ``to`` an owner and the current owner an admin."""
    with scope(organization=organization):
        if to.pk == actor_membership.pk:
            raise ValidationError(_("You already own this organisation."))
        if to.role == Role.CLIENT:
            raise ValidationError(_("A client member cannot become owner."))
        Membership.objects.filter(pk=to.pk).update(role=Role.OWNER)
        Membership.objects.filter(pk=actor_membership.pk).update(role=Role.ADMIN)
    audit_record(
        organization=organization,
        action=Action.OWNERSHIP_TRANSFERRED,
        actor=actor_membership.user,
        target=to.user.email,
        request=request,
    )


def user_remember_organization(*, user: User, organization: Organization) -> None:
    if user.last_organization_id != organization.pk:
        user.last_organization = organization
        user.save(update_fields=["last_organization"])
