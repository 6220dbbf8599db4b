"""Share links: a read-only link to one report for someone without an account.

The address carries the share's random key signed with the secret key (``django.core.signing``,
salted for this use only): a key that was not issued by us, or a link edited to point elsewhere,
fails the signature and answers 404. The row holds the expiry and the revocation, so a link stops
working the moment it is revoked, and it never opens another report than its own.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from reports.models import Report, ReportShare
from reports.selectors import share_by_key

SALT = "reports.share"


def share_token(share: ReportShare) -> str:
    return signing.dumps(str(share.key), salt=SALT, compress=False)


def share_url(share: ReportShare, *, absolute: bool = False) -> str:
    path = reverse("reports_shared", kwargs={"token": share_token(share)})
    return settings.SITE_URL.rstrip("/") + path if absolute else path


@transaction.atomic
def share_create(*, report: Report, actor: User | None, days: int | None = None, request=None) -> ReportShare:
    days = days or settings.REPORTS_SHARE_TTL_DAYS
    share = ReportShare.objects.create(
        organization_id=report.organization_id,
        report=report,
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    if actor is not None:
        audit_record(
            organization=report.organization,
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            target=f"report share link created: {report.title}",
            details={"report": report.pk, "share": share.pk, "expires_at": share.expires_at.isoformat()},
            request=request,
        )
    return share


@transaction.atomic
def share_revoke(*, share: ReportShare, actor: User, request=None) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit_record(
            organization=share.organization,
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=actor,
            target=f"report share link revoked: {share.report.title}",
            details={"report": share.report_id, "share": share.pk},
            request=request,
        )


class ShareGoneError(Exception):
    """A genuine link that expired or was revoked (the page says so, rather than a bare 404)."""


def share_resolve(token: str) -> ReportShare | None:
    """The share a link opens: None when the signature is wrong or the share unknown; ShareGoneError
    when it expired or was revoked; the report must be built."""
    try:
        key = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    share = share_by_key(key)
    if share is None or share.report.status != Report.Status.DONE:
        return None
    if not share.is_active():
        raise ShareGoneError
    with scopes_disabled():
        ReportShare.objects.filter(pk=share.pk).update(views=F("views") + 1)
    return share
