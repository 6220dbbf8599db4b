"""The dispatcher: every minute (Celery beat), queue the accounts that have something due.

It reads the database only (schedules, leases), so whatever the broker lost — a Redis restart, a
worker killed before acknowledging — is queued again once its lease has expired. An account is
marked "queued" with a short lease when its message is sent, so a backlog is not queued twice;
the worker's claim then replaces that mark.
"""

import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_scopes import scopes_disabled

from networks.models import SocialAccount, SyncClaim, SyncSchedule
from networks.sync.clock import network_now
from networks.sync.schedules import account_mark_queued, schedules_ensure

logger = logging.getLogger(__name__)
DISPATCH_LIMIT = 1000  # accounts queued per tick at most; the rest wait a minute


def sync_dispatch(*, limit: int = DISPATCH_LIMIT) -> list[tuple[int, int]]:
    """Queue ``networks.tasks.sync_account`` for each active account with due work and no live
    lease. Returns the (organization id, account id) pairs queued."""
    from networks.tasks import sync_account  # tasks import the engine; keep this module light

    now = timezone.now()
    # A platform job across every tenant: the explicit, greppable escape hatch (STYLE.md rule 6).
    with scopes_disabled():
        # Accounts connected before the engine existed (or whose schedules were deleted).
        for account in SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE).exclude(
            Exists(SyncSchedule.objects.filter(account=OuterRef("pk")))
        )[:limit]:
            schedules_ensure(account=account)
        held = SyncClaim.objects.filter(account=OuterRef("account"), lease_until__gte=now)
        due = (
            SyncSchedule.objects.filter(due_at__lte=network_now(), account__status=SocialAccount.Status.ACTIVE)
            .filter(~Exists(held))
            .values_list("organization_id", "account_id")
            .distinct()
            .order_by()[:limit]
        )
        queued = []
        for organization_id, account_id in due:
            if account_mark_queued(organization_id=organization_id, account_id=account_id):
                queued.append((organization_id, account_id))
    for organization_id, account_id in queued:
        sync_account.delay(organization_id, account_id)
    if queued:
        logger.info("sync dispatcher queued %s account(s)", len(queued))
    return queued
