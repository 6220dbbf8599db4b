"""The sync engine with a REAL Celery worker process, a Redis broker and PostgreSQL, against the
network simulator: connect, backfill, sync, find the facts; then kill the worker with SIGKILL
mid-sync and restart Redis — no fact lost or duplicated, and the sync resumes by itself.

The test process plays Celery beat (it calls the dispatcher); the worker is a subprocess on the
test database (pytest-django's, reached through DATABASE_URL). Skipped with a message when
PostgreSQL or Redis is missing.
"""

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled
from kombu import pools as kombu_pools

from networks.models import SocialAccount, SyncClaim, SyncKind, SyncRun, SyncSchedule
from networks.services.tokens import account_provider
from networks.simulator.world import BOULOGNE
from networks.sync import dispatch
from networks.sync.factstore import fact_store
from networks.tests.factories import make_account
from overgraph.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 6


def _redis_url() -> str:
    base = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return f"redis://{base.hostname or '127.0.0.1'}:{base.port or 6379}/15"  # a database of its own


def _redis_cli(*args: str) -> subprocess.CompletedProcess:
    address = urlparse(_redis_url())
    return subprocess.run(
        ["redis-cli", "-h", address.hostname, "-p", str(address.port), *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def _redis_up() -> bool:
    return shutil.which("redis-cli") is not None and _redis_cli("ping").stdout.strip() == "PONG"


def _redis_restart() -> None:
    """As .ci/run starts it: no persistence, so whatever was queued is lost."""
    address = urlparse(_redis_url())
    _redis_cli("shutdown", "nosave")
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            address.hostname,
            "--port",
            str(address.port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        timeout=10,
    )
    wait_for(_redis_up, "Redis to come back", timeout=10)


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0, tick: Callable | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tick is not None:
            tick()
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def services():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (the CI does)")
    if not _redis_up():
        pytest.skip(f"needs a Redis server at {_redis_url()} (redis-server and redis-cli)")


@pytest.fixture
def broker(services) -> Iterator[str]:
    """This process sends to the worker's Redis database, and forgets it afterwards."""
    url, previous = _redis_url(), app.conf.broker_url
    _redis_cli("-n", "15", "flushdb")
    _use_broker(url)
    yield url
    _use_broker(previous)


def _use_broker(url: str) -> None:
    # Celery caches its connection pool and the producer pool built on it: drop both. The
    # producer pool lives in kombu's process-wide registry, keyed by connection: closing it
    # without clearing the registry leaves the next test "acquiring on a closed pool".
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()
    app.conf.broker_url = url


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.process = env, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "overgraph",
                "worker",
                "-Q",
                "celery,sync",  # the default queue and the syncs' (CELERY_TASK_ROUTES)
                "--pool",
                "solo",
                "-l",
                "warning",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(broker, simulated_networks, settings) -> Iterator[Worker]:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_POOL": "false",
        "CELERY_BROKER_URL": broker,
        "SIMULATOR_URL": simulated_networks.url,
        "X_CLIENT_ID": settings.X_CLIENT_ID,
        "X_CLIENT_SECRET": settings.X_CLIENT_SECRET,
        "META_APP_ID": settings.META_APP_ID,
        "META_APP_SECRET": settings.META_APP_SECRET,
        "SYNC_LEASE_SECONDS": str(LEASE_SECONDS),
        "SYNC_RETRY_DELAY": "0.05",
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "TOKEN_ENCRYPTION_KEYS": ",".join(settings.TOKEN_ENCRYPTION_KEYS),
        "LOG_LEVEL": "WARNING",
    }
    settings.SYNC_LEASE_SECONDS = LEASE_SECONDS
    process = Worker(env)
    process.start()
    yield process
    process.stop()


def runs(account: SocialAccount, **filters) -> list[SyncRun]:
    with scopes_disabled():
        return list(SyncRun.objects.filter(account=account, **filters))


def backfilled(account: SocialAccount) -> bool:
    return any(r.status == SyncRun.Status.OK for r in runs(account, kind=SyncKind.BACKFILL))


def stored_ids(account: SocialAccount) -> list[str]:
    return fact_store().known_post_ids(account, dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def network_ids(account: SocialAccount, days: int) -> set[str]:
    """The posts the simulator has for the account in the last ``days`` days, read directly."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with scope(organization=account.organization):
        provider = account_provider(account=account)
    found, cursor = set(), None
    while True:
        page = provider.posts(since=since, cursor=cursor)
        found |= {p.external_id for p in page.items}
        cursor = page.next_cursor
        if not cursor:
            return found


def test_it_backfills_syncs_survives_sigkill_and_a_redis_restart(tenancy, worker, simulated_networks):
    sim = simulated_networks
    x = make_account(tenancy.a1, network="x", external_id=BOULOGNE.x_user_id, access_token=sim.x_token("boulogne"))
    page = make_account(
        tenancy.a1, network="facebook", external_id=BOULOGNE.fb_page_id, access_token=sim.page_token("boulogne")
    )
    # Connect → schedules due now; the dispatcher (beat's job, played here) queues them.
    wait_for(lambda: backfilled(x) and backfilled(page), "the backfills", timeout=90, tick=dispatch.sync_dispatch)
    for account in (x, page):
        ids = stored_ids(account)
        assert len(ids) == len(set(ids)) > 20  # no duplicate
        assert network_ids(account, days=360) <= set(ids)  # nothing lost
    wait_for(
        lambda: all(runs(a, kind=SyncKind.POST_METRICS, status=SyncRun.Status.OK) for a in (x, page)),
        "the first scheduled syncs",
        timeout=60,
        tick=dispatch.sync_dispatch,
    )

    # SIGKILL mid-sync: slow calls, a fresh Instagram account backfilling, the worker killed.
    sim.set_faults(latency_ms=150)
    instagram = make_account(
        tenancy.a1, network="instagram", external_id=BOULOGNE.ig_user_id, access_token=sim.page_token("boulogne")
    )
    dispatch.sync_dispatch()
    wait_for(lambda: runs(instagram, status=SyncRun.Status.RUNNING), "the Instagram backfill to start", timeout=30)
    time.sleep(1.0)
    worker.kill()
    with scopes_disabled():
        assert SyncClaim.objects.get(account=instagram).lease_until is not None  # held by the dead worker
    sim.set_faults(latency_ms=0)
    worker.start()
    wait_for(lambda: backfilled(instagram), "the backfill to resume", timeout=90, tick=dispatch.sync_dispatch)
    ids = stored_ids(instagram)
    assert len(ids) == len(set(ids)) and network_ids(instagram, days=360) <= set(ids)
    assert runs(instagram, status=SyncRun.Status.FAILED, error__startswith="interrupted")  # the killed run, closed
    # Nothing stays "running" for good (the worker may be in the middle of a later kind now).
    wait_for(
        lambda: not runs(instagram, status=SyncRun.Status.RUNNING),
        "no run left running",
        timeout=60,
        tick=dispatch.sync_dispatch,
    )

    # Redis restarted with a message queued: lost, and queued again from the database.
    worker.stop()
    with scopes_disabled():
        SyncSchedule.objects.filter(account=x, kind=SyncKind.DAILY).update(due_at=dt.datetime.now(dt.UTC))
    before = len(runs(x, kind=SyncKind.DAILY))
    assert (x.organization_id, x.pk) in dispatch.sync_dispatch()
    _redis_restart()
    worker.start()
    wait_for(
        lambda: len(runs(x, kind=SyncKind.DAILY)) > before,
        "the lost sync to run",
        timeout=60,
        tick=dispatch.sync_dispatch,
    )
    ids = stored_ids(x)
    assert len(ids) == len(set(ids)) and network_ids(x, days=360) <= set(ids)


def _postgres_cluster() -> list[str] | None:
    """The local cluster's restart command (Debian's pg_ctlcluster, as .ci/run starts it), or None."""
    versions = sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").is_dir() else []
    if not versions or shutil.which("pg_ctlcluster") is None or os.geteuid() != 0:
        return None
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].parent.name, "main", "restart"]


def _database_answers() -> bool:
    try:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure means "not yet"
        return False


def test_it_survives_a_postgresql_restart_mid_sync(tenancy, worker, simulated_networks):
    """PostgreSQL restarted while the worker is backfilling: every connection drops, the run dies
    with its database; the lease expires, the dispatcher queues the account again, and the
    backfill completes with nothing lost or duplicated."""
    restart = _postgres_cluster()
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    if restart is None or host not in ("127.0.0.1", "localhost"):
        pytest.skip("needs a local PostgreSQL cluster this process may restart (root, pg_ctlcluster)")
    sim = simulated_networks
    sim.set_faults(latency_ms=150)
    instagram = make_account(
        tenancy.a1, network="instagram", external_id=BOULOGNE.ig_user_id, access_token=sim.page_token("boulogne")
    )
    dispatch.sync_dispatch()
    wait_for(lambda: runs(instagram, status=SyncRun.Status.RUNNING), "the Instagram backfill to start", timeout=60)
    time.sleep(1.0)
    subprocess.run(restart, check=True, timeout=60, capture_output=True)
    wait_for(_database_answers, "PostgreSQL to come back", timeout=60)
    sim.set_faults(latency_ms=0)

    def tick() -> None:
        try:
            dispatch.sync_dispatch()
        except Exception:  # noqa: BLE001 — the test's own connection may still be the dropped one
            connection.close()

    wait_for(lambda: backfilled(instagram), "the backfill to resume after the restart", timeout=120, tick=tick)
    ids = stored_ids(instagram)
    assert len(ids) == len(set(ids)) and network_ids(instagram, days=360) <= set(ids)
    wait_for(lambda: not runs(instagram, status=SyncRun.Status.RUNNING), "the cut-off run to be closed", timeout=30)


def test_it_converges_through_network_faults_and_tells_people_of_a_revoked_token(tenancy, worker, simulated_networks):
    """The worker syncs through a storm of 429s, then 5xx, timeouts and malformed JSON mixed in;
    once the network heals, what is stored is exactly what the network has. A revoked token
    stops the account and tells its people instead of retrying forever."""
    from accounts.models import Notification

    sim = simulated_networks
    x = make_account(tenancy.a1, network="x", external_id=BOULOGNE.x_user_id, access_token=sim.x_token("boulogne"))
    page = make_account(
        tenancy.a1, network="facebook", external_id=BOULOGNE.fb_page_id, access_token=sim.page_token("boulogne")
    )
    sim.set_faults(rate_limit_storm=True)
    dispatch.sync_dispatch()
    wait_for(
        lambda: all(runs(a, status=SyncRun.Status.RATE_LIMITED) for a in (x, page)), "the storm to be seen", timeout=60
    )
    sim.set_faults(rate_limit_storm=False, error_5xx_rate=0.3, malformed_json_rate=0.2, timeout_rate=0.1)
    sim.set_faults(timeout_seconds=1.0)
    with scopes_disabled():
        # "Wait until the announced reset": the test fast-forwards it, as time would.
        SyncSchedule.objects.filter(account__in=[x, page]).update(due_at=dt.datetime.now(dt.UTC))
        from networks.models import AppRateLimit

        AppRateLimit.objects.all().delete()
        SyncClaim.objects.filter(account__in=[x, page]).update(blocked={})
    wait_for(
        lambda: any(r.status in (SyncRun.Status.FAILED, SyncRun.Status.PARTIAL) for a in (x, page) for r in runs(a)),
        "a failed run during the faults",
        timeout=90,
        tick=dispatch.sync_dispatch,
    )
    sim.set_faults(error_5xx_rate=0.0, malformed_json_rate=0.0, timeout_rate=0.0)

    def dispatch_now(*accounts) -> None:
        with scopes_disabled():
            SyncSchedule.objects.filter(account__in=accounts, due_at__gt=dt.datetime.now(dt.UTC)).update(
                due_at=dt.datetime.now(dt.UTC)  # backoff waits are the engine's, tested elsewhere
            )
            SyncClaim.objects.filter(account__in=accounts).update(blocked={})
        dispatch.sync_dispatch()

    def healed() -> bool:
        dispatch_now(x, page)
        return all(backfilled(a) for a in (x, page))

    wait_for(healed, "the backfills after the faults", timeout=120)
    for account in (x, page):
        ids = stored_ids(account)
        assert len(ids) == len(set(ids)) and network_ids(account, days=360) <= set(ids)

    # A revoked token: the account needs reconnecting, its people are told, no retry storm.
    sim.set_faults(revoked_tokens="all")

    def needs_reauth() -> bool:
        with scopes_disabled():
            return SocialAccount.objects.get(pk=page.pk).status == SocialAccount.Status.NEEDS_REAUTH

    # Dispatched until a run meets the revoked token: a run of the healing still in flight when the
    # faults changed may hold the claim and set the next due time after ours (CI, once).
    wait_for(needs_reauth, "the account to need reconnecting", timeout=60, tick=lambda: dispatch_now(page))
    with scopes_disabled():
        assert Notification.objects.filter(organization=tenancy.org_a, user=tenancy.alice).exists()
    sim.set_faults(revoked_tokens=[])
