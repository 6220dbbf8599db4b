"""Dashboard benchmark: the analytics query layer and the pages/API on a big agency tenant.

    PYTHONPATH=. .venv/bin/python bench/dashboard.py [--quick]

Builds, in a throwaway PostgreSQL database (``overgraph_bench_dashboard`` on the server of
``DATABASE_URL``, default postgres://postgres@127.0.0.1:5432; created, migrated and dropped here),
an agency with 50 workspaces, 150 accounts (X, Facebook, Instagram), 3 years of daily metrics,
300,000 posts and 3,000,000 snapshots, plus three other organisations as noise (``--quick``: 1/30
of that). Posts and daily rows are loaded with COPY, snapshots with one INSERT … SELECT over
generate_series (set-based, in the server). Then, warm:

(a) our query layer (``analytics.queries``) computing a workspace overview (90 days and the
    previous 90, per network) and an account page (top posts, best-time heatmap, a post's curve)
    against hand-written bare SQL computing the same numbers (asserted equal);
(b) whole page and API requests through Django's test client (server side), for every page URL
    that exists.

One JSON line: ``{"benchmark":"dashboard","query_p50_ms":…,"bare_sql_p50_ms":…,"ratio_p50":…,
"page_p50_ms":…,"page_p95_ms":…}`` (goals: ratio_p50 ≤ 1.5, page_p95 ≤ 250 ms), or
``{"benchmark":"dashboard","skipped":…}`` and exit 0 when no PostgreSQL answers.
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/overgraph"
BENCH_DB = "overgraph_bench_dashboard"
END = dt.date(2026, 11, 29)  # the last day of the benchmark's history and of the 90-day period
TZ = "Europe/Paris"
NETWORKS = ("x", "facebook", "instagram")
KINDS_X = ["repost"] * 50 + ["reply"] * 10 + ["quote"] * 5 + ["original"] * 35
CONTENT = ("text", "photo", "video", "reel", "carousel", "link")
TAGS = ("boulogne", "sport", "culture", "famille", "jeunesse", "associations", "noel", "marche")


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


def _recreate(url: str, *, drop_only: bool = False, database: str = BENCH_DB) -> None:
    """Drop (and create again) the benchmark's own database on the server of ``url``."""
    import psycopg

    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {database}")


def _bench_url(url: str, database: str = BENCH_DB) -> str:
    base = url.rsplit("/", 1)[0] if "/" in url.split("://", 1)[1] else url
    return f"{base}/{database}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1/30 of the tenant, a few seconds")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        if not url.startswith("postgres"):
            raise ValueError("DATABASE_URL is not PostgreSQL")
        _recreate(url)
    except Exception as error:  # noqa: BLE001 — any failure to reach PostgreSQL means: skip
        print(json.dumps({"benchmark": "dashboard", "skipped": f"PostgreSQL unreachable: {error}"}))
        return 0
    # Measured as production runs: psycopg's connection pool on (overgraph/settings.py's default).
    os.environ.update(DATABASE_URL=_bench_url(url), DATABASE_POOL="true", DJANGO_SETTINGS_MODULE="overgraph.settings")
    try:
        result = run(quick=options.quick)
    finally:
        from django.db import connections

        connections.close_all()
        for connection in connections.all():
            if getattr(connection, "pool", None):  # the pool's idle connections, before the DROP
                connection.close_pool()
        _recreate(url, drop_only=True)
    print(json.dumps({"benchmark": "dashboard", **result}))
    return 0


# --- the tenant ---------------------------------------------------------------------------------


def build(quick: bool):  # noqa: PLR0915 — one data set, read top down
    """Organisations, workspaces, accounts and a user through the ORM (a few hundred rows); facts
    through COPY and set-based SQL."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from accounts.models import Membership, Organization, Role, User, Workspace
    from networks.models import SocialAccount

    scale = 30 if quick else 1
    workspaces_agency = max(1, 50 // scale)
    posts_per_account = 2000 if not quick else 850
    days = 3 * 365
    rng = random.Random(5)
    with scopes_disabled():
        alice = User.objects.create_user(email="alice@bench.example", password="bench-password")  # noqa: S106
        tenants = [("Bench Agency", "bench-agency", workspaces_agency)] + [
            (f"Noise {n}", f"noise-{n}", max(1, 10 // scale)) for n in (1, 2, 3)
        ]
        accounts = []
        agency = None
        for name, slug, count in tenants:
            organization = Organization.objects.create(name=name, slug=slug, kind="agency", time_zone=TZ)
            agency = agency or organization
            if organization == agency:
                Membership.objects.create(organization=organization, user=alice, role=Role.OWNER)
            for w in range(count):
                workspace = Workspace.objects.create(organization=organization, name=f"Client {w:02d}")
                for network in NETWORKS:
                    accounts.append(
                        SocialAccount.objects.create(
                            organization=organization,
                            workspace=workspace,
                            network=network,
                            external_id=f"{slug}-{w}-{network}",
                            handle=f"{slug}{w}{network}",
                            name=f"{name} {w} {network}",
                        )
                    )
    first_day = END - dt.timedelta(days=days - 1)
    start_ts = dt.datetime.combine(first_day, dt.time.min, dt.UTC).timestamp()
    span = days * 86400
    raw = connection.connection  # psycopg 3 connection behind Django's
    started = time.perf_counter()
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY analytics_accountdailymetrics (organization_id, account_id, date, followers, follows, unfollows,"
            " views, reach, engagements) FROM STDIN"
        ) as copy:
            for account in accounts:
                followers = rng.randint(500, 50_000)
                meta = account.network != "x"
                for d in range(days):
                    gained, lost = rng.randint(0, 30), rng.randint(0, 12)
                    followers += gained - lost
                    views = rng.randint(100, 20_000)
                    copy.write_row(
                        (
                            account.organization_id,
                            account.pk,
                            first_day + dt.timedelta(days=d),
                            followers,
                            gained if meta else None,
                            lost if account.network == "facebook" else None,
                            views if meta else None,
                            views // 2 if meta else None,
                            views // 40 if meta else None,
                        )
                    )
        with cursor.copy(
            "COPY analytics_post (organization_id, account_id, external_id, published_at, kind, content_type, text,"
            " permalink, media_url, hashtags, referenced_id, author_id, author_handle, likes, comments, shares,"
            " quotes, saves, views, reach, clicks) FROM STDIN"
        ) as copy:
            for account in accounts:
                network = account.network
                for n in range(posts_per_account):
                    kind = rng.choice(KINDS_X) if network == "x" else "original"
                    published = dt.datetime.fromtimestamp(start_ts + rng.random() * span, dt.UTC)
                    tags = rng.sample(TAGS, rng.randint(0, 3))
                    own = kind != "repost"
                    views = rng.randint(200, 50_000)
                    likes = int(views * rng.uniform(0.005, 0.06))

                    def m(value, available=True, own=own):
                        return value if own and available else None

                    copy.write_row(
                        (
                            account.organization_id,
                            account.pk,
                            f"{account.pk}-{n}",
                            published,
                            kind,
                            rng.choice(CONTENT) if network != "x" else rng.choice(("text", "photo", "video", "link")),
                            f"Post {n} " + " ".join(f"#{t}" for t in tags),
                            "",
                            "",
                            json.dumps(tags),
                            "",
                            "",
                            "",
                            m(likes),
                            m(likes // 8),
                            m(likes // 12),
                            m(likes // 30, network == "x"),
                            m(likes // 10, network == "instagram"),
                            m(views),
                            m(int(views * 0.6), network != "x"),
                            m(likes // 5, network != "instagram"),
                        )
                    )
        log(f"daily metrics and posts copied in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        # Ten readings per post, growing towards its lifetime counts: 1 h, 4 h, 9 h … 100 h.
        cursor.execute(
            """
            INSERT INTO analytics_postmetricssnapshot
                (organization_id, post_id, captured_at, likes, comments, shares, quotes, saves, views, reach, clicks)
            SELECT p.organization_id, p.id, p.published_at + g * g * interval '1 hour',
                   p.likes * g / 10, p.comments * g / 10, p.shares * g / 10, p.quotes * g / 10, p.saves * g / 10,
                   p.views * g / 10, p.reach * g / 10, p.clicks * g / 10
            FROM analytics_post p CROSS JOIN generate_series(1, 10) AS g
            """
        )
        log(f"snapshots inserted in {time.perf_counter() - started:.1f} s")
        # Production's autovacuum keeps the posts' visibility map set, which index-only scans of
        # the covering post_org_account_published need; a table just loaded has none yet.
        cursor.execute("VACUUM (ANALYZE) analytics_post")
        cursor.execute("ANALYZE")
    with scopes_disabled():
        counts = {
            "accounts": len(accounts),
            "posts": _count("analytics_post"),
            "snapshots": _count("analytics_postmetricssnapshot"),
            "daily_rows": _count("analytics_accountdailymetrics"),
        }
    log(f"tenant: {counts}")
    return alice, agency, counts


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


# --- bare SQL for the same numbers --------------------------------------------------------------

ENG = (
    "CASE WHEN {p}likes IS NOT NULL OR {p}comments IS NOT NULL OR {p}shares IS NOT NULL OR {p}quotes IS NOT NULL"
    " OR {p}saves IS NOT NULL THEN COALESCE({p}likes,0)+COALESCE({p}comments,0)+COALESCE({p}shares,0)"
    "+COALESCE({p}quotes,0)+COALESCE({p}saves,0) END"
)


def _delta_columns(name: str, relation: str = "") -> str:
    """A Delta in SQL: current, previous, change, change in % (NULL when previous is 0 or NULL)."""
    c, pv = f"{relation}{name}_c", f"{relation}{name}_p"
    return f"{c}, {pv}, {c} - {pv}, ({c} - {pv})::float8 / NULLIF({pv}, 0) * 100"


DELTAS = ("audience", "growth", "posts", "reposts", "engagements", "rate", "views", "reach", "clicks")


def bare_overview(cursor, org_id: int, workspace_id: int, bounds: dict) -> dict:
    """The workspace overview in one statement: per network and in total (for both periods) the
    audience at the end, its growth, own posts, reposts, engagements, engagement rate (over views,
    else followers), views, reach and clicks, each with its change."""
    eng = ENG.format(p="p.")
    cur, prev, own = "p.published_at >= %(cs)s", "p.published_at < %(cs)s", "p.kind <> 'repost'"
    followers = (
        "(SELECT d.followers FROM analytics_accountdailymetrics d WHERE d.organization_id = %(org)s"
        " AND d.account_id = a.id AND d.date <= {cutoff} AND d.followers IS NOT NULL ORDER BY d.date DESC LIMIT 1)"
    )
    sums = ",".join(
        f"sum({expr}) FILTER (WHERE {period} AND {own}) AS {name}_{suffix}"
        for name, expr in (("engagements", eng), ("views", "p.views"), ("reach", "p.reach"), ("clicks", "p.clicks"))
        for suffix, period in (("c", cur), ("p", prev))
    )
    cursor.execute(
        f"""
        WITH acc AS (
            SELECT a.id, a.network, {followers.format(cutoff="%(end)s")} AS f_end,
                   {followers.format(cutoff="%(prev_end)s")} AS f_prev,
                   {followers.format(cutoff="%(prev2_end)s")} AS f_prev2
            FROM networks_socialaccount a WHERE a.organization_id = %(org)s AND a.workspace_id = %(ws)s
        ), posts AS (
            SELECT p.account_id,
                   count(*) FILTER (WHERE {cur} AND {own}) AS posts_c,
                   count(*) FILTER (WHERE {prev} AND {own}) AS posts_p,
                   count(*) FILTER (WHERE {cur} AND NOT {own}) AS reposts_c,
                   count(*) FILTER (WHERE {prev} AND NOT {own}) AS reposts_p, {sums}
            FROM analytics_post p
            WHERE p.organization_id = %(org)s AND p.account_id IN (SELECT id FROM acc)
              AND p.published_at >= %(ps)s AND p.published_at < %(ce)s
            GROUP BY p.account_id
        ), per_network AS (
            SELECT acc.network, count(*) AS accounts,
                   sum(f_end) AS audience_c, sum(f_prev) AS audience_p,
                   sum(f_end) - sum(f_prev) AS growth_c, sum(f_prev) - sum(f_prev2) AS growth_p,
                   coalesce(sum(posts_c), 0) AS posts_c, coalesce(sum(posts_p), 0) AS posts_p,
                   coalesce(sum(reposts_c), 0) AS reposts_c, coalesce(sum(reposts_p), 0) AS reposts_p,
                   sum(engagements_c) AS engagements_c, sum(engagements_p) AS engagements_p,
                   sum(views_c) AS views_c, sum(views_p) AS views_p, sum(reach_c) AS reach_c,
                   sum(reach_p) AS reach_p, sum(clicks_c) AS clicks_c, sum(clicks_p) AS clicks_p,
                   coalesce(nullif(sum(views_c), 0), sum(f_end)) AS denominator_c,
                   coalesce(nullif(sum(views_p), 0), sum(f_prev)) AS denominator_p
            FROM acc LEFT JOIN posts ON posts.account_id = acc.id
            GROUP BY acc.network
        ), rows AS (
            SELECT * FROM per_network
            UNION ALL
            SELECT 'total', sum(accounts), sum(audience_c), sum(audience_p), sum(growth_c), sum(growth_p),
                   sum(posts_c), sum(posts_p), sum(reposts_c), sum(reposts_p), sum(engagements_c),
                   sum(engagements_p), sum(views_c), sum(views_p), sum(reach_c), sum(reach_p), sum(clicks_c),
                   sum(clicks_p), sum(denominator_c), sum(denominator_p)
            FROM per_network
        ), rated AS (
            SELECT *, engagements_c::float8 / nullif(denominator_c, 0) AS rate_c,
                   engagements_p::float8 / nullif(denominator_p, 0) AS rate_p
            FROM rows
        )
        SELECT network, accounts, {", ".join(_delta_columns(name) for name in DELTAS)} FROM rated
        """,
        {"org": org_id, "ws": workspace_id, **bounds},
    )
    return {row[0]: row[1:] for row in cursor.fetchall()}


POST_COLUMNS = (
    "p.id, p.account_id, a.network, p.external_id, p.published_at, p.kind, p.content_type, p.text, p.permalink,"
    " p.hashtags, p.likes, p.comments, p.shares, p.quotes, p.saves, p.views, p.reach, p.clicks"
)


def bare_top_posts(cursor, org_id: int, account_id: int, bounds: dict) -> list:
    """The account's ten own posts of the period with the most engagements: every column of the
    posts table's row, our engagements and the engagement rate (over views, else over the account's
    last known followers)."""
    eng = ENG.format(p="p.")
    cursor.execute(
        f"""
        SELECT {POST_COLUMNS}, {eng} AS eng,
               CASE WHEN p.views > 0 THEN ({eng})::float8 / p.views
                    ELSE ({eng})::float8 / (SELECT d.followers FROM analytics_accountdailymetrics d
                                            WHERE d.organization_id = p.organization_id AND d.account_id = p.account_id
                                              AND d.followers > 0 ORDER BY d.date DESC LIMIT 1) END
        FROM analytics_post p JOIN networks_socialaccount a ON a.id = p.account_id
        WHERE p.organization_id = %(org)s AND p.account_id = %(acc)s AND p.kind <> 'repost'
          AND p.published_at >= %(cs)s AND p.published_at < %(ce)s
        ORDER BY eng DESC NULLS LAST, p.id DESC LIMIT 10
        """,
        {"org": org_id, "acc": account_id, **bounds},
    )
    return cursor.fetchall()


def bare_heatmap(cursor, org_id: int, account_id: int, bounds: dict) -> dict:
    cursor.execute(
        "SELECT followers FROM analytics_accountdailymetrics WHERE organization_id = %(org)s AND account_id = %(acc)s"
        " AND date <= %(end)s AND followers > 0 ORDER BY date DESC LIMIT 1",
        {"org": org_id, "acc": account_id, **bounds},
    )
    followers = float(cursor.fetchone()[0])
    eng = ENG.format(p="")
    cursor.execute(
        f"""
        SELECT extract(isodow FROM published_at AT TIME ZONE %(tz)s)::int,
               extract(hour FROM published_at AT TIME ZONE %(tz)s)::int,
               avg(CASE WHEN views > 0 THEN ({eng})::float / views ELSE ({eng})::float / %(f)s END), count(*)
        FROM analytics_post
        WHERE organization_id = %(org)s AND account_id = %(acc)s AND kind <> 'repost'
          AND published_at >= %(cs)s AND published_at < %(ce)s
        GROUP BY 1, 2
        """,
        {"org": org_id, "acc": account_id, "tz": TZ, "f": followers, **bounds},
    )
    return {(r[0] - 1, r[1]): (r[2], r[3]) for r in cursor.fetchall()}


def bare_curve(cursor, org_id: int, post_id: int, account_id: int, content_type: str) -> tuple:
    """The post's curve and its account's median post (same content type, by engagements) with its
    curve: hours since publication, engagements, views at each snapshot."""
    eng = ENG.format(p="")
    cursor.execute(
        f"""
        SELECT id FROM analytics_post
        WHERE organization_id = %(org)s AND account_id = %(acc)s AND content_type = %(ct)s AND kind <> 'repost'
          AND ({eng}) IS NOT NULL
        ORDER BY {eng}, id
        OFFSET (SELECT count(*) / 2 FROM analytics_post WHERE organization_id = %(org)s AND account_id = %(acc)s
                AND content_type = %(ct)s AND kind <> 'repost' AND ({eng}) IS NOT NULL) LIMIT 1
        """,
        {"org": org_id, "acc": account_id, "ct": content_type},
    )
    median_id = cursor.fetchone()[0]
    cursor.execute(
        f"""
        SELECT s.post_id, round(extract(epoch FROM s.captured_at - p.published_at) / 3600, 3)::float8,
               {ENG.format(p="s.")}, s.views
        FROM analytics_postmetricssnapshot s JOIN analytics_post p ON p.id = s.post_id
        WHERE s.organization_id = %(org)s AND p.organization_id = %(org)s AND s.post_id IN (%(post)s, %(median)s)
        ORDER BY s.post_id, s.captured_at
        """,
        {"org": org_id, "post": post_id, "median": median_id},
    )
    rows = cursor.fetchall()
    return [r[1:] for r in rows if r[0] == post_id], median_id, [r[1:] for r in rows if r[0] == median_id]


# --- measurement --------------------------------------------------------------------------------


def timed(fn, repeats: int) -> tuple[list[float], object]:
    result = fn()  # warm
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def timed_pair(first, second, repeats: int) -> tuple[list[float], object, list[float], object]:
    """Both warm, then alternated run by run: on a shared machine whose load changes during the run,
    both sides see the same load (timing all of one then all of the other skews the ratio)."""
    first(), second()
    samples_first, samples_second = [], []
    for _ in range(repeats):
        for fn, samples in ((first, samples_first), (second, samples_second)):
            started = time.perf_counter()
            result = fn()
            samples.append((time.perf_counter() - started) * 1000)
            if fn is first:
                result_first = result
            else:
                result_second = result
    return samples_first, result_first, samples_second, result_second


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(*, quick: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    alice, agency, counts = build(quick)
    return {"quick": quick, **counts, **measure(alice, agency, repeats=15 if quick else 30)}


def _same(ours, bare) -> bool:
    """Equal numbers: exact for integers and None, to 1e-9 (relative) for floats."""
    if ours is None or bare is None:
        return ours is None and bare is None
    if isinstance(ours, float) or isinstance(bare, float):
        return abs(float(ours) - float(bare)) <= 1e-9 * max(1.0, abs(float(bare)))
    return ours == bare


def check_same(ours, bare, what: str) -> None:
    ours, bare = list(ours), list(bare)
    assert len(ours) == len(bare), (what, ours, bare)
    for n, (o, b) in enumerate(zip(ours, bare, strict=True)):
        assert _same(o, b), (what, n, o, b)


def measure(alice, agency, *, repeats: int) -> dict:  # noqa: PLR0915 — one scenario, read top down
    import dataclasses

    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django_scopes import scope

    from accounts.models import Membership, Workspace
    from analytics.definitions import ENGAGEMENT_RATE_BASE
    from analytics.queries import BestTimeQuery, Filters, OverviewQuery, Period, PostCurveQuery, TopPostsQuery
    from analytics.queries.base import Query
    from networks.models import SocialAccount

    # The bare overview divides engagements by views, else followers, on every network.
    assert set(ENGAGEMENT_RATE_BASE.values()) == {"views"}, "bare_overview's rate no longer matches the definitions"
    period = Period(END - dt.timedelta(days=89), END)
    with scope(organization=agency):
        membership = Membership.objects.select_related("organization").get(organization=agency, user=alice)
        workspaces = Workspace.objects.filter(organization=agency).order_by("pk")
        workspace = workspaces[workspaces.count() // 2]
        account = SocialAccount.objects.get(organization=agency, workspace=workspace, network="instagram")
        probe = Query(agency, membership=membership, period=period)
        cs, ce = probe.bounds(period)
        ps, _pe = probe.bounds(period.previous())
        bounds = {
            "cs": cs,
            "ce": ce,
            "ps": ps,
            "end": period.end,
            "prev_end": period.previous().end,
            "prev2_end": period.previous().previous().end,
        }

        def ours():
            # As the pages do: one shared dict per page (the dashboard; the account and post pages).
            overview = OverviewQuery(
                agency, membership=membership, period=period, filters=Filters(workspace_id=workspace.pk), shared={}
            ).run()
            page = {"membership": membership, "period": period, "shared": {}}
            top = TopPostsQuery(agency, filters=Filters(account_ids=(account.pk,)), **page).run()
            heatmap = BestTimeQuery(agency, account=account, **page).run()
            curve = PostCurveQuery(agency, post=top[0], **page).run()  # the top post's row: no second read
            return overview, top, heatmap, curve

        def bare():
            with connection.cursor() as cursor:
                overview = bare_overview(cursor, agency.pk, workspace.pk, bounds)
                top = bare_top_posts(cursor, agency.pk, account.pk, bounds)
                heatmap = bare_heatmap(cursor, agency.pk, account.pk, bounds)
                curve = bare_curve(cursor, agency.pk, top[0][0], account.pk, top[0][6])  # id, content type
            return overview, top, heatmap, curve

        query_samples, result, bare_samples, bare_result = timed_pair(ours, bare, repeats)
        overview, top, heatmap, curve = result
        b_overview, b_top, b_heatmap, b_curve = bare_result
        # The same result set, or the comparison means nothing: every number of the overview (per
        # network and in total, both periods, changes), every field of the top posts, every cell of
        # the heatmap, both curves.
        networks = {"total": overview.total, **overview.by_network}
        assert set(networks) == set(b_overview), (set(networks), set(b_overview))
        for network, row in b_overview.items():
            n = networks[network]
            values = [n.accounts]
            for name in DELTAS:
                d = getattr(n, "engagement_rate" if name == "rate" else name)
                values += [d.current, d.previous, d.change, d.change_pct]
            check_same(values, row, network)
        assert len(top) == len(b_top) == 10
        for row, b_row in zip(top, b_top, strict=True):
            bare_row = list(b_row)
            bare_row[9] = json.loads(bare_row[9]) if isinstance(bare_row[9], str) else bare_row[9]  # hashtags
            check_same(dataclasses.astuple(row), bare_row, f"top post {row.id}")
        for (weekday, hour), (rate, posts) in b_heatmap.items():
            cell = heatmap.cells[weekday][hour]
            check_same((cell.avg_engagement_rate, cell.posts), (rate, posts), f"heat cell {weekday} {hour}")
        assert sum(c.posts for row in heatmap.cells for c in row) == sum(v[1] for v in b_heatmap.values())
        check_same([dataclasses.astuple(p) for p in curve.points], [tuple(r) for r in b_curve[0]], "curve")
        assert curve.median_post_id == b_curve[1]
        check_same([dataclasses.astuple(p) for p in curve.median_points], [tuple(r) for r in b_curve[2]], "median")
        log(f"query layer and bare SQL agree ({len(b_overview)} overview rows, {len(top)} top posts)")
        query_p50, bare_p50 = statistics.median(query_samples), statistics.median(bare_samples)
        log(f"query p50 {query_p50:.2f} ms, bare SQL p50 {bare_p50:.2f} ms, ratio {query_p50 / bare_p50:.2f}")
        top_post = top[0].id

    client = Client()
    client.force_login(alice)
    custom = {"period": "custom", "start": period.start.isoformat(), "end": period.end.isoformat()}
    org = agency.slug
    urls = [
        (reverse("api_overview", kwargs={"org": org}), {**custom, "workspace": workspace.pk}),
        (reverse("api_post_list", kwargs={"org": org}), {**custom, "account": account.pk, "ordering": "-engagements"}),
        (reverse("api_account_best_times", kwargs={"org": org, "account_id": account.pk}), custom),
        (reverse("api_post_snapshots", kwargs={"org": org, "post_id": top_post}), {}),
        (
            reverse("api_account_daily", kwargs={"org": org, "account_id": account.pk}),
            {**custom, "metric": ["followers", "views"]},
        ),
    ]
    pages = (
        ("analytics_dashboard", {"org": org, "workspace_id": workspace.pk}, custom),
        ("analytics_account", {"org": org, "account_id": account.pk}, custom),
        ("analytics_post", {"org": org, "post_id": top_post}, {}),
        ("analytics_agency_overview", {"org": org}, custom),
    )
    measured_pages = []
    for name, kwargs, params in pages:
        try:
            urls.append((reverse(name, kwargs=kwargs), params))
            measured_pages.append(name)
        except NoReverseMatch:
            log(f"page {name} does not exist yet: not measured")
    page_samples = []
    per_url = {}
    for url, params in urls:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        samples, _r = timed(lambda url=url, params=params: client.get(url, params), repeats)
        page_samples += samples
        per_url[url] = round(statistics.median(samples), 1)
    log("per URL p50 ms: " + json.dumps(per_url))
    return {
        "database_pool": bool(connection.settings_dict.get("OPTIONS", {}).get("pool")),
        "pages_measured": measured_pages,
        "query_p50_ms": round(query_p50, 2),
        "bare_sql_p50_ms": round(bare_p50, 2),
        "ratio_p50": round(query_p50 / bare_p50, 2),
        "page_p50_ms": round(statistics.median(page_samples), 1),
        "page_p95_ms": round(p(page_samples, 0.95), 1),
    }


if __name__ == "__main__":
    sys.exit(main())
