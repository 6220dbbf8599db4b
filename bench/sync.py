"""Sync benchmark: the product's sync engine on many simulated accounts at 150 ms a call.

    PYTHONPATH=. .venv/bin/python bench/sync.py [--quick] [--accounts N] [--concurrency 32]

1,000 accounts (100 with --quick) of the simulator's benchmark personas, a third each on X,
Facebook and Instagram, each synced once through ``networks.sync.engine.account_sync`` (daily
metrics, new posts, post metrics: a scheduled cycle on a freshly connected account), facts stored
by the registered FactStore (analytics') in a throwaway PostgreSQL database (``overgraph_bench_sync``
on the server of ``DATABASE_URL``, default postgres://postgres@127.0.0.1:5432; created, migrated
and dropped here), or a throwaway SQLite file when no PostgreSQL answers (its single writer then
dominates: the numbers are not comparable).

Concurrency, the layout of production's ``sync-worker`` (docker-compose.yml): ``--processes`` (2)
worker processes, each a thread pool of ``--concurrency`` / ``--processes`` threads (16), every
thread syncing one account at a time from one shared list (as the processes of a Celery queue
take its messages); an account's calls are sequential, so at most ``--concurrency`` (32) calls are
in flight. Several processes let the worker's Python run on several cores (one process: one GIL).
The simulator runs as ``--simulator-processes`` (4) processes sharing one port, with
``latency_ms=150`` (one Python process would be the bottleneck, not our sync path). The floor is
the time the calls would take with perfect overlap: calls * 0.150 / concurrency. One JSON line:
``{"benchmark":"sync","accounts":…,"calls":…,"concurrency":…,"processes":…,"wall_s":…,
"latency_floor_s":…,"ratio":…,"accounts_per_hour":…}`` (goal: ratio ≤ 1.3; results in
docs/performance.md).
"""

import argparse
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LATENCY_S = 0.150
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/overgraph"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH_DB = "overgraph_bench_sync"
# The simulator stands in for X's and Meta's data centres: it must not be what we measure. One
# Python process answers a few hundred calls a second at most, so several share its port.
SIMULATOR_PROCESSES = 4
# As production's sync-worker: two processes of 16 threads on a 2-core machine (docker-compose.yml).
WORKER_PROCESSES = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 accounts")
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--concurrency", type=int, default=32, help="threads in all worker processes")
    parser.add_argument("--processes", type=int, default=WORKER_PROCESSES, help="worker processes")
    parser.add_argument("--simulator-processes", type=int, default=SIMULATOR_PROCESSES)
    options = parser.parse_args()
    count = options.accounts or (100 if options.quick else 1000)
    if options.concurrency % options.processes:
        parser.error("--concurrency must be a multiple of --processes")
    threads = options.concurrency // options.processes

    workdir = Path(tempfile.mkdtemp(prefix="overgraph-bench-sync-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # A throwaway database and the simulator, whatever the environment points at.
    database = _database(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if database:
        # Read by each worker process: one connection per thread, as the sync-worker's.
        os.environ.update(DATABASE_URL=database, DATABASE_POOL_MAX=str(threads + 4))
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    # The facts cache's version bump at each sync goes where production's goes: Redis
    # (docker-compose.yml); without one, the embedded setup's database table (created below).
    if "REDIS_URL" not in os.environ and _redis_answers(DEFAULT_REDIS_URL):
        os.environ["REDIS_URL"] = DEFAULT_REDIS_URL
    os.environ.update(
        SIMULATOR_URL=url,
        X_CLIENT_ID="bench",
        X_CLIENT_SECRET="bench-secret",  # noqa: S106 — the simulator's dummy
        META_APP_ID="100000000000999",
        META_APP_SECRET="bench-secret",  # noqa: S106 — the simulator's dummy
        DJANGO_SETTINGS_MODULE="overgraph.settings",
        LOG_LEVEL="WARNING",
        # As in production: DEBUG keeps every SQL statement in memory and formats it.
        DJANGO_DEBUG="0",
    )
    simulator = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "networks.simulator",
            "--port",
            str(port),
            "--processes",
            str(options.simulator_processes),
            # Set at start: the /_sim/ control endpoints reach only one of several processes.
            "--latency-ms",
            str(int(LATENCY_S * 1000)),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        _run(url, count, options.processes, threads, options.simulator_processes, simulator.pid)
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
        if database:
            from django.db import connections

            connections.close_all()
            _recreate(database, drop_only=True)


def _database(url: str) -> str | None:
    """A fresh benchmark database on the server of ``url``, or None without PostgreSQL."""
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        bench = psycopg.conninfo.make_conninfo(url, dbname=BENCH_DB)
        _recreate(bench)
    except Exception:  # noqa: BLE001 — any failure to reach PostgreSQL means: use SQLite
        return None
    parts = url.rsplit("/", 1)
    return f"{parts[0]}/{BENCH_DB}" if "/" in url.split("://", 1)[1] else f"{url}/{BENCH_DB}"


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _recreate(bench_conninfo: str, *, drop_only: bool = False) -> None:
    import psycopg

    admin = psycopg.conninfo.make_conninfo(bench_conninfo, dbname="postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _run(url: str, count: int, processes: int, threads: int, simulator_processes: int, simulator_pid: int) -> None:  # noqa: PLR0915, PLR0917 — one scenario, read top down
    import django
    import requests

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from accounts.models import Organization, Workspace
    from networks.models import AccountToken, SocialAccount, SyncRun
    from networks.simulator.world import bench_persona
    from networks.sync.schedules import schedules_ensure
    from networks.vault import token_store

    for _ in range(100):
        try:
            if requests.get(f"{url}/_sim/health", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.1)
    call_command("migrate", verbosity=0)
    if "REDIS_URL" not in os.environ:
        call_command("createcachetable", verbosity=0)
    networks = ["x", "facebook", "instagram"]
    with scopes_disabled():
        organization = Organization.objects.create(name="Bench", slug="bench")
        workspace = Workspace.objects.create(organization=organization, name="Bench")
        accounts = []
        for number in range(1, count + 1):
            persona, network = bench_persona(number), networks[number % 3]
            tokens = requests.post(f"{url}/_sim/tokens", json={"persona": persona.key}, timeout=10).json()
            external_id = {"x": persona.x_user_id, "facebook": persona.fb_page_id, "instagram": persona.ig_user_id}
            account = SocialAccount.objects.create(
                organization=organization, workspace=workspace, network=network, external_id=external_id[network]
            )
            token = tokens["x_access_token"] if network == "x" else tokens["page_token"]
            token_store(account=account, kind=AccountToken.Kind.ACCESS, value=token)
            # As connecting does (account_sync_on_connect): the steady state is an account whose
            # schedules and claim row exist; the measured cycle is a scheduled one, not the first.
            schedules_ensure(account=account, backfill=False)
            accounts.append(account.pk)

    # Spawned, not forked: this process holds a database pool with threads of its own.
    context = multiprocessing.get_context("spawn")
    next_account = context.Value("i", 0)
    ready, done = context.Barrier(processes + 1), context.Event()
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(organization.pk, accounts, threads, next_account, ready, results, done))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait(timeout=120)  # each worker has set Django up and opened its database pool
        simulator_pids = [simulator_pid, *_children(simulator_pid)]
        others_before = {"simulator": _cpu_of(simulator_pids), "postgres": _cpu_of(_backends(connection))}
        started = time.monotonic()
        ready.wait(timeout=120)  # go
        reports = [results.get(timeout=3600) for _ in workers]
        if failures := [r["error"] for r in reports if "error" in r]:
            raise RuntimeError("a worker process failed:\n" + "\n".join(failures))
        wall = time.monotonic() - started
        # Before the workers exit: their PostgreSQL sessions end with them. The sessions opened
        # during the run count whole (their "before" is 0).
        others = {"simulator": _cpu_of(simulator_pids), "postgres": _cpu_of(_backends(connection))}
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=60)
    others_cpu = {
        name: round(sum(v - others_before[name].get(pid, 0.0) for pid, v in others[name].items()), 2) for name in others
    }
    calls = sum(r["calls"] for r in reports)
    call_ms = sum(r["call_ms"] for r in reports)
    statuses = [s for r in reports for s in r["statuses"]]
    concurrency = processes * threads
    failed = sum(1 for s in statuses if s != SyncRun.Status.OK)
    floor = calls * LATENCY_S / concurrency
    print(
        json.dumps(
            {
                "benchmark": "sync",
                "accounts": count,
                "calls": calls,
                "concurrency": concurrency,
                "processes": processes,
                "threads_per_process": threads,
                "wall_s": round(wall, 2),
                "latency_floor_s": round(floor, 2),
                "ratio": round(wall / floor, 3) if floor else None,
                "accounts_per_hour": round(count / wall * 3600),
                "runs_not_ok": failed,
                "simulator_processes": simulator_processes,
                # Mean call time seen by the client: above 150 ms is the simulator's own work and
                # a worker process's wait for its GIL to read the answer.
                "mean_call_ms": round(call_ms / calls, 1) if calls else None,
                # SQL statements through Django per account (the COPYs of the fact store excepted).
                "sql_per_account": round(sum(r["statements"] for r in reports) / count, 1),
                # CPU of the worker processes (all threads) during the syncs, and of the busiest
                # one: near wall_s, its one GIL is the ceiling; far below, it waits (network, database).
                "worker_cpu_s": round(sum(r["cpu"] for r in reports), 2),
                "worker_cpu_max_s": round(max(r["cpu"] for r in reports), 2),
                # The same for the simulator's processes and this database's PostgreSQL sessions
                # (read from /proc: 0 when PostgreSQL runs elsewhere). With the workers', the CPU
                # the run needed from this machine's cores: wall_s times cores is its ceiling.
                "simulator_cpu_s": others_cpu["simulator"],
                "postgres_cpu_s": others_cpu["postgres"],
                "cores": os.cpu_count(),
                "load_1min": round(os.getloadavg()[0], 2),
            }
        ),
        flush=True,
    )


def _worker(organization_id: int, accounts: list[int], threads: int, next_account, ready, results, done) -> None:  # noqa: PLR0917 — what a spawned process is given
    """One worker process: ``threads`` threads syncing the accounts not yet taken by any process."""
    import django

    django.setup()
    from django.db import close_old_connections, connection

    from networks import http
    from networks.models import SyncKind
    from networks.sync.engine import account_sync

    calls = 0
    call_ms = 0.0
    statements = 0
    lock = threading.Lock()

    def count_call(record) -> None:
        nonlocal calls, call_ms
        with lock:
            calls += 1
            call_ms += record.duration_ms

    def count_statement(execute, sql, params, many, context):
        nonlocal statements
        with lock:
            statements += 1
        return execute(sql, params, many, context)

    def take() -> int | None:
        with next_account.get_lock():
            index = next_account.value
            next_account.value += 1
        return accounts[index] if index < len(accounts) else None

    def sync_all(_thread: int) -> list:
        statuses = []
        try:
            with connection.execute_wrapper(count_statement):  # this thread's connection
                while (account_id := take()) is not None:
                    runs = account_sync(
                        organization_id=organization_id,
                        account_id=account_id,
                        kinds=[SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS],
                    )
                    statuses += [r.status for r in runs]
                    close_old_connections()  # as Celery does after each task
        finally:
            close_old_connections()
        return statuses

    connection.ensure_connection()  # opens the pool
    close_old_connections()
    http.add_recorder(count_call)
    ready.wait(timeout=120)
    ready.wait(timeout=120)
    cpu_before = _cpu_seconds()
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            statuses = [s for chunk in pool.map(sync_all, range(threads)) for s in chunk]
    except Exception:  # noqa: BLE001 — reported to the parent, which fails the run
        results.put({"error": traceback.format_exc()})
        return
    cpu = _cpu_seconds() - cpu_before
    results.put({"calls": calls, "call_ms": call_ms, "statements": statements, "statuses": statuses, "cpu": cpu})
    done.wait(timeout=120)


def _children(pid: int) -> list[int]:
    """The simulator's worker processes (``--processes``: spawned children of its parent)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _backends(connection) -> list[int]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [pid for (pid,) in cursor.fetchall()]


def _cpu_of(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still running (Linux /proc; none elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
