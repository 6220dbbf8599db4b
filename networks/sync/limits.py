"""Rate limits and budgets: count a run's calls, remember "blocked until" per app and per account,
slow down before a 429 from the usage the networks announce, and meter X reads per organisation.

The networks' usage headers are recorded by ``networks/http.py`` for every call; a ``CallMeter``
collects those of the current thread only (a worker process may run many syncs in threads).
"""

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization
from networks import http
from networks.models import AppRateLimit, Network, SocialAccount, SyncClaim, XReadBudget, XReadUsage
from networks.sync import cadence
from overgraph import written_sql
from overgraph.written_sql import select_sql

# Below this share of X's remaining calls in a window, wait for the window's reset (X answers 429
# at zero: https://docs.x.com/x-api/fundamentals/rate-limits).
X_REMAINING_FLOOR = 0.05
# Meta usage percentages (x-app-usage, x-business-use-case-usage) at which we stop until the
# window regains room: https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
META_BLOCK_PERCENT = 95.0
META_PAUSE = dt.timedelta(minutes=10)
USAGE_WORTH_WRITING = 50.0  # below this, usage never slows anything (cadence.usage_slowdown)
ALL_KINDS = "*"


def app_network(network: str) -> str:
    """The app a network's calls count against: one Meta app serves Facebook and Instagram (its
    state is kept under ``facebook``)."""
    return Network.X if network == Network.X else Network.FACEBOOK


@dataclass
class CallMeter:
    """Calls made by this thread while active, and the last usage each network announced."""

    thread: int = field(default_factory=threading.get_ident)
    calls: int = 0
    x_reads: int = 0
    last_x: http.Usage | None = None
    meta_percent: float | None = None
    meta_regain_minutes: float = 0.0

    def __call__(self, record: http.CallRecord) -> None:
        if threading.get_ident() != self.thread:
            return
        self.calls += 1
        usage = record.usage
        if usage.x_limit is not None and usage.x_remaining is not None:
            self.last_x = usage
        percent = usage.max_percent
        if percent is not None:
            self.meta_percent = max(self.meta_percent or 0.0, percent)
        for items in (usage.business_usage or {}).values():
            for item in items if isinstance(items, list) else []:
                value = item.get("estimated_time_to_regain_access")
                if isinstance(value, int | float):
                    self.meta_regain_minutes = max(self.meta_regain_minutes, float(value))

    def __enter__(self) -> "CallMeter":
        http.add_recorder(self)
        return self

    def __exit__(self, *exc) -> None:
        http.remove_recorder(self)


# --- Blocked until -------------------------------------------------------------------------------


def _app_row(network: str) -> AppRateLimit | None:
    return written_sql.first(AppRateLimit, select_sql(AppRateLimit, "network", "scope"), [app_network(network), ""])


def _row_blocked_until(row: AppRateLimit | None, now: dt.datetime) -> dt.datetime | None:
    return row.blocked_until if row and row.blocked_until and row.blocked_until > now else None


def app_blocked_until(network: str, now: dt.datetime | None = None) -> dt.datetime | None:
    return _row_blocked_until(_app_row(network), now or timezone.now())


def app_usage_percent(network: str) -> float | None:
    row = AppRateLimit.objects.filter(network=app_network(network), scope="").first()
    return row.usage_percent if row else None


def app_block(*, network: str, until: dt.datetime | None = None, usage_percent: float | None = None) -> None:
    """Record the app's state on a network: blocked until ``until`` and/or the usage announced."""
    defaults: dict = {"updated_at": timezone.now()}
    if until is not None:
        defaults["blocked_until"] = until
    if usage_percent is not None:
        defaults["usage_percent"] = usage_percent
    try:
        with transaction.atomic():
            AppRateLimit.objects.update_or_create(network=app_network(network), scope="", defaults=defaults)
    except IntegrityError:  # created by another worker at the same instant: update theirs
        AppRateLimit.objects.filter(network=app_network(network), scope="").update(**defaults)


def account_blocked_until(account: SocialAccount, kind: str, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or timezone.now()
    claim = SyncClaim.objects.filter(organization=account.organization_id, account=account).first()
    return _blocked_in(claim.blocked if claim else {}, kind, now)


def _blocked_in(blocked: dict, kind: str, now: dt.datetime) -> dt.datetime | None:
    moments = [dt.datetime.fromisoformat(blocked[key]) for key in (kind, ALL_KINDS) if blocked.get(key)]
    latest = max(moments, default=None)
    return latest if latest and latest > now else None


def account_block(*, account: SocialAccount, kind: str, until: dt.datetime) -> None:
    """Block one endpoint family (a sync kind, or ``*`` for all) of one account until ``until``.
    Called by the worker holding the account's lease, so no one else writes this row meanwhile."""
    with transaction.atomic():
        claim = SyncClaim.objects.select_for_update().filter(organization=account.organization_id, account=account)
        claim = claim.first()
        if claim is None:
            return
        claim.blocked = {**claim.blocked, kind: until.isoformat()}
        claim.save(update_fields=["blocked"])


def blocked_until(account: SocialAccount, kind: str) -> dt.datetime | None:
    """The later of the app's and the account's blocks for this kind, if any is still running."""
    found = [m for m in (app_blocked_until(account.network), account_blocked_until(account, kind)) if m]
    return max(found, default=None)


@dataclass
class Snapshot:
    """The limits one account sync reads once for all its kinds (not once per kind): the app's
    rate-limit row, the account's "blocked until" per kind, and for X its organisation's read
    budget. The engine reads it again after a run that hit or recorded a limit (``stale``), and
    adds each X run's reads to ``x_used`` itself."""

    app: AppRateLimit | None
    blocked: dict
    x_used: int = 0
    x_cap: int | None = None
    stale: bool = False


def snapshot(account: SocialAccount, blocked: dict | None = None) -> Snapshot:
    """The account's limits; ``blocked``: its "blocked until" map when the caller just read it
    (the engine's claim returns it)."""
    if blocked is None:
        blocked = (
            SyncClaim.objects.filter(organization=account.organization_id, account=account)
            .values_list("blocked", flat=True)
            .first()
        )
    used, cap = x_budget(account.organization_id) if account.network == Network.X else (0, None)
    return Snapshot(app=_app_row(account.network), blocked=blocked or {}, x_used=used, x_cap=cap)


def run_limits(account: SocialAccount, kind: str, limits: Snapshot | None = None) -> tuple[dt.datetime | None, float]:
    """Before a run: ``blocked_until`` and ``network_slowdown`` from one read of the app's row
    (read by every run of every account: one statement instead of two), or from ``limits``."""
    now = timezone.now()
    if limits is None:
        row, account_until = _app_row(account.network), account_blocked_until(account, kind, now)
    else:
        row, account_until = limits.app, _blocked_in(limits.blocked, kind, now)
    found = [m for m in (_row_blocked_until(row, now), account_until) if m]
    slowdown = 1.0 if account.network == Network.X else cadence.usage_slowdown(row.usage_percent if row else None)
    return max(found, default=None), slowdown


def record_usage(
    *, account: SocialAccount, kind: str, meter: CallMeter, limits: Snapshot | None = None
) -> dt.datetime | None:
    """After a run: slow down BEFORE a 429 from what the network announced. Returns the moment this
    account's ``kind`` may run again if it must wait, else None. ``limits``: the app's usage as
    this account sync read it (instead of reading it again), marked stale when this blocks."""
    until = _record_usage(account=account, kind=kind, meter=meter, limits=limits)
    if until is not None and limits is not None:
        limits.stale = True
    return until


def _record_usage(
    *, account: SocialAccount, kind: str, meter: CallMeter, limits: Snapshot | None
) -> dt.datetime | None:
    now = timezone.now()
    if account.network == Network.X and meter.last_x is not None:
        usage = meter.last_x
        if usage.x_limit and usage.x_remaining is not None and usage.x_remaining <= usage.x_limit * X_REMAINING_FLOOR:
            until = dt.datetime.fromtimestamp(usage.x_reset, tz=dt.UTC) if usage.x_reset else now + cadence.HOUR / 4
            # X limits are per user token and endpoint: this account's kind waits for the reset.
            account_block(account=account, kind=kind, until=until)
            return until
        return None
    if account.network != Network.X and meter.meta_percent is not None:
        # Written when it matters for the slow-down (or to lower a value that did): one write per
        # run of every Meta account would be a hot row for nothing.
        if limits is not None:
            stored = limits.app.usage_percent if limits.app else None
        else:
            stored = app_usage_percent(account.network) if meter.meta_percent < USAGE_WORTH_WRITING else None
        if meter.meta_percent >= USAGE_WORTH_WRITING or (stored or 0) >= USAGE_WORTH_WRITING:
            app_block(network=account.network, usage_percent=meter.meta_percent)
        if meter.meta_percent >= META_BLOCK_PERCENT:
            regain = dt.timedelta(minutes=meter.meta_regain_minutes) if meter.meta_regain_minutes else META_PAUSE
            until = now + regain
            account_block(account=account, kind=ALL_KINDS, until=until)
            return until
    return None


def network_slowdown(account: SocialAccount) -> float:
    """Stretch polling when the app's announced usage nears its limit (Meta)."""
    if account.network == Network.X:
        return 1.0
    return cadence.usage_slowdown(app_usage_percent(account.network))


# --- X read budget ------------------------------------------------------------------------------


def month_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date().replace(day=1)


def x_budget(organization: Organization | int, moment: dt.datetime | None = None) -> tuple[int, int | None]:
    """(reads used this month, monthly cap or None) of an organisation."""
    organization_id = getattr(organization, "pk", organization)
    month = month_of(moment or timezone.now())
    usage = written_sql.first(XReadUsage, select_sql(XReadUsage, "organization", "month"), [organization_id, month])
    budget = written_sql.first(XReadBudget, select_sql(XReadBudget, "organization"), [organization_id])
    return (usage.reads if usage else 0), (budget.monthly_cap if budget else None)


def x_slowdown(account: SocialAccount, limits: Snapshot | None = None) -> float:
    """How much to stretch this X account's polling as its organisation's budget runs out."""
    if account.network != Network.X:
        return 1.0
    used, cap = (limits.x_used, limits.x_cap) if limits is not None else x_budget(account.organization_id)
    return cadence.budget_slowdown(used, cap)


def x_reads_add(*, organization_id: int, reads: int, calls: int, moment: dt.datetime | None = None) -> None:
    """Meter X reads (billed per resource returned) and calls against this month's row."""
    if not reads and not calls:
        return
    month = month_of(moment or timezone.now())
    updated = XReadUsage.objects.filter(organization=organization_id, month=month).update(
        reads=F("reads") + reads, calls=F("calls") + calls
    )
    if updated:
        return
    try:
        with transaction.atomic():
            XReadUsage.objects.create(organization_id=organization_id, month=month, reads=reads, calls=calls)
    except IntegrityError:  # another worker created this month's row first
        XReadUsage.objects.filter(organization=organization_id, month=month).update(
            reads=F("reads") + reads, calls=F("calls") + calls
        )
