"""The sync engine against the network simulator (real providers, real HTTP), facts kept by an
in-memory FactStore: backfill, incremental and idempotent syncs, leases, rate limits, transient
failures, revoked tokens and the X read budget."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from networks import http
from networks.models import (
    AccountToken,
    SocialAccount,
    SyncClaim,
    SyncKind,
    SyncRun,
    SyncSchedule,
    XReadBudget,
    XReadUsage,
)
from networks.providers.errors import Transient
from networks.providers.instagram.provider import InstagramProvider
from networks.providers.x import oauth as x_oauth
from networks.services.tokens import account_access_token
from networks.simulator.server import mint_tokens
from networks.simulator.world import BOULOGNE
from networks.sync import dispatch, limits
from networks.sync import engine as engine_module
from networks.sync.clock import set_network_now
from networks.sync.engine import Lease, account_sync
from networks.sync.schedules import account_claim, schedules_ensure
from networks.tests.factories import make_account
from networks.tests.memory_store import MemoryFactStore, memory_store
from networks.vault import token_read

ALL = [SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS]


@pytest.fixture
def store() -> Iterator[MemoryFactStore]:
    with memory_store() as fake:
        yield fake


@pytest.fixture
def engine(settings, simulated_networks, store):
    """The simulator, the engine's clock on the simulator's, fast in-run retries."""
    settings.SYNC_RETRY_DELAY = 0.001
    set_network_now(simulated_networks.now, frozen=True)
    yield simulated_networks
    set_network_now(None)


def advance(sim, **delta) -> None:
    sim.set_now(sim.now + dt.timedelta(**delta))
    set_network_now(sim.now, frozen=True)


def sim_account(tenancy, sim, network: str = "x") -> SocialAccount:
    ids = {"x": BOULOGNE.x_user_id, "facebook": BOULOGNE.fb_page_id, "instagram": BOULOGNE.ig_user_id}
    token = sim.x_token("boulogne") if network == "x" else sim.page_token("boulogne")
    return make_account(tenancy.a1, network=network, external_id=ids[network], access_token=token)


def sync(account: SocialAccount, kinds=None, **extra) -> list[SyncRun]:
    return account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=kinds, **extra)


def schedule(account: SocialAccount, kind: str) -> SyncSchedule:
    with scope(organization=account.organization):
        return SyncSchedule.objects.get(organization=account.organization, account=account, kind=kind)


@pytest.mark.parametrize("network", ["x", "facebook", "instagram"])
def test_it_backfills_then_syncs_and_finds_the_facts(tenancy, engine, store, network):
    account = sim_account(tenancy, engine, network)
    [run] = sync(account, [SyncKind.BACKFILL], trigger=SyncRun.Trigger.CONNECT)
    assert run.status == SyncRun.Status.OK, run.error
    assert (run.progress_done, run.progress_total) == (100, 100)
    assert run.calls > 0 and run.finished_at is not None
    posts = store.account_posts(account)
    days = store.account_days(account)
    assert len(posts) > 20
    assert days, "the backfill stores daily metrics"
    if network == "facebook":
        assert len(days) > 300  # a year of Page insights, in 90-day windows
    assert schedule(account, SyncKind.BACKFILL).due_at is None  # once
    # The next day: new posts, fresh metrics of the young ones, the day's row.
    before = set(posts)
    advance(engine, days=1)
    runs = sync(account, ALL)
    assert [r.status for r in runs] == [SyncRun.Status.OK] * 3, [r.error for r in runs]
    assert set(store.account_posts(account)) > before
    assert runs[2].counts.get("metrics", 0) > 0
    assert engine.now.date() in store.account_days(account) or network != "x"


def test_it_is_idempotent(tenancy, engine, store):
    account = sim_account(tenancy, engine, "facebook")
    sync(account, [SyncKind.POSTS])
    posts = {k: (s.post, s.metrics) for k, s in store.account_posts(account).items()}
    snapshots = dict(store.snapshots)
    # The same sync delivered again at the same instant changes nothing.
    schedule(account, SyncKind.POSTS).state.clear()
    [run] = sync(account, [SyncKind.POSTS])
    assert run.status == SyncRun.Status.OK
    assert {k: (s.post, s.metrics) for k, s in store.account_posts(account).items()} == posts
    assert store.snapshots == snapshots
    assert run.counts.get("posts_inserted", 0) == 0


def test_it_reads_only_posts_newer_than_the_newest_stored(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    sync(account, [SyncKind.BACKFILL])
    known = set(store.account_posts(account))
    advance(engine, hours=6)
    with http.recording() as calls:
        [run] = sync(account, [SyncKind.POSTS])
    timeline = [c for c in calls if c.path.endswith("/tweets")]
    assert len(timeline) == 1  # one page since the newest stored post, not the whole history
    new = set(store.account_posts(account)) - known
    assert run.counts.get("posts_inserted", 0) == len(new)


def test_it_lets_only_one_sync_hold_an_account(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    with scope(organization=account.organization):
        assert account_claim(account=account, owner="worker-a")
        assert not account_claim(account=account, owner="worker-b")
    assert sync(account, [SyncKind.POSTS]) == []  # a duplicate delivery does nothing
    with scope(organization=account.organization):
        assert SyncRun.objects.filter(organization=account.organization).count() == 0
        SyncClaim.objects.filter(organization=account.organization, account=account).update(
            lease_until=timezone.now() - dt.timedelta(seconds=1)
        )
    assert [r.status for r in sync(account, [SyncKind.POSTS])] == [SyncRun.Status.OK]  # expired: taken over


def test_it_requeues_an_account_whose_lease_expired(tenancy, engine, store, monkeypatch):
    sent = []
    monkeypatch.setattr("networks.tasks.sync_account.delay", lambda *args: sent.append(args))
    account = sim_account(tenancy, engine, "x")
    with scope(organization=account.organization):
        schedules_ensure(account=account)
        SyncClaim.objects.filter(organization=account.organization, account=account).update(
            owner="killed-worker", lease_until=timezone.now() + dt.timedelta(minutes=3)
        )
    assert dispatch.sync_dispatch() == []  # held by a live lease
    with scopes_disabled():
        SyncClaim.objects.filter(account=account).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert dispatch.sync_dispatch() == [(account.organization_id, account.pk)]
    assert dispatch.sync_dispatch() == []  # queued once, not every minute while waiting
    assert sent == [(account.organization_id, account.pk)]
    # Every scheduled kind runs: the inbox's conversations last (inbox/tests cover what they store).
    assert [r.kind for r in sync(account)] == [SyncKind.BACKFILL, *ALL, SyncKind.CONVERSATIONS]


def test_it_waits_for_the_announced_reset_in_a_429_storm_then_resumes(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    engine.set_faults(rate_limit_storm=True)
    [run] = sync(account, [SyncKind.POSTS])
    assert run.status == SyncRun.Status.RATE_LIMITED
    with scope(organization=account.organization):
        blocked = limits.account_blocked_until(account, SyncKind.POSTS)
    assert blocked is not None and timezone.now() + dt.timedelta(seconds=30) < blocked  # X's reset (+60 s)
    due = schedule(account, SyncKind.POSTS).due_at
    assert abs((due - engine.now) - (blocked - timezone.now())) < dt.timedelta(seconds=5)
    # Before the reset: no call at all.
    [again] = sync(account, [SyncKind.POSTS])
    assert (again.status, again.calls) == (SyncRun.Status.RATE_LIMITED, 0)
    # After it: the sync resumes by itself.
    engine.set_faults(rate_limit_storm=False)
    with scopes_disabled():
        SyncClaim.objects.filter(account=account).update(blocked={})
    [ok] = sync(account, [SyncKind.POSTS])
    assert ok.status == SyncRun.Status.OK and store.account_posts(account)


def test_it_blocks_the_whole_meta_app_on_an_app_throttle(tenancy, engine, store):
    page = sim_account(tenancy, engine, "facebook")
    instagram = sim_account(tenancy, engine, "instagram")
    engine.set_faults(rate_limit_storm=True)
    assert sync(page, [SyncKind.POSTS])[0].status == SyncRun.Status.RATE_LIMITED
    engine.set_faults(rate_limit_storm=False)
    # Code 4 throttles the app: Instagram (same Meta app) waits too, without calling.
    [run] = sync(instagram, [SyncKind.POSTS])
    assert (run.status, run.calls) == (SyncRun.Status.RATE_LIMITED, 0)


@pytest.mark.parametrize(
    "faults",
    [{"error_5xx_rate": 1.0}, {"malformed_json_rate": 1.0}, {"timeout_rate": 1.0, "timeout_seconds": 1.0}],
    ids=["5xx", "malformed-json", "timeout"],
)
def test_it_retries_transient_failures_with_backoff_then_resumes(tenancy, engine, store, settings, faults):
    settings.NETWORK_READ_TIMEOUT = 0.3
    account = sim_account(tenancy, engine, "facebook")
    engine.set_faults(**faults)
    delays = []
    for attempt in (1, 2, 3):
        [run] = sync(account, [SyncKind.POSTS])
        assert run.status == SyncRun.Status.FAILED and run.calls == 3  # three tries in the run
        state = schedule(account, SyncKind.POSTS)
        assert state.attempts == attempt
        delays.append(state.due_at - engine.now)
    assert all(dt.timedelta(seconds=1) <= d <= dt.timedelta(minutes=2) for d in delays)
    engine.set_faults(error_5xx_rate=0.0, malformed_json_rate=0.0, timeout_rate=0.0)
    [run] = sync(account, [SyncKind.POSTS])
    assert run.status == SyncRun.Status.OK and store.account_posts(account)
    assert schedule(account, SyncKind.POSTS).attempts == 0


def test_it_resumes_an_interrupted_walk_from_its_cursor(tenancy, engine, store, monkeypatch):
    account = sim_account(tenancy, engine, "instagram")
    real, pages = InstagramProvider.posts, []

    def flaky(self, since=None, cursor=None):
        pages.append(cursor)
        if len(pages) == 3:
            raise Transient("connection reset")
        return real(self, since=since, cursor=cursor)

    monkeypatch.setattr(InstagramProvider, "posts", flaky)
    monkeypatch.setattr("networks.sync.engine.IN_RUN_ATTEMPTS", 1)
    [run] = sync(account, [SyncKind.BACKFILL])
    assert run.status == SyncRun.Status.PARTIAL
    cursor = schedule(account, SyncKind.BACKFILL).state["posts"]["cursor"]
    assert cursor == pages[2]
    [run] = sync(account, [SyncKind.BACKFILL])
    assert run.status == SyncRun.Status.OK
    assert pages[3] == cursor  # resumed there, not from the first page


def test_it_marks_a_revoked_account_for_reconnecting_and_tells_people(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    engine.set_faults(revoked_tokens=["boulogne"])
    [run] = sync(account, ALL)  # stops at the first kind
    assert run.status == SyncRun.Status.NEEDS_REAUTH
    with scope(organization=account.organization):
        account.refresh_from_db()
        assert account.status == SocialAccount.Status.NEEDS_REAUTH
        assert Notification.objects.filter(organization=account.organization, kind="account_needs_reauth").exists()
    assert sync(account, ALL) == []  # nothing more until someone reconnects it


def test_it_refreshes_x_tokens_before_expiry_once_under_a_lock(tenancy, engine, store, monkeypatch):
    minted = mint_tokens(engine.sim, {"persona": "boulogne"})
    account = make_account(
        tenancy.a1,
        external_id=BOULOGNE.x_user_id,
        access_token=minted["x_access_token"],
        refresh_token=minted["x_refresh_token"],
        expires_at=timezone.now() + dt.timedelta(minutes=8),  # within the refresh margin
    )
    refreshes = []
    real = x_oauth.refresh
    monkeypatch.setattr(x_oauth, "refresh", lambda **kw: refreshes.append(1) or real(**kw))
    with scope(organization=account.organization):
        stale = SocialAccount.objects.get(organization=account.organization, pk=account.pk)
        first = account_access_token(account=account)
        # A second worker that read the old state before the first refreshed: under the lock it
        # finds the fresh token and does not spend the (rotated, now dead) refresh token again.
        second = account_access_token(account=stale)
        assert first == second != minted["x_access_token"]
        assert token_read(account=account, kind=AccountToken.Kind.REFRESH).value != minted["x_refresh_token"]
    assert len(refreshes) == 1
    assert [r.status for r in sync(account, [SyncKind.POSTS])] == [SyncRun.Status.OK]


def test_it_slows_x_polling_as_the_read_budget_runs_out(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    with scope(organization=tenancy.org_a):
        XReadBudget.objects.create(organization=tenancy.org_a, monthly_cap=100_000)
    [run] = sync(account, [SyncKind.POSTS])
    normal = schedule(account, SyncKind.POSTS).due_at - engine.now
    with scope(organization=tenancy.org_a):
        usage = XReadUsage.objects.get(organization=tenancy.org_a)
        assert usage.reads == run.counts["x_reads"] > 0 and usage.calls == run.calls
        XReadUsage.objects.filter(organization=tenancy.org_a).update(reads=80_000)
    sync(account, [SyncKind.POSTS])
    assert schedule(account, SyncKind.POSTS).due_at - engine.now >= 4 * normal - dt.timedelta(seconds=5)
    with scope(organization=tenancy.org_a):
        XReadUsage.objects.filter(organization=tenancy.org_a).update(reads=100_000)
    [skipped] = sync(account, [SyncKind.POSTS])
    assert (skipped.status, skipped.calls) == (SyncRun.Status.SKIPPED, 0)
    assert schedule(account, SyncKind.POSTS).due_at.day == 1  # next month


def test_it_slows_down_before_a_429_from_the_announced_usage(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    meter = limits.CallMeter()
    reset = int(timezone.now().timestamp()) + 600
    usage = http.Usage(x_limit=900, x_remaining=10, x_reset=reset)
    meter(http.CallRecord("x", "GET", "/2/users/1/tweets", 200, 1.0, usage))
    with scope(organization=account.organization):
        schedules_ensure(account=account)
        until = limits.record_usage(account=account, kind=SyncKind.POSTS, meter=meter)
        assert until == dt.datetime.fromtimestamp(reset, tz=dt.UTC)
        assert limits.account_blocked_until(account, SyncKind.POSTS) == until
        assert limits.account_blocked_until(account, SyncKind.DAILY) is None  # per endpoint family
    page = sim_account(tenancy, engine, "facebook")
    meta = limits.CallMeter()
    meta(http.CallRecord("meta", "GET", "/v25.0/1/insights", 200, 1.0, http.Usage(app_usage={"call_count": 80})))
    with scope(organization=page.organization):
        schedules_ensure(account=page)
        assert limits.record_usage(account=page, kind=SyncKind.POSTS, meter=meta) is None
        assert limits.network_slowdown(page) == 2.0  # 80 % announced: poll half as often


def test_it_closes_a_run_cut_short_by_a_killed_worker(tenancy, engine, store):
    account = sim_account(tenancy, engine, "x")
    with scope(organization=account.organization):
        cut = SyncRun.objects.create(organization=account.organization, account=account, kind=SyncKind.POSTS)
    sync(account, [SyncKind.POSTS])
    with scope(organization=account.organization):
        cut.refresh_from_db()
    assert cut.status == SyncRun.Status.FAILED and cut.error.startswith("interrupted")


def test_it_stops_writing_when_its_lease_was_taken_over(tenancy, engine, store, monkeypatch):
    account = sim_account(tenancy, engine, "x")
    with scope(organization=account.organization):
        schedules_ensure(account=account)
    before = schedule(account, SyncKind.POSTS)
    renewals = iter([True])  # the lease is renewed before the run, then lost at its first checkpoint
    monkeypatch.setattr("networks.sync.engine.LEASE_RENEW_AFTER", 0)  # renewed every time it is kept
    monkeypatch.setattr("networks.sync.engine.account_lease_renew", lambda **kw: next(renewals, False))
    [run] = sync(account, [SyncKind.POSTS])
    assert run.status == SyncRun.Status.PARTIAL and "lease lost" in run.error
    after = schedule(account, SyncKind.POSTS)
    assert (after.due_at, after.state, after.last_status) == (before.due_at, before.state, before.last_status)


def test_it_renews_a_lease_only_once_a_third_of_it_has_gone_by(tenancy, engine, store, monkeypatch):
    """A lease renewed a moment ago cannot have been taken (it has not expired): no write before
    each kind and page; past a third of its length, every keep renews it, and a lost one stops."""
    account = sim_account(tenancy, engine, "x")
    renewals = []
    monkeypatch.setattr(
        "networks.sync.engine.account_lease_renew", lambda **kw: renewals.append(kw["owner"]) or len(renewals) < 2
    )
    runs = sync(account, [SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS])
    assert [r.status for r in runs] == [SyncRun.Status.OK] * 3 and renewals == []

    clock = [0.0]
    monkeypatch.setattr("networks.sync.engine.time.monotonic", lambda: clock[0])
    lease = Lease(account=account, owner="me", renewed=0.0)
    clock[0] = settings.SYNC_LEASE_SECONDS / 3 - 1
    assert lease.keep() and renewals == []
    clock[0] = settings.SYNC_LEASE_SECONDS / 3 + 1
    assert lease.keep() and renewals == ["me"]
    assert lease.keep()  # renewed just now
    clock[0] += settings.SYNC_LEASE_SECONDS / 3 + 1
    assert not lease.keep()  # the second renewal finds the lease taken


def test_it_closes_a_run_that_fails_unexpectedly_and_backs_off(tenancy, engine, store, monkeypatch):
    """Not a network error but a bug (or a store that failed): the run is FAILED with the error,
    not left running; the kind backs off; the lease is released; the error still propagates."""
    account = sim_account(tenancy, engine, "x")

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(engine_module.STEPS, SyncKind.POSTS, broken)
    with pytest.raises(RuntimeError, match="boom"):
        sync(account, [SyncKind.POSTS])

    with scope(organization=account.organization):
        run = SyncRun.objects.get(account=account, kind=SyncKind.POSTS)
        claim = SyncClaim.objects.get(account=account)
    assert (run.status, run.error) == (SyncRun.Status.FAILED, "RuntimeError: boom")
    assert run.finished_at is not None
    after = schedule(account, SyncKind.POSTS)
    assert after.attempts == 1 and after.due_at > engine.now
    assert claim.owner == "" and claim.lease_until is None
