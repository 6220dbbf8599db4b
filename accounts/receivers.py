"""Audit rows for security events that happen inside django-allauth's own views.

STYLE.md keeps domain logic out of signals; these receivers are the exception because allauth
offers no other hook for them. They only record an audit row: no state changes.
"""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver

from accounts.models import AuditEvent
from accounts.services.audit import audit_record_for_person


@receiver(authenticator_added)
def audit_mfa_enabled(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        audit_record_for_person(user=user, action=AuditEvent.Action.MFA_ENABLED, target=user.email, request=request)


@receiver(authenticator_removed)
def audit_mfa_disabled(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP:
        audit_record_for_person(user=user, action=AuditEvent.Action.MFA_DISABLED, target=user.email, request=request)


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def audit_password_changed(sender, request, user, **kwargs):
    audit_record_for_person(user=user, action=AuditEvent.Action.PASSWORD_CHANGED, target=user.email, request=request)
