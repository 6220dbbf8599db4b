"""How long Meta's webhook deliveries are kept: their payloads hold people's messages and comments.

An event row serves twice: as the stored copy processed by a task (nothing lost when processing
fails) and, through ``dedup_key``, to recognise a redelivery. Meta retries a delivery for up to
36 hours, so once an event is settled (processed, ignored or failed) and older than the retention
period, neither use remains: the row goes. Pending events are never removed (the sweeper owns
them). What an event produced (posts, inbox messages) lives on under its own retention rules.
https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from networks.models import WebhookEvent

SETTLED = (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED, WebhookEvent.Status.FAILED)
# Never shorter than Meta's retry window: a redelivery must still find its twin.
MINIMUM = dt.timedelta(days=2)


def webhook_events_purge(*, now: dt.datetime | None = None) -> int:
    """Delete settled events received before the retention period; returns how many."""
    keep = max(dt.timedelta(days=settings.WEBHOOK_EVENT_RETENTION_DAYS), MINIMUM)
    cutoff = (now or timezone.now()) - keep
    deleted, _ = WebhookEvent.objects.filter(status__in=SETTLED, received_at__lt=cutoff).delete()
    return deleted
