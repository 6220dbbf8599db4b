"""Ingest benchmark: the product's own upsert of post snapshots against a plain COPY.

    PYTHONPATH=. .venv/bin/python bench/ingest.py [--quick] [--rows N]

Loads N snapshot rows (1,000,000; 50,000 with --quick), 30 % of them already stored, through
``bulk_upsert(SNAPSHOTS, rows)`` — exactly what ``FactStore.save_posts`` / ``save_post_metrics``
run — and the same rows with a plain ``COPY`` into an empty copy of the table
(``CREATE TABLE … (LIKE … INCLUDING ALL)``: same columns and indexes). Both warm, in one run,
from the same rows already in memory, three rounds (each from the same starting point) of which
the medians are kept. Prints one JSON line:
``{"benchmark":"ingest","rows":…,"rows_per_s":…,"copy_rows_per_s":…,"ratio":…}`` (goal: ratio ≥ 0.5;
docs/performance.md has the measured numbers).

Creates and drops its own database (``DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/overgraph_bench; a URL naming another database keeps its server
and credentials and uses overgraph_bench). Without a reachable PostgreSQL it prints
``{"benchmark":"ingest","skipped":…}`` and exits 0.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/overgraph_bench"
FULL_ROWS = 1_000_000
QUICK_ROWS = 50_000
PRESENT = 0.30  # share of the rows already stored before the measured upsert
READS_PER_POST = 10  # snapshots per post: a post read hourly for its first ten hours
ACCOUNTS = 20
WARMUP_ROWS = 20_000
ROUNDS = 3
START = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
POST_COLUMNS = [
    "organization_id",
    "account_id",
    "external_id",
    "published_at",
    "kind",
    "content_type",
    "text",
    "permalink",
    "media_url",
    "hashtags",
    "referenced_id",
    "author_id",
    "author_handle",
    "first_seen_at",
]


def _emit(payload: dict) -> None:
    print(json.dumps({"benchmark": "ingest", **payload}), flush=True)


def _bench_urls(url: str) -> tuple[str, str, str]:
    """(conninfo of the benchmark database, of the server's maintenance database, its name).

    The benchmark drops its database when done: a DATABASE_URL naming the application's own
    database (CI sets one) keeps its server and credentials but gets overgraph_bench instead."""
    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname") or ""
    if "bench" not in name:
        name = "overgraph_bench"
    return (
        psycopg.conninfo.make_conninfo(url, dbname=name),
        psycopg.conninfo.make_conninfo(url, dbname="postgres"),
        name,
    )


def _recreate(admin: str, name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup_django(conninfo: str) -> None:
    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    auth = params.get("user", "") + (f":{params['password']}" if params.get("password") else "")
    os.environ["DATABASE_URL"] = (
        f"postgres://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{params['dbname']}"
    )
    os.environ["DATABASE_POOL"] = "false"  # one plain connection
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgraph.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # every app: analytics alone misses later migrations of the apps it uses


def _metrics(rng: random.Random, network: str, age_hours: int) -> tuple:
    """One read of a post's counters in METRIC_FIELDS order, NULL where the network reports none."""
    grown = 1 + age_hours
    likes = rng.randint(0, 400) * grown
    comments = rng.randint(0, 40) * grown
    shares = rng.randint(0, 30) * grown
    views = rng.randint(100, 20_000) * grown
    if network == "x":  # public metrics, no saves, reach or reactions
        return (
            likes,
            comments,
            shares,
            rng.randint(0, 5),
            None,
            views,
            None,
            None,
            rng.randint(0, 9),
            None,
            None,
            None,
        )
    if network == "facebook":
        reactions = {"like": likes, "love": likes // 5}
        return (likes, comments, shares, None, None, views, views // 2, rng.randint(0, 90), None, None, reactions, None)
    return (likes, comments, None, None, rng.randint(0, 50), views, views // 2, None, None, None, None, 4200)


def _setup_facts(n_rows: int, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
    """Organisations, accounts and posts (written directly: the setup is not measured), then the
    snapshot rows to load, in SNAPSHOTS.columns order, and the 30 % of them to store first."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from accounts.models import Organization, Workspace
    from networks.models import SocialAccount

    accounts = []
    with scopes_disabled():
        for i in range(ACCOUNTS):
            organization = Organization.objects.create(name=f"Bench {i}", slug=f"bench-{i}")
            workspace = Workspace.objects.create(organization=organization, name="Main")
            network = ("x", "facebook", "instagram")[i % 3]
            accounts.append(
                SocialAccount.objects.create(
                    organization=organization, workspace=workspace, network=network, external_id=str(1000 + i)
                )
            )
    n_posts = -(-n_rows // READS_PER_POST)
    columns = ", ".join(POST_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY analytics_post ({columns}) FROM STDIN") as copy:
            for i in range(n_posts):
                account = accounts[i % ACCOUNTS]
                published = START + dt.timedelta(minutes=i % 40_000)
                text = f"Post {i} #Boulogne"
                row = [account.organization_id, account.pk, str(10**15 + i), published, "original", "photo", text]
                row += ["", "", '["Boulogne"]', "", "", "", published]
                copy.write_row(row)
        cursor.execute(
            "SELECT p.id, p.organization_id, a.network, p.published_at FROM analytics_post p"
            " JOIN networks_socialaccount a ON a.id = p.account_id ORDER BY p.id"
        )
        posts = cursor.fetchall()
    # A sync reads every due post at one time: rows arrive read after read (capture-major).
    rows = []
    for read in range(READS_PER_POST):
        for post_id, organization_id, network, published in posts:
            if len(rows) == n_rows:
                break
            rows.append(
                (organization_id, post_id, published + dt.timedelta(hours=read + 1), *_metrics(rng, network, read))
            )
    present = rng.sample(rows, int(len(rows) * PRESENT))
    return rows, present


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """A plain COPY, in binary like the product's (same client work per row)."""
    cursor.execute(f"SELECT {columns} FROM {table} LIMIT 0")
    types = [column.type_code for column in cursor.description]
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run(n_rows: int) -> dict:
    from django.db import connection, transaction

    from analytics.services.bulk import bulk_upsert
    from analytics.services.ingest import SNAPSHOTS

    rng = random.Random(4)  # a benchmark's data, not a secret
    rows, present = _setup_facts(n_rows, rng)
    table = SNAPSHOTS.table
    columns = ", ".join(connection.ops.quote_name(c) for c in SNAPSHOTS.column_names())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy (LIKE {table} INCLUDING ALL)")

    def upsert(batch: list[tuple]) -> None:
        with transaction.atomic():
            bulk_upsert(SNAPSHOTS, batch)

    def plain_copy(batch: list[tuple]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, "bench_copy", columns, batch)

    def reset() -> None:
        """Back to the starting point: 30 % stored, the copy's table empty, no dirty buffers."""
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}, bench_copy")
            _copy(cursor, table, columns, present)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("CHECKPOINT")

    # Warm both paths (code, catalog, buffers): rows already stored change nothing in the real
    # table; the warm-up COPY is emptied again.
    reset()
    upsert(present[:WARMUP_ROWS])
    plain_copy(present[:WARMUP_ROWS])
    # Rounds alternate the two sides; the medians are reported (the machine may be shared).
    copy_times, upsert_times = [], []
    for _ in range(ROUNDS):
        reset()
        copy_times.append(_timed(lambda: plain_copy(rows)))
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")  # each side starts with no dirty buffers of the other
        upsert_times.append(_timed(lambda: upsert(rows)))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            stored = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM bench_copy")
            copied = cursor.fetchone()[0]
        if stored != len(rows) or copied != len(rows):
            raise RuntimeError(f"expected {len(rows)} rows, found {stored} upserted and {copied} copied")
    copy_s, upsert_s = statistics.median(copy_times), statistics.median(upsert_times)
    return {
        "rows": len(rows),
        "rows_per_s": round(len(rows) / upsert_s),
        "copy_rows_per_s": round(len(rows) / copy_s),
        "ratio": round(copy_s / upsert_s, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows (CI smoke run)")
    parser.add_argument("--rows", type=int, help=f"rows to load (default {FULL_ROWS:,})")
    args = parser.parse_args()
    n_rows = args.rows or (QUICK_ROWS if args.quick else FULL_ROWS)

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        _emit({"skipped": "needs PostgreSQL: DATABASE_URL is not a postgres:// URL"})
        return 0
    bench, admin, name = _bench_urls(url)
    try:
        _recreate(admin, name)
    except psycopg.OperationalError as error:
        _emit({"skipped": f"PostgreSQL unreachable: {str(error).strip().splitlines()[0]}"})
        return 0
    try:
        _setup_django(bench)
        result = run(n_rows)
    finally:
        from django.db import connections

        connections.close_all()
        _recreate(admin, name, drop_only=True)
    _emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
