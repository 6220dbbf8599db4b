"""The fact store the sync engine writes through: idempotent, NULL-preserving, tenant-scoped and
set-based. Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scopes_disabled

from accounts.models import Organization
from analytics.factstore import DatabaseFactStore
from analytics.models import AccountDailyMetrics, Post, PostMetricsSnapshot
from analytics.tests.factories import NOW, daily_of, facts_of, make_post, posts_of, snapshots_of
from networks.providers.base import DailyMetrics, PostKind, PostMetrics
from networks.sync.factstore import DuePost, SavedPosts, fact_store

LATER = NOW + dt.timedelta(hours=1)


def test_it_is_registered_at_start_up():
    assert isinstance(fact_store(), DatabaseFactStore)


def test_it_saves_posts_with_one_snapshot_each(accounts, store):
    saved = store.save_posts(accounts.a, [make_post("1", likes=3, views=40), make_post("2", likes=0)], NOW)

    assert saved == SavedPosts(inserted=2, updated=0, changed=frozenset({"1", "2"}))
    posts = posts_of(accounts.a)
    assert (posts["1"].likes, posts["1"].views, posts["2"].likes) == (3, 40, 0)
    assert posts["1"].hashtags == ["Boulogne"]
    assert posts["1"].organization_id == accounts.a.organization_id
    assert posts["1"].metrics_updated_at == NOW
    assert posts["1"].last_changed_at == NOW
    assert posts["1"].next_refresh_at is None  # the sync engine schedules it
    assert [(s.post.external_id, s.captured_at, s.likes) for s in snapshots_of(accounts.a)] == [
        ("1", NOW, 3),
        ("2", NOW, 0),
    ]


def test_it_is_idempotent_for_the_same_batch(accounts, store):
    batch = [make_post(str(i), likes=i, views=10 * i) for i in range(1, 6)]
    store.save_posts(accounts.a, batch, NOW)
    before = facts_of(accounts.a)

    again = store.save_posts(accounts.a, batch, NOW)

    assert again == SavedPosts(inserted=0, updated=5, changed=frozenset())
    assert facts_of(accounts.a) == before
    assert len(snapshots_of(accounts.a)) == 5


def test_it_keeps_the_last_of_a_repeated_post_in_one_batch(accounts, store):
    saved = store.save_posts(accounts.a, [make_post("1", likes=1), make_post("1", likes=2)], NOW)

    assert saved.inserted == 1
    assert posts_of(accounts.a)["1"].likes == 2
    assert [s.likes for s in snapshots_of(accounts.a)] == [2]


def test_it_appends_a_snapshot_per_read(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1)], NOW)
    store.save_posts(accounts.a, [make_post("1", likes=5)], LATER)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=9)}, LATER + dt.timedelta(hours=1))

    assert [(s.captured_at, s.likes) for s in snapshots_of(accounts.a)] == [
        (NOW, 1),
        (LATER, 5),
        (LATER + dt.timedelta(hours=1), 9),
    ]
    assert posts_of(accounts.a)["1"].likes == 9


def test_it_never_erases_a_value_with_none(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=3, views=40, saves=2)], NOW)

    store.save_posts(accounts.a, [make_post("1", likes=4)], LATER)
    changed = store.save_post_metrics(accounts.a, {"1": PostMetrics(views=None, saves=None)}, LATER)

    post = posts_of(accounts.a)["1"]
    assert (post.likes, post.views, post.saves) == (4, 40, 2)
    assert changed == frozenset()


def test_it_keeps_null_when_a_network_never_reported_a_metric(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=3)], NOW)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=4)}, LATER)

    post = posts_of(accounts.a)["1"]
    assert (post.views, post.reach, post.saves, post.reactions_by_type) == (None, None, None, None)
    for snapshot in snapshots_of(accounts.a):
        assert (snapshot.views, snapshot.reach, snapshot.saves) == (None, None, None)


def test_it_keeps_a_reposts_counts_apart(accounts, store):
    original = PostMetrics(likes=500, shares=120, views=9000)
    repost = make_post("9", kind=PostKind.REPOST, original_metrics=original)

    saved = store.save_posts(accounts.a, [repost], NOW)

    post = posts_of(accounts.a)["9"]
    assert post.kind == PostKind.REPOST
    assert (post.likes, post.shares, post.views) == (None, None, None)
    assert post.original_metrics == {"likes": 500, "shares": 120, "views": 9000}
    # A read that measured nothing of the account's own is no point of a curve.
    assert snapshots_of(accounts.a) == []
    assert saved.changed == frozenset()


def test_it_stores_facebook_reactions_and_watch_time(accounts, store):
    reactions = {"like": 10, "love": 3, "haha": 1}
    post = make_post("p_1", likes=14, reactions_by_type=reactions, avg_watch_time_ms=5400, bookmarks=None)

    store.save_posts(accounts.a2, [post], NOW)

    stored = posts_of(accounts.a2)["p_1"]
    assert (stored.likes, stored.reactions_by_type, stored.avg_watch_time_ms) == (14, reactions, 5400)
    assert snapshots_of(accounts.a2)[0].reactions_by_type == reactions
    assert store.save_post_metrics(accounts.a2, {"p_1": PostMetrics(reactions_by_type=dict(reactions))}, LATER) == (
        frozenset()
    )
    grown = store.save_post_metrics(accounts.a2, {"p_1": PostMetrics(reactions_by_type={**reactions, "wow": 1})}, LATER)
    assert grown == frozenset({"p_1"})


def test_it_tells_which_posts_changed_and_when(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1), make_post("2", likes=1)], NOW)

    saved = store.save_posts(accounts.a, [make_post("1", likes=2), make_post("2", likes=1)], LATER)
    changed = store.save_post_metrics(
        accounts.a, {"1": PostMetrics(likes=2), "2": PostMetrics(likes=7)}, LATER + dt.timedelta(hours=1)
    )

    assert saved.changed == frozenset({"1"})
    assert changed == frozenset({"2"})
    posts = posts_of(accounts.a)
    assert posts["1"].last_changed_at == LATER
    assert posts["2"].last_changed_at == LATER + dt.timedelta(hours=1)
    assert posts["1"].metrics_updated_at == LATER + dt.timedelta(hours=1)


def test_it_ignores_metrics_of_posts_it_does_not_store(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1)], NOW)

    changed = store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=2), "gone": PostMetrics(likes=5)}, LATER)

    assert changed == frozenset({"1"})
    assert set(posts_of(accounts.a)) == {"1"}
    assert store.save_post_metrics(accounts.a, {}, LATER) == frozenset()


def test_it_updates_what_a_post_says(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1)], NOW)
    edited = replace(make_post("1", likes=1), text="Edited", media_url="https://cdn.example/new.jpg")

    store.save_posts(accounts.a, [edited], LATER)

    post = posts_of(accounts.a)["1"]
    assert (post.text, post.media_url, post.first_seen_at <= post.metrics_updated_at) == (
        "Edited",
        "https://cdn.example/new.jpg",
        True,
    )


def test_it_keeps_the_date_of_a_pacific_day(accounts, store):
    # Meta's day 2026-03-08 ends at 08:00 UTC on the 9th: the provider dated it, the store keeps it.
    days = [DailyMetrics(day=dt.date(2026, 3, 8), followers=1200, views=340), DailyMetrics(day=dt.date(2026, 3, 9))]

    assert store.save_daily(accounts.a2, days) == 2
    store.save_daily(accounts.a2, [DailyMetrics(day=dt.date(2026, 3, 8), follows=4)])

    stored = daily_of(accounts.a2)
    assert set(stored) == {dt.date(2026, 3, 8), dt.date(2026, 3, 9)}
    row = stored[dt.date(2026, 3, 8)]
    assert (row.followers, row.views, row.follows, row.reach) == (1200, 340, 4, None)
    assert stored[dt.date(2026, 3, 9)].followers is None
    assert store.save_daily(accounts.a2, []) == 0


def test_it_lists_posts_due_oldest_first(accounts, store):
    store.save_posts(accounts.a, [make_post(str(i), likes=i) for i in range(1, 5)], NOW)
    store.schedule_posts(
        accounts.a,
        {"1": NOW + dt.timedelta(minutes=30), "2": NOW - dt.timedelta(minutes=5), "3": NOW, "4": None},
    )

    due = store.posts_due(accounts.a, NOW, limit=10)

    assert [p.external_id for p in due] == ["2", "3"]
    assert due[0] == DuePost("2", "text", NOW - dt.timedelta(hours=2), NOW)
    assert [p.external_id for p in store.posts_due(accounts.a, NOW + dt.timedelta(hours=1), limit=2)] == ["2", "3"]


def test_it_stops_refreshing_a_post_scheduled_with_none(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1)], NOW)
    store.schedule_posts(accounts.a, {"1": NOW})

    store.schedule_posts(accounts.a, {"1": None, "unknown": NOW})

    assert posts_of(accounts.a)["1"].next_refresh_at is None
    assert store.posts_due(accounts.a, NOW + dt.timedelta(days=365), limit=10) == []
    store.schedule_posts(accounts.a, {})


def test_it_keeps_the_schedule_when_a_post_is_saved_again(accounts, store):
    store.save_posts(accounts.a, [make_post("1", likes=1)], NOW)
    store.schedule_posts(accounts.a, {"1": LATER})

    store.save_posts(accounts.a, [make_post("1", likes=2)], LATER)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=3)}, LATER)

    assert posts_of(accounts.a)["1"].next_refresh_at == LATER


def test_it_gives_the_latest_post_and_the_known_ids(accounts, store):
    assert store.latest_post(accounts.a) is None
    store.save_posts(
        accounts.a,
        [
            make_post("old", published_at=NOW - dt.timedelta(days=10)),
            make_post("new", published_at=NOW - dt.timedelta(hours=1)),
            make_post("mid", published_at=NOW - dt.timedelta(days=2)),
        ],
        NOW,
    )

    assert store.latest_post(accounts.a) == ("new", NOW - dt.timedelta(hours=1))
    assert sorted(store.known_post_ids(accounts.a, NOW - dt.timedelta(days=3))) == ["mid", "new"]


def test_it_deletes_posts_with_their_snapshots(accounts, store):
    store.save_posts(accounts.a, [make_post(str(i), likes=i) for i in range(1, 4)], NOW)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=10), "2": PostMetrics(likes=20)}, LATER)

    deleted = store.delete_posts(accounts.a, ["1", "2", "never-stored"])

    assert deleted == 2
    assert set(posts_of(accounts.a)) == {"3"}
    assert [s.post.external_id for s in snapshots_of(accounts.a)] == ["3"]
    assert store.delete_posts(accounts.a, []) == 0


def test_it_deletes_every_fact_of_one_account(accounts, store):
    for account in (accounts.a, accounts.a2):
        store.save_posts(account, [make_post("1", likes=1), make_post("2", likes=2)], NOW)
        store.save_daily(account, [DailyMetrics(day=dt.date(2026, 11, 29), followers=10)])
    kept = facts_of(accounts.a2)

    store.delete_account_facts(accounts.a)

    assert facts_of(accounts.a) == ([], [], [])
    assert facts_of(accounts.a2) == kept


def test_it_deletes_what_references_posts():
    """ingest._delete_posts_where deletes a post's dependents itself, set-based and by
    organisation, as Django's CASCADE would: each must be a tenant table that cascades."""
    dependents = Post._meta.related_objects
    assert PostMetricsSnapshot in {relation.related_model for relation in dependents}
    for relation in dependents:
        assert relation.on_delete is models.CASCADE, relation
        assert relation.related_model._meta.get_field("organization").related_model is Organization, relation


def test_it_never_touches_another_organizations_rows(accounts, store):
    """Account b (organisation B) has the same id on X as account a, and posts with the same ids."""
    store.save_posts(accounts.b, [make_post("1", likes=100), make_post("2", likes=200)], NOW)
    store.save_daily(accounts.b, [DailyMetrics(day=dt.date(2026, 11, 29), followers=5000)])
    store.schedule_posts(accounts.b, {"1": NOW, "2": NOW})
    theirs = facts_of(accounts.b)

    store.save_posts(accounts.a, [make_post("1", likes=1, views=3), make_post("2", likes=2)], NOW)
    store.save_posts(accounts.a, [make_post("1", likes=7)], LATER)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=8), "2": PostMetrics(likes=9)}, LATER)
    store.save_daily(accounts.a, [DailyMetrics(day=dt.date(2026, 11, 29), followers=12)])
    store.schedule_posts(accounts.a, {"1": None, "2": LATER})
    assert [p.external_id for p in store.posts_due(accounts.a, LATER, limit=10)] == ["2"]
    assert store.latest_post(accounts.a)[0] in {"1", "2"}
    store.delete_posts(accounts.a, ["1"])
    assert facts_of(accounts.b) == theirs

    store.delete_account_facts(accounts.a)

    assert facts_of(accounts.b) == theirs
    assert sorted(store.known_post_ids(accounts.b, NOW - dt.timedelta(days=1))) == ["1", "2"]


def test_it_goes_with_its_organization(tenancy, accounts, store):
    """The snapshot's organisation has no database constraint (it is its post's): Django's cascade
    still deletes an organisation's snapshots, and only them."""
    for account in (accounts.a, accounts.b):
        store.save_posts(account, [make_post("1", likes=1)], NOW)
        store.save_post_metrics(account, {"1": PostMetrics(likes=2)}, LATER)
    theirs = facts_of(accounts.b)

    with scopes_disabled():
        tenancy.org_a.delete()
        assert not PostMetricsSnapshot.objects.filter(organization_id=accounts.a.organization_id).exists()

    assert facts_of(accounts.b) == theirs


@pytest.mark.parametrize("model", [Post, PostMetricsSnapshot, AccountDailyMetrics])
def test_it_refuses_unscoped_queries(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_it_saves_posts_in_a_constant_number_of_queries(accounts, store):
    """Set-based: the same statements for 1 post as for 200 (on PostgreSQL the COPY into the
    staging table is not seen by Django's query log: one per upsert, constant too)."""
    one = [make_post("solo", likes=1)]
    many = [make_post(str(i), likes=i, views=i) for i in range(200)]
    metrics = {str(i): PostMetrics(likes=i + 1) for i in range(200)}

    insert_one = _queries(lambda: store.save_posts(accounts.a, one, NOW))
    insert_many = _queries(lambda: store.save_posts(accounts.a, many, NOW))
    update_one = _queries(lambda: store.save_posts(accounts.a, one, LATER))
    update_many = _queries(lambda: store.save_posts(accounts.a, many, LATER))
    metrics_one = _queries(lambda: store.save_post_metrics(accounts.a, {"solo": PostMetrics(likes=5)}, LATER))
    metrics_many = _queries(lambda: store.save_post_metrics(accounts.a, metrics, LATER + dt.timedelta(hours=1)))
    schedule_many = _queries(lambda: store.schedule_posts(accounts.a, dict.fromkeys(metrics, LATER)))

    assert insert_one == insert_many
    assert update_one == update_many
    assert metrics_one == metrics_many
    assert insert_many <= 16
    assert schedule_many <= 8
    # (solo, LATER) was already read by the second save_posts: that snapshot is not repeated.
    assert len(snapshots_of(accounts.a)) == 1 + 200 + 1 + 200 + 200
