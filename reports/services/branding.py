"""Saving an organisation's or a workspace's report branding."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AuditEvent, Organization, User, Workspace
from accounts.services.audit import audit_record
from reports.media import validate_logo
from reports.models import Branding


@transaction.atomic
def branding_save(
    *,
    organization: Organization,
    workspace: Workspace | None,
    actor: User,
    name: str,
    primary_color: str,
    accent_color: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
    request: HttpRequest | None = None,
) -> Branding:
    """Create or update the branding. ``logo`` is validated first (``reports.media.InvalidImageError``):
    a bad file changes nothing."""
    checked = validate_logo(logo) if logo else None
    branding, _created = Branding.objects.get_or_create(organization=organization, workspace=workspace)
    branding.name = name.strip()
    branding.primary_color = primary_color
    branding.accent_color = accent_color
    if checked:
        branding.logo, branding.logo_type = checked
    elif remove_logo:
        branding.logo, branding.logo_type = None, ""
    branding.updated_at = timezone.now()
    branding.save()
    audit_record(
        organization=organization,
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"report branding: {workspace.name if workspace else organization.name}",
        details={"branding": branding.pk, "logo": bool(branding.logo)},
        request=request,
    )
    return branding
