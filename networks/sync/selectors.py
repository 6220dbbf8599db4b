"""Reads of the sync engine for pages: an account's sync status, its run history, X usage."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from networks.models import Network, SocialAccount, SyncClaim, SyncKind, SyncRun, SyncSchedule
from networks.sync import limits
from networks.sync.schedules import QUEUED

HISTORY_LENGTH = 50


@dataclass(frozen=True)
class SyncStatus:
    account: SocialAccount
    active: bool  # queued or running: the status partial keeps polling
    queued: bool
    running: SyncRun | None
    last: SyncRun | None
    backfill: SyncRun | None  # the latest backfill run (its progress shows until it is done)
    backfill_done: bool
    x_reads: int | None = None
    x_cap: int | None = None

    @property
    def x_percent(self) -> int | None:
        if self.x_reads is None or not self.x_cap:
            return None
        return min(100, round(100 * self.x_reads / self.x_cap))


def sync_runs(account: SocialAccount, limit: int = HISTORY_LENGTH) -> list[SyncRun]:
    return list(SyncRun.objects.filter(organization=account.organization_id, account=account)[:limit])


def sync_status(account: SocialAccount) -> SyncStatus:
    now = timezone.now()
    claim = SyncClaim.objects.filter(organization=account.organization_id, account=account).first()
    held = claim is not None and claim.lease_until is not None and claim.lease_until > now
    runs = SyncRun.objects.filter(organization=account.organization_id, account=account)
    # A run is "running" only while its worker holds the lease: one killed mid-run is not shown as
    # running forever (its row says running until the next run of that kind replaces it).
    running = runs.filter(status=SyncRun.Status.RUNNING).first() if held and claim.owner != QUEUED else None
    backfill_schedule = SyncSchedule.objects.filter(
        organization=account.organization_id, account=account, kind=SyncKind.BACKFILL
    ).first()
    x_reads = x_cap = None
    if account.network == Network.X:
        x_reads, x_cap = limits.x_budget(account.organization_id, now)
    return SyncStatus(
        account=account,
        active=held,
        queued=held and claim.owner == QUEUED,
        running=running,
        last=runs.exclude(status=SyncRun.Status.RUNNING).first(),
        backfill=runs.filter(kind=SyncKind.BACKFILL).first(),
        backfill_done=backfill_schedule is None or backfill_schedule.due_at is None,
        x_reads=x_reads,
        x_cap=x_cap,
    )


def x_usage(organization_id: int, moment: dt.datetime | None = None) -> tuple[int, int | None]:
    return limits.x_budget(organization_id, moment)
