"""Celery tasks of the inbox: thin, they take ids and call services."""

import logging

from celery import shared_task
from django_scopes import scope, scopes_disabled

from accounts.models import Organization
from inbox.models import Thread, ThreadStatus
from inbox.services.analysis import messages_analyse_pending
from inbox.services.ingest import threads_refresh
from inbox.services.overdue import overdue_notify
from networks.sync.clock import network_now

logger = logging.getLogger(__name__)


@shared_task
def inbox_watch_dispatch() -> int:
    """Every few minutes (Celery beat): one task per organisation with waiting conversations."""
    # Explicit escape hatch: the platform-wide schedule lists organisations (ids only).
    with scopes_disabled():
        ids = list(
            Thread.objects.filter(status__in=[ThreadStatus.OPEN, ThreadStatus.PENDING])
            .values_list("organization_id", flat=True)
            .distinct()
        )
    for organization_id in ids:
        inbox_watch_organization.delay(organization_id)
    return len(ids)


@shared_task
def inbox_watch_organization(organization_id: int) -> int:
    """Analyse messages stored before the text analysis was available, then tell people about
    conversations waiting past their target."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    with scope(organization=organization):
        refreshed = messages_analyse_pending(organization_id=organization.pk)
        threads_refresh(organization_id=organization.pk, thread_ids=refreshed)
        return overdue_notify(organization=organization, now=network_now())
