"""Analytics' Celery tasks (thin: the work is in services)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Organization
from analytics.models import ThemeRule
from analytics.services.ingest import snapshots_orphaned_delete
from analytics.services.themes import themes_apply

# Beat runs this every THEMES_INTERVAL; the window overlaps the previous run so a post stored
# while a run was in progress is still labelled (labels are idempotent).
THEMES_INTERVAL = dt.timedelta(minutes=10)


@shared_task(acks_late=True)
def themes_apply_recent() -> int:
    """Apply theme rules to the posts the sync engine stored since the last run: the hook after each
    sync that keeps networks free of any import of analytics."""
    since = timezone.now() - 2 * THEMES_INTERVAL
    with scopes_disabled():
        organization_ids = list(ThemeRule.objects.values_list("organization_id", flat=True).distinct())
    added = 0
    for organization in Organization.objects.filter(pk__in=organization_ids):
        with scope(organization=organization):
            added += themes_apply(organization=organization, seen_since=since)
    return added


@shared_task(acks_late=True)
def spikes_detect_dispatch() -> int:
    """Check yesterday (each organisation's local day) on every registered series. Beat runs it
    hourly; an organisation is checked during its local hours 1-6 (six chances a day if a worker is
    down, and alerts are idempotent), not every hour."""
    import zoneinfo

    now = timezone.now()
    due = [
        pk
        for pk, time_zone in Organization.objects.values_list("pk", "time_zone")
        if 1 <= now.astimezone(zoneinfo.ZoneInfo(time_zone)).hour <= 6
    ]
    for organization_id in due:
        spikes_detect_organization_task.delay(organization_id)
    return len(due)


@shared_task(acks_late=True)
def spikes_detect_organization_task(organization_id: int) -> int:
    from analytics.services.spikes import spikes_detect_organization

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return spikes_detect_organization(organization=organization)


@shared_task(acks_late=True)
def snapshots_orphans_sweep() -> int:
    """Weekly: delete the snapshots whose post is gone (only a deletion outside ingest's locking
    protocol can leave one: analytics/services/ingest.py). A platform job across every tenant."""
    return snapshots_orphaned_delete()
