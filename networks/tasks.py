"""Celery tasks of the networks app: thin, they take ids and call the sync engine's services.

``acks_late`` and ``reject_on_worker_lost`` are global (settings): a worker killed mid-sync gives
its message back, and whatever the broker loses is queued again by the dispatcher from database
state (networks/sync/dispatch.py). Retries live in the engine's schedules (backoff with jitter).
"""

from celery import shared_task

from networks.models import SyncRun
from networks.sync import dispatch, engine


@shared_task
def sync_dispatch() -> int:
    return len(dispatch.sync_dispatch())


@shared_task
def sync_account(
    organization_id: int, account_id: int, trigger: str = SyncRun.Trigger.SCHEDULE, kinds: list[str] | None = None
) -> int:
    runs = engine.account_sync(organization_id=organization_id, account_id=account_id, trigger=trigger, kinds=kinds)
    return len(runs)
