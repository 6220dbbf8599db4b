"""A snapshot never outlives its post, without a foreign-key constraint: ingest and deletion of the
same post serialise by their locks (analytics/services/ingest.py), and a weekly sweep deletes what
a deletion outside that protocol leaves. The races need two sessions: PostgreSQL only."""

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from analytics.models import Post, PostMetricsSnapshot
from analytics.services.ingest import snapshots_orphaned_delete
from analytics.tests.factories import NOW, make_post, posts_of, snapshots_of
from networks.providers.base import PostMetrics

LATER = NOW + dt.timedelta(hours=1)
WAIT = 10  # seconds: a thread that never gets there fails the test instead of hanging it

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (two sessions and row locks): run with DATABASE_URL=postgres://…",
)


def _orphans() -> int:
    snapshots, posts = PostMetricsSnapshot._meta.db_table, Post._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {snapshots} WHERE NOT EXISTS "  # noqa: S608 — names from model metadata
            f"(SELECT 1 FROM {posts} WHERE {posts}.id = {snapshots}.post_id)"
        )
        return cursor.fetchone()[0]


def _start(function: Callable[[], None], errors: list) -> threading.Thread:
    def run() -> None:
        try:
            function()
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own session

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _hold(work: Callable[[], object], holding: threading.Event, release: threading.Event) -> Callable[[], None]:
    """``work`` in a transaction left open (its locks held) until ``release``."""

    def run() -> None:
        with transaction.atomic():
            work()
            holding.set()
            release.wait(WAIT)

    return run


@pytest.mark.postgres
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_makes_a_deletion_wait_for_an_ingest_in_progress(accounts, store):
    a = accounts.a
    store.save_posts(a, [make_post("1", likes=1)], NOW)
    holding, release, errors, deleted = threading.Event(), threading.Event(), [], []

    ingest = _start(
        _hold(lambda: store.save_post_metrics(a, {"1": PostMetrics(likes=2)}, LATER), holding, release), errors
    )
    assert holding.wait(WAIT)
    deletion = _start(lambda: deleted.append(store.delete_posts(a, ["1"])), errors)
    time.sleep(0.5)
    assert deleted == []  # waiting for the ingest's lock on the post
    release.set()
    ingest.join(WAIT), deletion.join(WAIT)

    assert errors == [] and deleted == [1]
    assert posts_of(a) == {} and snapshots_of(a) == [] and _orphans() == 0


@pytest.mark.postgres
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_makes_an_ingest_wait_for_a_deletion_in_progress(accounts, store):
    a = accounts.a
    store.save_posts(a, [make_post("1", likes=1), make_post("2", likes=1)], NOW)
    holding, release, errors, changed, saved = threading.Event(), threading.Event(), [], [], []

    deletion = _start(_hold(lambda: store.delete_posts(a, ["1", "2"]), holding, release), errors)
    assert holding.wait(WAIT)
    metrics = _start(lambda: changed.append(store.save_post_metrics(a, {"1": PostMetrics(likes=5)}, LATER)), errors)
    page = _start(lambda: saved.append(store.save_posts(a, [make_post("2", likes=7)], LATER)), errors)
    time.sleep(0.5)
    assert changed == [] and saved == []  # both wait for the deletion's locks
    release.set()
    for thread in (deletion, metrics, page):
        thread.join(WAIT)

    assert errors == []
    assert changed == [frozenset()]  # the post is gone: no reading stored for it
    assert saved[0].inserted == 1  # the page brings post 2 back, as a new post with its snapshot
    assert [(s.post.external_id, s.likes) for s in snapshots_of(a)] == [("2", 7)]
    assert _orphans() == 0


def test_it_sweeps_the_snapshots_of_posts_deleted_outside_the_protocol(accounts, store):
    for account in (accounts.a, accounts.b):
        store.save_posts(account, [make_post("1", likes=1), make_post("2", likes=2)], NOW)
    gone = posts_of(accounts.a)["1"].pk
    with connection.cursor() as cursor:  # what no code of ours does: a raw delete of one post
        cursor.execute(f"DELETE FROM {Post._meta.db_table} WHERE id = %s", [gone])  # noqa: S608
    assert _orphans() == 1

    assert snapshots_orphaned_delete() == 1

    assert _orphans() == 0
    assert [s.post.external_id for s in snapshots_of(accounts.a)] == ["2"]
    assert len(snapshots_of(accounts.b)) == 2


def test_it_sweeps_orphans_weekly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["analytics-snapshots-orphans"]
    assert entry["task"] == "analytics.tasks.snapshots_orphans_sweep"
    assert entry["schedule"] == 7 * 86400.0
