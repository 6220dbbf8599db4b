"""The sync engine's services: sync one account (whatever is due, or the kinds asked), each kind
writing one ``SyncRun``, facts going through the registered ``FactStore``.

Order of a run: take the account's lease (a duplicate delivery stops here), check the app's and
the account's "blocked until" and the X read budget, build the provider (refreshing the token
under a row lock when it nears expiry), read incrementally (since the newest stored post,
resuming a saved cursor), store each page as soon as it is read (idempotent upserts), save the
cursor, renew the lease, and at the end schedule the next run from the outcome:

* ``RateLimited`` → blocked until the announced reset (app or account), rescheduled then;
* ``AuthExpired`` → account needs reconnecting (people told), nothing more until they do;
* ``Transient`` → retried in the run a few times, then rescheduled with exponential backoff and
  jitter (the saved cursor makes the next run resume, not restart);
* ``Permanent`` → recorded, and the run stops.

Network calls never run inside a database transaction.
"""

import dataclasses
import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Subquery
from django.utils import timezone
from django_scopes import scope

from networks.models import Network, SocialAccount, SyncClaim, SyncKind, SyncRun, SyncSchedule, XReadUsage
from networks.providers.base import DailyMetrics, Post, Provider
from networks.providers.errors import AuthExpired, Permanent, ProviderError, RateLimited, Transient
from networks.services.accounts import account_mark_needs_reauth
from networks.services.tokens import account_provider
from networks.sync import cadence, limits
from networks.sync.clock import network_now, network_today
from networks.sync.conversations import step_conversations
from networks.sync.factstore import FactStore, fact_store
from networks.sync.schedules import (
    SCHEDULE_FIELDS,
    account_claim_for_sync,
    account_lease_renew,
    account_release,
    new_owner,
    schedule_fields,
    schedule_state_save,
    schedules_due,
    schedules_ensure,
)
from overgraph import written_sql
from overgraph.written_sql import select_sql

logger = logging.getLogger(__name__)
T = TypeVar("T")

# History read on connect. Page insights: up to two years, asked in 90-day windows by the provider;
# Instagram: 30-day windows, and the API keeps no more than it can serve per day; X: no account
# history at all (today's counters only) — its past comes from our own daily syncs.
BACKFILL_DAYS = {Network.FACEBOOK: 365, Network.INSTAGRAM: 30, Network.X: 0}
BACKFILL_POSTS = dt.timedelta(days=365)  # X's timeline stops at 3,200 posts anyway
# Meta may revise a daily value for up to 48 h: the daily sync re-reads the last days (upserts).
DAILY_REREAD_DAYS = 2
# New posts: read since the newest stored one minus this overlap (idempotent); without any, a week.
POSTS_OVERLAP = dt.timedelta(hours=1)
POSTS_FIRST_WINDOW = dt.timedelta(days=7)
# Post metrics per provider call (X looks up 100 ids a call; Graph reads one post a call), and
# per run (the rest stays due and is read next run).
METRICS_BATCH = {Network.X: 100, Network.FACEBOOK: 25, Network.INSTAGRAM: 25}
METRICS_PER_RUN = 500
IN_RUN_ATTEMPTS = 3
BACKFILL_DAILY_SHARE = 20  # progress points (of 100) for the daily part of a backfill
# A lease renewed less than this share of its length ago is still ours (nobody may take it before
# it expires): no need to write it again before each kind and each page.
LEASE_RENEW_AFTER = 1 / 3


class LeaseLost(Exception):  # noqa: N818 — a fate, like the provider errors
    """Another worker took the account (our lease expired): stop without writing more."""


@dataclass
class Lease:
    """Our hold on an account during one sync (claimed just before this is made)."""

    account: SocialAccount
    owner: str
    renewed: float = field(default_factory=time.monotonic)

    def keep(self) -> bool:
        """Renew the lease if a third of it has gone by; False when it was lost meanwhile."""
        if time.monotonic() - self.renewed < settings.SYNC_LEASE_SECONDS * LEASE_RENEW_AFTER:
            return True
        if not account_lease_renew(account=self.account, owner=self.owner):
            return False
        self.renewed = time.monotonic()
        return True


@dataclass
class Context:
    account: SocialAccount
    schedule: SyncSchedule
    run: SyncRun
    lease: Lease
    store: FactStore
    meter: limits.CallMeter
    now: dt.datetime = field(default_factory=network_now)
    counts: dict[str, int] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    slowdown: float = 1.0
    history_days: int | None = None
    limits_read: "limits.Snapshot | None" = None
    # Shared by the kinds of one account's sync: the token is read and decrypted, and the
    # network's client built, once per account rather than once per kind.
    providers: dict[int, Provider] = field(default_factory=dict)

    @property
    def provider(self) -> Provider:
        if self.account.pk not in self.providers:
            self.providers[self.account.pk] = account_provider(account=self.account)
        return self.providers[self.account.pk]

    def call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One provider call, retried in place on a transient failure (backoff with jitter)."""
        for attempt in range(1, IN_RUN_ATTEMPTS + 1):
            try:
                return method(*args, **kwargs)
            except Transient:
                if attempt == IN_RUN_ATTEMPTS:
                    raise
                delay = settings.SYNC_RETRY_DELAY * (2 ** (attempt - 1))
                time.sleep(delay * (0.5 + random.random()))  # noqa: S311 — jitter, not security
        raise AssertionError("unreachable")

    def add(self, name: str, value: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + value

    def x_reads(self, value: int) -> None:
        if self.account.network == Network.X:
            self.add("x_reads", value)

    def checkpoint(self, *, done: int | None = None, total: int | None = None) -> None:
        """Renew the lease (or stop if it was lost), save the resume point and progress: one
        transaction, one commit."""
        with transaction.atomic():
            if not self.lease.keep():
                raise LeaseLost  # another worker owns the account now: write nothing
            schedule_state_save(schedule=self.schedule, state=self.state)
            fields = ["counts"]
            self.run.counts = dict(self.counts)
            if done is not None:
                self.run.progress_done = done
                fields.append("progress_done")
            if total is not None:
                self.run.progress_total = total
                fields.append("progress_total")
            self.run.save(update_fields=fields)


# --- Steps ---------------------------------------------------------------------------------------


def _with_profile_followers(ctx: Context, rows: list[DailyMetrics], today: dt.date) -> list[DailyMetrics]:
    """Instagram gives new followers per day, not the total: today's total comes from the profile."""
    if ctx.account.network != Network.INSTAGRAM:
        return rows
    followers = ctx.call(ctx.provider.profile).followers
    ctx.x_reads(1)
    others = [r for r in rows if r.day != today]
    current = next((r for r in rows if r.day == today), DailyMetrics(day=today))
    return [*others, dataclasses.replace(current, followers=followers)]


def _save_daily(ctx: Context, start: dt.date, end: dt.date) -> int:
    rows = ctx.call(ctx.provider.daily_metrics, start, end)
    if ctx.account.network == Network.X:
        ctx.x_reads(1)  # one user read
    rows = _with_profile_followers(ctx, rows, end)
    saved = ctx.store.save_daily(ctx.account, rows) if rows else 0
    ctx.add("days", saved)
    if rows:
        ctx.state["through"] = max(r.day for r in rows).isoformat()
    return saved


def step_daily(ctx: Context) -> dt.datetime:
    today = network_today()
    through = dt.date.fromisoformat(ctx.state["through"]) if ctx.state.get("through") else None
    start = today - dt.timedelta(days=DAILY_REREAD_DAYS)
    if through is not None:
        start = min(start, through)  # a gap after an outage is filled here
    _save_daily(ctx, max(start, today - dt.timedelta(days=89)), today)
    return cadence.next_daily(ctx.now)


def _store_posts(ctx: Context, posts: list[Post]) -> None:
    if not posts:
        return
    saved = ctx.store.save_posts(ctx.account, posts, ctx.now)
    ctx.add("posts_inserted", saved.inserted)
    ctx.add("posts_updated", saved.updated)
    ctx.add("snapshots", len(posts))
    ctx.store.schedule_posts(
        ctx.account,
        {
            p.external_id: cadence.post_next_refresh(
                published_at=p.published_at, now=ctx.now, changed=True, slowdown=ctx.slowdown
            )
            for p in posts
        },
    )


def _walk_posts(ctx: Context, since: dt.datetime, on_page: Callable[[list[Post]], None] | None = None) -> None:
    """Page through posts since ``since``, storing each page, resuming a cursor saved for the same
    ``since`` by an interrupted run."""
    saved = ctx.state.get("posts") or {}
    cursor = saved.get("cursor") if saved.get("since") == since.isoformat() else None
    while True:
        page = ctx.call(ctx.provider.posts, since=since, cursor=cursor)
        ctx.x_reads(len(page.items))
        _store_posts(ctx, page.items)
        if on_page is not None:
            on_page(page.items)
        cursor = page.next_cursor
        ctx.state["posts"] = {"since": since.isoformat(), "cursor": cursor} if cursor else {}
        if not cursor:
            # No resume point to save: the run's end writes the state (if the worker dies first,
            # the next run reads the last page again, idempotently).
            if not ctx.lease.keep():
                raise LeaseLost
            return
        ctx.checkpoint()


def step_posts(ctx: Context) -> dt.datetime:
    since = ctx.state.get("posts", {}).get("since")
    if since:
        since = dt.datetime.fromisoformat(since)  # an interrupted walk resumes with its own since
    else:
        latest = ctx.store.latest_post(ctx.account)
        since = latest[1] - POSTS_OVERLAP if latest else ctx.now - POSTS_FIRST_WINDOW
    _walk_posts(ctx, since)
    return cadence.next_due(SyncKind.POSTS, ctx.now, slowdown=ctx.slowdown)


def step_post_metrics(ctx: Context) -> dt.datetime:
    batch = METRICS_BATCH.get(ctx.account.network, 25)
    read = 0
    while read < METRICS_PER_RUN:
        due = ctx.store.posts_due(ctx.account, ctx.now, batch)
        if not due:
            break
        metrics = ctx.call(
            ctx.provider.post_metrics,
            [p.external_id for p in due],
            content_types={p.external_id: p.content_type for p in due},
        )
        ctx.x_reads(len(metrics))
        changed = ctx.store.save_post_metrics(ctx.account, metrics, ctx.now) if metrics else frozenset()
        ctx.add("metrics", len(metrics))
        ctx.add("changed", len(changed))
        ctx.store.schedule_posts(
            ctx.account,
            {
                # A post the network no longer returns (deleted, or no insights) is not asked again.
                p.external_id: cadence.post_next_refresh(
                    published_at=p.published_at,
                    now=ctx.now,
                    changed=p.external_id in changed,
                    last_changed_at=p.last_changed_at,
                    slowdown=ctx.slowdown,
                )
                if p.external_id in metrics
                else None
                for p in due
            },
        )
        read += len(due)
        ctx.checkpoint()
    return cadence.next_due(SyncKind.POST_METRICS, ctx.now, slowdown=ctx.slowdown)


def step_backfill(ctx: Context) -> dt.datetime | None:
    today = network_today()
    days = BACKFILL_DAYS.get(ctx.account.network, 0) if ctx.history_days is None else ctx.history_days
    if not ctx.state.get("daily_done"):
        _save_daily(ctx, today - dt.timedelta(days=days), today)
        ctx.state["daily_done"] = True
    ctx.checkpoint(done=BACKFILL_DAILY_SHARE, total=100)
    since = ctx.now - (BACKFILL_POSTS if ctx.history_days is None else dt.timedelta(days=max(1, ctx.history_days)))
    span = (ctx.now - since).total_seconds()

    def progress(posts: list[Post]) -> None:
        if posts:
            covered = (ctx.now - min(p.published_at for p in posts)).total_seconds() / span
            ctx.run.progress_done = max(
                ctx.run.progress_done,
                BACKFILL_DAILY_SHARE + int((100 - BACKFILL_DAILY_SHARE) * min(1.0, covered)),
            )

    _walk_posts(ctx, since, progress)
    ctx.state = {"done": True}
    ctx.checkpoint(done=100, total=100)
    return None  # done: a backfill runs once, on connect


STEPS: dict[str, Callable[[Context], dt.datetime | None]] = {
    SyncKind.BACKFILL: step_backfill,
    SyncKind.DAILY: step_daily,
    SyncKind.POSTS: step_posts,
    SyncKind.POST_METRICS: step_post_metrics,
    SyncKind.CONVERSATIONS: step_conversations,
}


# --- Runs ----------------------------------------------------------------------------------------


def _network_time(moment: dt.datetime) -> dt.datetime:
    """A wall-clock instant (a rate-limit reset) on the networks' clock (they differ in the replay)."""
    return network_now() + (moment - timezone.now())


def _finish(
    ctx: Context,
    *,
    status: str,
    error: str = "",
    due_at: dt.datetime | None,
    attempts: int = 0,
    schedule: bool = True,
) -> SyncRun:
    """Close the run, schedule the kind's next one and meter X reads: together (one statement on
    PostgreSQL, one transaction elsewhere)."""
    run = ctx.run
    run.status, run.error, run.finished_at = status, error[:2000], timezone.now()
    run.counts, run.calls = dict(ctx.counts), ctx.meter.calls
    x_reads = ctx.counts.get("x_reads", 0)
    meter_x = bool(x_reads or (ctx.account.network == Network.X and ctx.meter.calls))
    if schedule:
        schedule_fields(schedule=ctx.schedule, due_at=due_at, status=status, attempts=attempts, state=ctx.state)
    if connection.vendor == "postgresql":
        _finish_statement(ctx, schedule=schedule, meter_x=meter_x)
    else:
        with transaction.atomic():
            run.save(update_fields=["status", "error", "finished_at", "counts", "calls"])
            if schedule:
                ctx.schedule.save(update_fields=SCHEDULE_FIELDS)
            if meter_x:
                limits.x_reads_add(organization_id=ctx.account.organization_id, reads=x_reads, calls=ctx.meter.calls)
    if meter_x and ctx.limits_read is not None:
        ctx.limits_read.x_used += x_reads
    if ctx.limits_read is not None and status != SyncRun.Status.OK:
        ctx.limits_read.stale = True  # a limit was hit (or the run failed): read the limits again
    return run


def _finish_statement(ctx: Context, *, schedule: bool, meter_x: bool) -> None:
    """The run's row, its schedule's and this month's X meter in ONE statement (data-modifying
    CTEs are one atomic statement): one round trip instead of BEGIN, two or three statements (the
    meter's first write of a month also a savepoint) and COMMIT, at the end of every run."""
    run, parts, params = ctx.run, [], []
    parts.append(
        f"UPDATE {SyncRun._meta.db_table} SET status = %s, error = %s, finished_at = %s, counts = %s::jsonb,"  # noqa: S608 — table names from the models, values as parameters
        " calls = %s WHERE id = %s"
    )
    params += [run.status, run.error, run.finished_at, json.dumps(run.counts), run.calls, run.pk]
    if schedule:
        s = ctx.schedule
        parts.append(
            f"UPDATE {SyncSchedule._meta.db_table} SET due_at = %s, last_status = %s, attempts = %s,"  # noqa: S608
            " last_run_at = %s, state = %s::jsonb WHERE id = %s"
        )
        params += [s.due_at, s.last_status, s.attempts, s.last_run_at, json.dumps(s.state), s.pk]
    if meter_x:
        table = XReadUsage._meta.db_table
        parts.append(
            f"INSERT INTO {table} (organization_id, month, reads, calls) VALUES (%s, %s, %s, %s)"  # noqa: S608
            " ON CONFLICT (organization_id, month) DO UPDATE"
            f" SET reads = {table}.reads + EXCLUDED.reads, calls = {table}.calls + EXCLUDED.calls"
        )
        params += [
            ctx.account.organization_id,
            limits.month_of(timezone.now()),
            ctx.counts.get("x_reads", 0),
            ctx.meter.calls,
        ]
    *first, last = parts
    sql = ("WITH " + ", ".join(f"w{i} AS ({part})" for i, part in enumerate(first)) + " " if first else "") + last
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _close_on_error(ctx: Context, schedule: SyncSchedule, error: Exception) -> None:
    attempts = schedule.attempts + 1
    try:
        _finish(
            ctx,
            status=SyncRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            due_at=ctx.now + cadence.backoff(attempts),
            attempts=attempts,
        )
    except Exception:  # the database itself may be what failed: the original error is raised anyway
        logger.exception("could not close sync run %s", ctx.run.pk)


def _run_start(account: SocialAccount, kind: str, trigger: str) -> SyncRun:
    """The run's row, "running" (INSERT … RETURNING id written out on PostgreSQL: the ORM's
    create compiles the statement again at each of an account's runs)."""
    run = SyncRun(organization_id=account.organization_id, account=account, kind=kind, trigger=trigger)
    if connection.vendor != "postgresql":
        run.save(force_insert=True)
        return run
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SyncRun._meta.db_table} (organization_id, account_id, kind, trigger, status, started_at,"  # noqa: S608 — table name from the model
            " finished_at, counts, calls, error, progress_done, progress_total)"
            " VALUES (%s, %s, %s, %s, %s, %s, NULL, '{}'::jsonb, 0, '', 0, 0) RETURNING id",
            [run.organization_id, run.account_id, run.kind, run.trigger, run.status, run.started_at],
        )
        run.pk = cursor.fetchone()[0]
    run._state.adding, run._state.db = False, connection.alias
    return run


def run_kind(  # noqa: PLR0912 — one branch per fate of a run, read top down
    *,
    account: SocialAccount,
    schedule: SyncSchedule,
    owner: str | Lease,
    trigger: str,
    history_days: int | None = None,
    providers: dict[int, Provider] | None = None,
    limits_read: limits.Snapshot | None = None,
) -> SyncRun:
    """Run one kind for an account whose lease we hold, and write its SyncRun. ``providers``
    and ``limits_read``: the account's provider and limits, kept across the kinds of one sync."""
    run = _run_start(account, schedule.kind, trigger)
    ctx = Context(
        account=account,
        schedule=schedule,
        run=run,
        lease=owner if isinstance(owner, Lease) else Lease(account=account, owner=owner),
        store=fact_store(),
        meter=limits.CallMeter(),
        state=dict(schedule.state or {}),
        history_days=history_days,
        providers={} if providers is None else providers,
        limits_read=limits_read,
    )
    blocked, network_slowdown = limits.run_limits(account, schedule.kind, limits_read)
    if blocked is not None:
        return _finish(
            ctx,
            status=SyncRun.Status.RATE_LIMITED,
            error="waiting for the rate limit to reset",
            due_at=_network_time(blocked),
        )
    ctx.slowdown = max(limits.x_slowdown(account, limits_read), network_slowdown)
    if ctx.slowdown == float("inf") and schedule.kind != SyncKind.BACKFILL:
        # The organisation's X read budget is spent: no more reads until next month.
        next_month = (limits.month_of(ctx.now) + dt.timedelta(days=32)).replace(day=1)
        return _finish(
            ctx,
            status=SyncRun.Status.SKIPPED,
            error="X read budget of the month used up",
            due_at=dt.datetime.combine(next_month, dt.time(0), tzinfo=dt.UTC),
        )
    if ctx.slowdown == float("inf"):
        ctx.slowdown = 1.0
    with ctx.meter:
        try:
            due_at = STEPS[schedule.kind](ctx)
        except LeaseLost:
            # The schedule is the new lease holder's now: only this run's row is ours to close.
            return _finish(
                ctx, status=SyncRun.Status.PARTIAL, error="lease lost to another worker", due_at=None, schedule=False
            )
        except RateLimited as error:
            until = error.reset_at or timezone.now() + cadence.HOUR / 4
            if error.scope == "app":
                limits.app_block(network=account.network, until=until)
            else:
                limits.account_block(account=account, kind=schedule.kind, until=until)
            status = SyncRun.Status.RATE_LIMITED
            return _finish(ctx, status=status, error=error.message, due_at=_network_time(until))
        except AuthExpired as error:
            account_mark_needs_reauth(account=account, error=error.message)
            # Due again at once: the dispatcher skips the account until someone reconnects it.
            return _finish(ctx, status=SyncRun.Status.NEEDS_REAUTH, error=error.message, due_at=ctx.now)
        except Transient as error:
            attempts = schedule.attempts + 1
            status = SyncRun.Status.PARTIAL if ctx.counts else SyncRun.Status.FAILED
            due_at = ctx.now + cadence.backoff(attempts)
            return _finish(ctx, status=status, error=error.message, due_at=due_at, attempts=attempts)
        except Permanent as error:
            # Retrying the same request gives the same answer (errors.py); the next scheduled run
            # still happens, as the cause may be one post.
            due_at = cadence.next_due(schedule.kind, ctx.now) if schedule.kind != SyncKind.BACKFILL else None
            return _finish(ctx, status=SyncRun.Status.FAILED, error=error.message, due_at=due_at)
        except ProviderError as error:  # a class errors.py may add later: treat as transient
            attempts = schedule.attempts + 1
            due_at = ctx.now + cadence.backoff(attempts)
            return _finish(ctx, status=SyncRun.Status.FAILED, error=error.message, due_at=due_at, attempts=attempts)
        except Exception as error:
            # Anything else (a bug, a store that failed): the run is closed rather than left
            # "running", the kind backs off instead of failing again every minute, and the error
            # still reaches the task (its logs, Celery's retry policy).
            _close_on_error(ctx, schedule, error)
            raise
    waited = limits.record_usage(account=account, kind=schedule.kind, meter=ctx.meter, limits=limits_read)
    if waited is not None and due_at is not None:
        due_at = max(due_at, _network_time(waited))
    return _finish(ctx, status=SyncRun.Status.OK, due_at=due_at)


def _account_after(account: SocialAccount, owner: str, runs: list[SyncRun]) -> None:
    """Release the lease and mirror the outcome on the account row (the workspace page and admin
    list read it): together, in one statement on PostgreSQL."""
    changes: dict[str, Any] = {}
    if any(r.status == SyncRun.Status.OK for r in runs):
        changes["last_synced_at"] = timezone.now()
    failed = [r for r in runs if r.status in (SyncRun.Status.FAILED, SyncRun.Status.PARTIAL)]
    if account.status == SocialAccount.Status.ACTIVE:
        changes["last_error"] = failed[-1].error if failed else ""
    if connection.vendor == "postgresql":
        claim, schedule, table = (m._meta.db_table for m in (SyncClaim, SyncSchedule, SocialAccount))
        sets = "".join(f", {SocialAccount._meta.get_field(name).column} = %s" for name in changes)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH released AS (UPDATE {claim} SET owner = '', lease_until = NULL"  # noqa: S608 — names from the models
                " WHERE organization_id = %s AND account_id = %s AND owner = %s)"
                f" UPDATE {table} SET next_sync_at = (SELECT MIN(due_at) FROM {schedule}"
                f" WHERE organization_id = %s AND account_id = %s){sets} WHERE organization_id = %s AND id = %s",
                [
                    *(account.organization_id, account.pk, owner, account.organization_id, account.pk),
                    *changes.values(),
                    *(account.organization_id, account.pk),
                ],
            )
        return
    next_due = (
        SyncSchedule.objects.filter(organization=account.organization_id, account=account)
        .order_by()
        .values("account")
        .annotate(next=Min("due_at"))
        .values("next")
    )
    with transaction.atomic():
        account_release(account=account, owner=owner)
        SocialAccount.objects.filter(organization=account.organization_id, pk=account.pk).update(
            next_sync_at=Subquery(next_due),  # one statement, not two
            **changes,
        )


def account_sync(
    *,
    organization_id: int,
    account_id: int,
    trigger: str = SyncRun.Trigger.SCHEDULE,
    kinds: list[str] | None = None,
    history_days: int | None = None,
) -> list[SyncRun]:
    """Sync one account: the kinds asked, or whatever is due. Returns its runs; none when another
    worker holds the account (a duplicate delivery, or a second "sync now") or it is not active."""
    with scope(organization=organization_id):
        account = written_sql.first(
            SocialAccount, select_sql(SocialAccount, "organization", "pk"), [organization_id, account_id]
        )
        if account is None or account.status != SocialAccount.Status.ACTIVE:
            return []
        owner = new_owner()
        # Once we hold the lease, a run still "running" was cut short (a worker killed mid-sync):
        # the claim closes it.
        claimed, blocked = account_claim_for_sync(account=account, owner=owner)
        if not claimed:
            return []
        lease = Lease(account=account, owner=owner)  # counted from now: just after the claim
        runs: list[SyncRun] = []
        try:
            if kinds:
                mine = SyncSchedule.objects.raw(
                    select_sql(SyncSchedule, "organization", "account"), [organization_id, account.pk]
                )
                asked = [s for s in mine if s.kind in kinds]
                if len(asked) < len(set(kinds)):
                    schedules_ensure(account=account, backfill=SyncKind.BACKFILL in kinds)
                    asked = SyncSchedule.objects.filter(organization=organization_id, account=account, kind__in=kinds)
                schedules = sorted(asked, key=lambda s: kinds.index(s.kind))
            else:
                schedules = schedules_due(account)
            providers: dict[int, Provider] = {}
            limits_read: limits.Snapshot | None = None
            for schedule in schedules:
                if not lease.keep():
                    break  # our lease expired and another worker took the account
                if limits_read is None or limits_read.stale:
                    # The claim's read of the "blocked until" map serves the first snapshot only.
                    limits_read = limits.snapshot(account, blocked=None if limits_read else blocked)
                run = run_kind(
                    account=account,
                    schedule=schedule,
                    owner=lease,
                    trigger=trigger,
                    history_days=history_days,
                    providers=providers,
                    limits_read=limits_read,
                )
                runs.append(run)
                if run.status == SyncRun.Status.NEEDS_REAUTH:
                    break
        finally:
            _account_after(account, owner, runs)
        return runs
