"""What is due, and who holds an account: per-kind schedules and the account's lease.

The database is the source of truth (DESIGN.md "Talking to the networks"): a message lost by the
broker (Redis restarted) or a worker killed mid-sync leaves a due schedule and a lease that
expires, and the dispatcher queues the account again. Claims are conditional UPDATEs, so two
deliveries of one message (or two workers) never sync one account at once.
"""

import datetime as dt
import json
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from networks.models import SocialAccount, SyncClaim, SyncKind, SyncRun, SyncSchedule
from networks.sync.clock import network_now
from overgraph.written_sql import select_sql

QUEUED = "queued"


def lease() -> dt.timedelta:
    """How long a worker holds an account without renewing (renewed at every step of a run);
    also how long a queued account waits before being queued again if its message was lost."""
    return dt.timedelta(seconds=settings.SYNC_LEASE_SECONDS)


# Kinds every account is scheduled for. Comments, mentions and messages go to the inbox
# (networks/sync/conversations.py), after the posts they answer are known.
SCHEDULED_KINDS = (SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS, SyncKind.CONVERSATIONS)
ORDER = {
    SyncKind.BACKFILL: 0,
    SyncKind.DAILY: 1,
    SyncKind.POSTS: 2,
    SyncKind.POST_METRICS: 3,
    SyncKind.CONVERSATIONS: 4,
}


def new_owner() -> str:
    return uuid.uuid4().hex


@transaction.atomic
def schedules_ensure(*, account: SocialAccount, backfill: bool = True) -> list[SyncSchedule]:
    """Create the account's missing schedules, due now (a newly connected account backfills its
    history and reads today's metrics at once). Existing schedules are left as they are."""
    now = network_now()
    kinds = ([SyncKind.BACKFILL] if backfill else []) + list(SCHEDULED_KINDS)
    existing = set(
        SyncSchedule.objects.filter(organization=account.organization_id, account=account).values_list(
            "kind", flat=True
        )
    )
    SyncSchedule.objects.bulk_create(
        [
            SyncSchedule(organization_id=account.organization_id, account=account, kind=kind, due_at=now)
            for kind in kinds
            if kind not in existing
        ],
        ignore_conflicts=True,  # another process may be creating them at the same instant
    )
    SyncClaim.objects.get_or_create(organization_id=account.organization_id, account=account)
    return list(SyncSchedule.objects.filter(organization=account.organization_id, account=account))


def schedules_due(account: SocialAccount, now: dt.datetime | None = None) -> list[SyncSchedule]:
    now = now or network_now()
    due = SyncSchedule.objects.raw(
        select_sql(SyncSchedule, "organization", "account", "due_at <="), [account.organization_id, account.pk, now]
    )
    return sorted(due, key=lambda s: ORDER.get(s.kind, 9))


SCHEDULE_FIELDS = ["due_at", "last_status", "attempts", "last_run_at", "state"]


def schedule_fields(
    *, schedule: SyncSchedule, due_at: dt.datetime | None, status: str, attempts: int = 0, state: dict
) -> None:
    """Set a run's outcome on its schedule (``SCHEDULE_FIELDS``), for the caller to write."""
    schedule.due_at, schedule.last_status, schedule.attempts = due_at, status, attempts
    schedule.last_run_at = network_now()
    schedule.state = state


def schedule_state_save(*, schedule: SyncSchedule, state: dict) -> None:
    """Save a run's resume point (a cursor) as soon as the page it follows is stored."""
    schedule.state = state
    schedule.save(update_fields=["state"])


def _free() -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now()) | Q(owner=QUEUED)


def account_claim(*, account: SocialAccount, owner: str) -> bool:
    """Take the account's lease if nobody holds it (free, expired, or only queued). One UPDATE:
    of two concurrent claims, exactly one changes the row."""
    now = timezone.now()
    claims = SyncClaim.objects.filter(organization=account.organization_id, account=account)
    taken = claims.filter(_free()).update(owner=owner, lease_until=now + lease(), claimed_at=now)
    if taken == 0 and not claims.exists():  # first sync of the account: create its claim row
        SyncClaim.objects.get_or_create(organization_id=account.organization_id, account=account)
        taken = claims.filter(_free()).update(owner=owner, lease_until=now + lease(), claimed_at=now)
    return taken == 1


INTERRUPTED = "interrupted: the worker stopped mid-run"


def account_claim_for_sync(*, account: SocialAccount, owner: str) -> tuple[bool, dict | None]:
    """Take the account's lease (as ``account_claim``) and, once held, close the runs a killed
    worker left "running". Returns (claimed, the account's "blocked until" map when read on the
    way, else None). On PostgreSQL one statement (the claim, the close and the read of the
    blocked map are data-modifying CTEs of one UPDATE) instead of three."""
    if connection.vendor == "postgresql":
        now = timezone.now()
        claim, run = SyncClaim._meta.db_table, SyncRun._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH claim AS (UPDATE {claim} SET owner = %s, lease_until = %s, claimed_at = %s"  # noqa: S608 — table names from the models
                " WHERE organization_id = %s AND account_id = %s"
                " AND (lease_until IS NULL OR lease_until < %s OR owner = %s) RETURNING blocked),"
                f" interrupted AS (UPDATE {run} SET status = %s, error = %s, finished_at = %s"
                " WHERE organization_id = %s AND account_id = %s AND status = %s AND EXISTS (SELECT 1 FROM claim))"
                " SELECT blocked FROM claim",
                [
                    *(owner, now + lease(), now, account.organization_id, account.pk, now, QUEUED),
                    *(SyncRun.Status.FAILED, INTERRUPTED, now, account.organization_id, account.pk),
                    SyncRun.Status.RUNNING,
                ],
            )
            row = cursor.fetchone()
        if row is not None:
            blocked = json.loads(row[0]) if isinstance(row[0], str) else row[0]
            return True, blocked or {}
        # Not taken: held by another worker, or the account's first sync (no claim row yet).
    if not account_claim(account=account, owner=owner):
        return False, None
    SyncRun.objects.filter(organization=account.organization_id, account=account, status=SyncRun.Status.RUNNING).update(
        status=SyncRun.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now()
    )
    return True, None


def account_lease_renew(*, account: SocialAccount, owner: str) -> bool:
    """Extend our lease; False when it was lost (expired and taken by another worker)."""
    return (
        SyncClaim.objects.filter(organization=account.organization_id, account=account, owner=owner).update(
            lease_until=timezone.now() + lease()
        )
        == 1
    )


def account_release(*, account: SocialAccount, owner: str) -> None:
    SyncClaim.objects.filter(organization=account.organization_id, account=account, owner=owner).update(
        owner="", lease_until=None
    )


def account_mark_queued(*, organization_id: int, account_id: int) -> bool:
    """The dispatcher's mark: queued, not running. Skipped when a worker holds the lease."""
    SyncClaim.objects.get_or_create(organization_id=organization_id, account_id=account_id)
    return (
        SyncClaim.objects.filter(organization=organization_id, account=account_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now()))
        .update(owner=QUEUED, lease_until=timezone.now() + lease())
        == 1
    )


def account_sync_on_connect(*, account: SocialAccount) -> None:
    """A connected (or reconnected) account: schedule its backfill and syncs, and queue it once
    the connection is committed so the person sees the history arrive. A reconnection keeps its
    schedules (a done backfill is not redone); what fell due meanwhile runs now."""
    schedules_ensure(account=account)
    if account_mark_queued(organization_id=account.organization_id, account_id=account.pk):
        from networks.tasks import sync_account  # tasks import the engine, which imports services

        organization_id, account_id = account.organization_id, account.pk
        transaction.on_commit(lambda: sync_account.delay(organization_id, account_id, SyncRun.Trigger.CONNECT))
