"""Notifications: the one module later features call to tell people something.

``notify`` records an in-app notification per recipient (the bell) and, following each person's
preference, emails it at once (through a Celery task queued after commit) or keeps it for the
daily digest. Titles are rendered in the recipient's language by the caller passing lazy strings.
"""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import Notification, NotificationPreference, Organization, User

logger = logging.getLogger(__name__)


def _language(user: User, organization: Organization) -> str:
    return user.language or organization.language


def _email_mode(user: User) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.email if preference else NotificationPreference.Email.IMMEDIATE


@transaction.atomic
def notify(
    *,
    organization: Organization,
    users: Iterable[User],
    kind: str,
    title,
    body="",
    url: str = "",
) -> list[Notification]:
    """Notify ``users`` of ``organization``. ``title`` and ``body`` may be lazy translations:
    each is rendered in its recipient's language."""
    from accounts.tasks import notification_send_email  # tasks import services: keep the cycle lazy

    users = list(users)
    created = []
    with scope(organization=organization):
        for user in users:
            with translation.override(_language(user, organization)):
                notification = Notification.objects.create(
                    organization=organization, user=user, kind=kind, title=str(title)[:200], body=str(body), url=url
                )
            created.append(notification)
            if _email_mode(user) == NotificationPreference.Email.IMMEDIATE:
                transaction.on_commit(lambda pk=notification.pk: notification_send_email.delay(pk))
    return created


def notification_mark_read(*, user: User, organization: Organization, notification_ids: list[int] | None = None) -> int:
    """Mark one, several or (``None``) all of the person's unread notifications as read."""
    with scope(organization=organization):
        unread = Notification.objects.filter(organization=organization, user=user, read_at__isnull=True)
        if notification_ids is not None:
            unread = unread.filter(pk__in=notification_ids)
        return unread.update(read_at=timezone.now())


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def notification_email(*, notification_id: int) -> bool:
    """Email one notification now (idempotent: a notification already emailed is skipped)."""
    with scopes_disabled():
        # Claim it first so a duplicate delivery of the task sends nothing.
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        notification = Notification.objects.select_related("user", "organization").get(pk=notification_id)
    user, organization = notification.user, notification.organization
    with translation.override(_language(user, organization)):
        body = render_to_string(
            "emails/notification.txt",
            {"notification": notification, "organization": organization, "link": _absolute(notification.url)},
        )
        subject = f"[{organization.name}] {notification.title}"
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        # Give it back so the retry (or the next digest) sends it.
        with scopes_disabled():
            Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


DIGEST_GAP = dt.timedelta(hours=20)


def digest_send(*, user: User, now: dt.datetime | None = None) -> int:
    """Send one person their daily digest of notifications not yet emailed, across organisations.
    Returns how many notifications it carried (0: nothing sent)."""
    now = now or timezone.now()
    with scopes_disabled():
        preference = NotificationPreference.objects.filter(user=user).first()
        if preference is None:
            return 0
        previous = preference.last_digest_at
        # Claim the day's digest with a conditional UPDATE first, so a duplicate delivery of the
        # task (or two dispatchers racing) sends one digest, not two.
        claimed = (
            NotificationPreference.objects.filter(pk=preference.pk)
            .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_GAP))
            .update(last_digest_at=now)
        )
        if not claimed:
            return 0

        def give_back() -> None:
            NotificationPreference.objects.filter(pk=preference.pk, last_digest_at=now).update(last_digest_at=previous)

        pending = list(
            Notification.objects.filter(user=user, emailed_at__isnull=True)
            .select_related("organization")
            .order_by("organization__name", "created_at")
        )
        if not pending:
            give_back()
            return 0
        language = user.language or pending[0].organization.language
        with translation.override(language):
            subject = _("Your Over-Graph digest: %(count)s notifications") % {"count": len(pending)}
            for notification in pending:
                notification.link = _absolute(notification.url) if notification.url else ""
            body = render_to_string("emails/digest.txt", {"notifications": pending})
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            give_back()  # the task's retry (or the next hour's dispatch) tries again
            raise
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    return len(pending)


def _local_hour(preference: NotificationPreference, now: dt.datetime) -> int:
    # A digest spans organisations: the person's last organisation's time zone is the one they
    # live in most; without one, the platform's.
    organization = preference.user.last_organization
    time_zone = zoneinfo.ZoneInfo(organization.time_zone if organization else settings.TIME_ZONE)
    return timezone.localtime(now, time_zone).hour


def digest_recipients(*, now: dt.datetime | None = None) -> list[int]:
    """People who chose the daily digest, who have something waiting, whose local time has reached
    ``NOTIFICATION_DIGEST_HOUR`` and whose last digest is older than 20 hours. The beat task runs
    hourly; the 20-hour gap keeps it to one a day (a first digest sent late in the day moves back
    to the digest hour within a few days)."""
    now = now or timezone.now()
    with scopes_disabled():
        waiting = Notification.objects.filter(emailed_at__isnull=True).values("user_id")
        preferences = (
            NotificationPreference.objects.filter(email=NotificationPreference.Email.DIGEST, user_id__in=waiting)
            .exclude(last_digest_at__gt=now - DIGEST_GAP)
            .select_related("user__last_organization")
        )
        return [p.user_id for p in preferences if _local_hour(p, now) >= settings.NOTIFICATION_DIGEST_HOUR]
