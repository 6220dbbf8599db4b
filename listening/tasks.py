"""Listening's Celery tasks (thin: they take ids, the work is in services)."""

import datetime as dt
import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from listening.models import Watch
from listening.services.alerts import DIGEST_GAP, watch_digest_send
from listening.services.watches import watch_collect, watches_due


@shared_task(acks_late=True)
def watches_dispatch() -> int:
    """Every few minutes (Celery beat): claim the watches due and queue one collection each."""
    claimed = watches_due()
    for organization_id, watch_id in claimed:
        watch_collect_task.delay(organization_id, watch_id)
    return len(claimed)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def watch_collect_task(organization_id: int, watch_id: int) -> int:
    collected = watch_collect(organization_id=organization_id, watch_id=watch_id)
    return collected.new if collected else 0


@shared_task(acks_late=True)
def watch_digests_dispatch(now: str | None = None) -> int:
    """Hourly (Celery beat): the daily alert of "daily digest" watches, once their organisation's
    local time reaches NOTIFICATION_DIGEST_HOUR."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    sent = 0
    with scopes_disabled():
        watches = list(
            Watch.objects.filter(alerts=Watch.Alerts.DAILY, active=True)
            .exclude(last_alerted_at__gt=moment - DIGEST_GAP)
            .select_related("organization")
            .only("pk", "organization_id", "organization__time_zone")
        )
    for watch in watches:
        local = timezone.localtime(moment, zoneinfo.ZoneInfo(watch.organization.time_zone))
        if local.hour >= settings.NOTIFICATION_DIGEST_HOUR:
            sent += watch_digest_send(watch_id=watch.pk, organization_id=watch.organization_id, now=moment) > 0
    return sent
