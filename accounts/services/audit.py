"""The audit log: one function records every security-relevant action."""

from django.http import HttpRequest
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Membership, Organization, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and gunicorn behind a proxy is configured with --forwarded-allow-ips to fix REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    organization: Organization | None,
    action: str,
    actor: User | None = None,
    target: str = "",
    details: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    # Writes name their organisation explicitly; the scope only guards reads.
    with scopes_disabled():
        return AuditEvent.objects.create(
            organization=organization,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            target=target[:255],
            details=details or {},
            ip_address=client_ip(request),
        )


def audit_record_for_person(
    *, user: User | None, action: str, target: str, request: HttpRequest | None = None, details: dict | None = None
) -> None:
    """Record an event about a person in every organisation they belong to (or none, if unknown)."""
    with scopes_disabled():
        organizations = (
            [m.organization for m in Membership.objects.filter(user=user).select_related("organization")]
            if user is not None
            else []
        )
        events = [
            AuditEvent(
                organization=organization,
                actor=user,
                action=action,
                target=target[:255],
                details=details or {},
                ip_address=client_ip(request),
            )
            for organization in organizations or [None]
        ]
        AuditEvent.objects.bulk_create(events)
