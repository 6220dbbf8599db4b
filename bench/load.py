"""Load: logged-in users against gunicorn + PostgreSQL + Redis on loopback, the big tenant of the
dashboard benchmark (issue 11).

    PYTHONPATH=. .venv/bin/python bench/load.py [--quick] [--users 100] [--seconds 180] [--workers 2]

Builds bench/dashboard.py's agency in a throwaway PostgreSQL database (``overgraph_bench_load``),
makes one session per simulated user (members of the agency, logged in server-side so the
benchmark measures pages, not password hashing), starts gunicorn in production mode (DEBUG off,
the connection pool on, Redis as cache) and runs locust headless, as its own process (locust
patches the standard library with gevent: ../shared/ENVIRONMENT.md), with bench/locustfile.py: a
mix of the workspace overview page, the account page and the overview API. Every page and API
answer of the mix is requested once first (warm caches: the facts cache holds them, as between
two syncs), stats are reset once every user is running, then measured for ``--seconds``.

One JSON line: ``{"benchmark":"load","users":…,"rps":…,"p95_ms":…,"errors":…}`` plus p50, the
request count and the gunicorn worker count. Goal (not asserted here): ≥ 200 req/s, 0 errors.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))  # bench/ is a folder of scripts: reuse the dashboard's tenant
sys.path.insert(0, str(ROOT))  # the project, when run without PYTHONPATH=.

import dashboard  # noqa: E402

BENCH_DB = "overgraph_bench_load"
DEFAULT_URL = dashboard.DEFAULT_URL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _url(url: str) -> str:
    return dashboard._bench_url(url, BENCH_DB)


def _recreate(url: str, *, drop_only: bool = False) -> None:
    dashboard._recreate(url, drop_only=drop_only, database=BENCH_DB)


def prepare(*, quick: bool, users: int) -> dict:
    """Migrate, build the tenant, and make one session per user; returns the plan locust reads."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from accounts.models import Membership, Role, User, Workspace
    from networks.models import SocialAccount

    call_command("migrate", verbosity=0)
    _alice, agency, counts = dashboard.build(quick)
    sessions = []
    with scopes_disabled():
        for n in range(users):
            user = User.objects.create_user(email=f"cm{n}@bench.example", password=secrets.token_urlsafe(12))
            Membership.objects.create(organization=agency, user=user, role=Role.MANAGER)
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            sessions.append(store.session_key)
        workspaces = list(Workspace.objects.filter(organization=agency).values_list("pk", flat=True))
        accounts = list(SocialAccount.objects.filter(organization=agency).values_list("pk", flat=True))
    return {"org": agency.slug, "sessions": sessions, "workspaces": workspaces, "accounts": accounts, "tenant": counts}


def _wait_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urlopen(f"{url}/api/v1/health/", timeout=2) as answer:  # noqa: S310 — our loopback server
                if 200 <= answer.status < 300:  # the health check answers 204
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def _warm(base: str, plan: dict) -> int:
    """Every page and API answer of the mix once, as one of the users: the facts cache then holds
    them (analytics/factcache.py), as it does in production between two syncs. Returns how many."""
    org = plan["org"]
    paths = [f"/o/{org}/w/{w}/dashboard/" for w in plan["workspaces"]]
    paths += [f"/o/{org}/accounts/{a}/stats/" for a in plan["accounts"]]
    paths += [f"/api/v1/organizations/{org}/overview/?workspace={w}" for w in plan["workspaces"]]
    headers = {"Cookie": f"sessionid={plan['sessions'][0]}", "Accept-Language": "fr"}
    for path in paths:
        with urlopen(Request(base + path, headers=headers), timeout=60) as answer:  # noqa: S310 — our loopback server
            if answer.status != 200:
                raise RuntimeError(f"{path} answered {answer.status} while warming")
    return len(paths)


def _aggregated(prefix: str) -> dict:
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "per_page_p95_ms": {row["Name"]: float(row["95%"]) for row in rows if row["Name"] != "Aggregated"},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small tenant, 20 users, 15 seconds")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=180)
    # One process per core, threads for the waits on PostgreSQL and Redis: on two cores, once a
    # warm page cost ~7 ms of CPU, 2x4 served as many requests as 2x8, 3x4 and 4x2, with the
    # lowest p95 (docs/performance.md "Load").
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    options = parser.parse_args()
    users, seconds = (20, 15) if options.quick else (options.users, options.seconds)
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust")
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        if locust is None:
            raise RuntimeError("locust is not installed (requirements-bench.txt)")
        if not url.startswith("postgres"):
            raise RuntimeError("DATABASE_URL is not PostgreSQL")
        _recreate(url)
    except Exception as error:  # noqa: BLE001 — a missing service or tool means: skip, say why
        print(json.dumps({"benchmark": "load", "skipped": str(error)}))
        return 0
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    from cryptography.fernet import Fernet

    server_env = {
        **os.environ,
        "OVERGRAPH_MODE": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # loopback HTTP; production sits behind TLS
        "DATABASE_URL": _url(url),
        "DATABASE_POOL": "true",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    # The same secret as the server: a session's auth hash is derived from it.
    os.environ.update(
        DATABASE_URL=_url(url),
        DATABASE_POOL="false",
        REDIS_URL=redis_url,
        DJANGO_SECRET_KEY=server_env["DJANGO_SECRET_KEY"],
        DJANGO_SETTINGS_MODULE="overgraph.settings",
    )
    work = Path(tempfile.mkdtemp(prefix="overgraph-load-"))
    server = None
    try:
        plan = prepare(quick=options.quick, users=users)
        (work / "plan.json").write_text(json.dumps(plan))
        from django.db import connections

        connections.close_all()
        # Production serves hashed static files from the manifest, as a deployment builds it.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env, check=True
        )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 — our own server, fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "overgraph.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options.workers),
                "--threads",
                str(options.threads),
                "--worker-class",
                "gthread",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=server_env,
            start_new_session=True,
        )
        _wait_up(base, server)
        warmed = _warm(base, plan)
        spawn_rate = max(10, users // 5)  # everyone running within ~5 s, then stats reset: warm
        subprocess.run(  # noqa: S603 — locust, fixed arguments
            [
                locust,
                "-f",
                str(BENCH_DIR / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{seconds + users // spawn_rate + 5}s",
                "--reset-stats",
                "--host",
                base,
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "LOAD_PLAN": str(work / "plan.json")},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        result = _aggregated(str(work / "load"))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
        _recreate(url, drop_only=True)
    print(
        json.dumps(
            {
                "benchmark": "load",
                "quick": options.quick,
                "users": users,
                "seconds": seconds,
                "gunicorn_workers": options.workers,
                "gunicorn_threads": options.threads,
                "warmed_urls": warmed,
                "posts": plan["tenant"]["posts"],
                "snapshots": plan["tenant"]["snapshots"],
                **result,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
