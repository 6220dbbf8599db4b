"""Writes of the stored facts the sync engine brings in: set-based (``analytics.services.bulk``),
never one query per post, always within the account's organisation.

A value a network did not report this time never erases one it reported before: the upserts
``COALESCE`` new and stored counters. Snapshots hold what each read returned, NULL included.

"A snapshot never outlives its post" is a locking protocol, not a foreign-key constraint (its
check at commit cost a third of ingest's time: docs/performance.md "Ingest"). On PostgreSQL:

* the writes that append snapshots read their posts' ids with ``SELECT … FOR NO KEY UPDATE``
  (``_stored``), in id order, inside their transaction — the lock the post's own update takes
  anyway, taken before the ids are used; a post they insert is invisible to others until commit;
* deletions lock the posts ``FOR UPDATE`` (id order) before deleting what references them
  (``_delete_posts_where``).

So a deletion and an ingest of the same post serialise: the ingest either waits for the deletion
and no longer finds the post, or goes first and the deletion then sees (and deletes) its
snapshots. Django's own cascades (an organisation or account deleted through the ORM) do not take
these locks: ``snapshots_orphaned_delete`` (weekly, analytics/tasks.py) sweeps what one racing an
ingest could leave. SQLite (the embedded demo) has one writer at a time.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from django.db import connection, transaction

from analytics.factcache import facts_changed
from analytics.models import DAILY_FIELDS, METRIC_FIELDS, AccountDailyMetrics, Post, PostMetricsSnapshot
from analytics.services.bulk import UpsertSpec, bulk_update, bulk_upsert, bulk_upsert_returning
from networks.models import SocialAccount
from networks.providers import base
from networks.sync.factstore import SavedPosts
from overgraph.written_sql import in_list, select_sql

POST_KEY = ("organization", "account", "external_id")
POST_COLUMNS = (
    *POST_KEY,
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
    "original_metrics",
    *METRIC_FIELDS,
    "first_seen_at",
    "metrics_updated_at",
    "last_changed_at",
)
POSTS = UpsertSpec(
    model=Post,
    columns=POST_COLUMNS,
    key=POST_KEY,
    update=tuple(c for c in POST_COLUMNS if c not in (*POST_KEY, "first_seen_at")),
    # last_changed_at is passed only for posts whose counters moved.
    keep_when_null=(*METRIC_FIELDS, "original_metrics", "last_changed_at"),
)
POST_METRICS = UpsertSpec(
    model=Post,
    columns=(*POST_KEY, *METRIC_FIELDS, "metrics_updated_at", "last_changed_at"),
    key=POST_KEY,
    update=(*METRIC_FIELDS, "metrics_updated_at", "last_changed_at"),
    keep_when_null=(*METRIC_FIELDS, "last_changed_at"),
)
POST_SCHEDULE = UpsertSpec(
    model=Post, columns=(*POST_KEY, "next_refresh_at"), key=POST_KEY, update=("next_refresh_at",)
)
SNAPSHOT_KEY = ("organization", "post", "captured_at")
SNAPSHOTS = UpsertSpec(model=PostMetricsSnapshot, columns=(*SNAPSHOT_KEY, *METRIC_FIELDS), key=SNAPSHOT_KEY)
DAILY_KEY = ("organization", "account", "date")
DAILY = UpsertSpec(
    model=AccountDailyMetrics,
    columns=(*DAILY_KEY, *DAILY_FIELDS, "updated_at"),
    key=DAILY_KEY,
    update=(*DAILY_FIELDS, "updated_at"),
    keep_when_null=DAILY_FIELDS,
)

# Batches from a network are pages of ≤ 100 posts; a long list of ids is read in chunks so a
# backfill never hits SQLite's limit on query parameters.
READ_CHUNK = 5_000

Counters = tuple[Any, ...]
NOTHING: Counters = (None,) * len(METRIC_FIELDS)


def _counters(metrics: base.PostMetrics | None) -> Counters:
    """A post's counters in METRIC_FIELDS order, as Python values comparable with stored ones."""
    if metrics is None:
        return NOTHING
    values = [getattr(metrics, name) for name in METRIC_FIELDS]
    reactions = METRIC_FIELDS.index("reactions_by_type")
    if values[reactions] is not None:
        values[reactions] = dict(values[reactions])
    return tuple(values)


def _merged(new: Counters, old: Counters) -> Counters:
    """A None never erases a value."""
    return tuple(o if n is None else n for n, o in zip(new, old, strict=True))


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, READ_CHUNK)):
        yield chunk


def _stored(account: SocialAccount, external_ids: Sequence[str]) -> dict[str, tuple[int, Counters]]:
    """Id and counters of the account's stored posts among ``external_ids`` (one query a chunk),
    locked until the caller's transaction ends: their snapshots are written next (see above)."""
    stored: dict[str, tuple[int, Counters]] = {}
    sql = select_sql(
        Post,
        "organization",
        "account",
        "external_id in",
        fields=("external_id", *METRIC_FIELDS),
        order_by=("pk",),
        lock="FOR NO KEY UPDATE",
    )
    for chunk in _chunks(external_ids):
        text, values = in_list(sql, chunk)
        for post in Post.objects.raw(text, [account.organization_id, account.pk, *values]):
            stored[post.external_id] = (post.pk, tuple(getattr(post, name) for name in METRIC_FIELDS))
    return stored


def _ids(account: SocialAccount, external_ids: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(external_ids):
        ids.update(
            Post.objects.filter(
                organization_id=account.organization_id, account_id=account.pk, external_id__in=chunk
            ).values_list("external_id", "id")
        )
    return ids


def _append_snapshots(
    account: SocialAccount, readings: Iterable[tuple[int, Counters]], captured_at: dt.datetime
) -> int:
    """One snapshot per (post id, counters) read at ``captured_at``; a read that measured nothing
    (an X repost: its counts are the original's) is no point of the post's curve and is skipped.
    A redelivered (post, captured_at) is ignored."""
    rows = (
        (account.organization_id, post_id, captured_at, *counters)
        for post_id, counters in readings
        if counters != NOTHING
    )
    return bulk_upsert(SNAPSHOTS, rows)


@transaction.atomic
def posts_save(*, account: SocialAccount, posts: Sequence[base.Post], captured_at: dt.datetime) -> SavedPosts:
    """Upsert ``posts`` with their latest lifetime counters and append one snapshot each at
    ``captured_at``. Idempotent: the same batch twice leaves the same rows."""
    batch = {post.external_id: post for post in posts}  # a repeated id: the last one wins
    if not batch:
        return SavedPosts(inserted=0, updated=0, changed=frozenset())
    stored = _stored(account, list(batch))
    changed: set[str] = set()
    rows = []
    for external_id, post in batch.items():
        new = _counters(post.metrics)
        old = stored[external_id][1] if external_id in stored else NOTHING
        if _merged(new, old) != old:
            changed.add(external_id)
        original = _counters(post.original_metrics) if post.original_metrics is not None else None
        rows.append(
            (
                account.organization_id,
                account.pk,
                external_id,
                post.published_at,
                post.kind,
                post.content_type,
                post.text,
                post.permalink,
                post.media_url,
                list(post.hashtags),
                post.referenced_id,
                post.author_id,
                post.author_handle,
                {k: v for k, v in zip(METRIC_FIELDS, original, strict=True) if v is not None}
                if original is not None
                else None,
                *new,
                captured_at,
                captured_at,
                captured_at if external_id in changed else None,
            )
        )
    if connection.vendor == "postgresql":  # the new posts' ids come back from the upsert itself
        ids = dict(bulk_upsert_returning(POSTS, rows, ("external_id", "id")))
    else:
        bulk_upsert(POSTS, rows)
        ids = {external_id: pk for external_id, (pk, _) in stored.items()}
        if new_ids := [external_id for external_id in batch if external_id not in stored]:
            ids.update(_ids(account, new_ids))
    _append_snapshots(
        account, ((ids[external_id], _counters(post.metrics)) for external_id, post in batch.items()), captured_at
    )
    facts_changed(account.organization_id)
    return SavedPosts(inserted=len(batch) - len(stored), updated=len(stored), changed=frozenset(changed))


@transaction.atomic
def post_metrics_save(
    *, account: SocialAccount, metrics: Mapping[str, base.PostMetrics], captured_at: dt.datetime
) -> frozenset[str]:
    """Merge fresh counters into stored posts (a None keeps the stored value) and append their
    snapshots. Posts not stored (deleted meanwhile) are ignored. Returns the ids that changed."""
    stored = _stored(account, list(metrics))
    changed: set[str] = set()
    rows = []
    readings = []
    for external_id, (post_id, old) in stored.items():
        new = _counters(metrics[external_id])
        if _merged(new, old) != old:
            changed.add(external_id)
        rows.append(
            (
                account.organization_id,
                account.pk,
                external_id,
                *new,
                captured_at,
                captured_at if external_id in changed else None,
            )
        )
        readings.append((post_id, new))
    if rows:
        bulk_update(POST_METRICS, rows)
        _append_snapshots(account, readings, captured_at)
        facts_changed(account.organization_id)
    return frozenset(changed)


def posts_schedule(*, account: SocialAccount, next_refresh: Mapping[str, dt.datetime | None]) -> int:
    """Store when each post is read again (None: never). Returns the number of posts updated.
    One bulk write, a transaction of its own when it needs one (bulk_update)."""
    rows = [(account.organization_id, account.pk, external_id, at) for external_id, at in next_refresh.items()]
    return bulk_update(POST_SCHEDULE, rows) if rows else 0


def daily_metrics_save(*, account: SocialAccount, rows: Sequence[base.DailyMetrics]) -> int:
    """Upsert one row per day (the network's day as the provider dated it). A None keeps the
    stored value: one sync may bring followers, a later one the day's views. One bulk write, a
    transaction of its own when it needs one (bulk_upsert)."""
    now = dt.datetime.now(tz=dt.UTC)
    by_day = {row.day: row for row in rows}  # a repeated day: the last one wins
    values = (
        (account.organization_id, account.pk, day, *(getattr(row, name) for name in DAILY_FIELDS), now)
        for day, row in by_day.items()
    )
    if not by_day:
        return 0
    saved = bulk_upsert(DAILY, values)
    facts_changed(account.organization_id)
    return saved


def _delete_posts_where(account: SocialAccount, **lookups: Any) -> int:
    """Delete the account's posts matching ``lookups`` with every row that references them.

    The dependents (snapshots, theme labels…) go first, each filtered by organisation, the first
    column of its indexes; then the posts with one raw delete. Django's collector would load every
    post and delete each dependent by post id alone, which no index serves (there is none on
    post_id by itself, on purpose: DESIGN.md "Performance budgets"). Every model referencing Post
    is a tenant table with its own organisation and CASCADE (test_it_deletes_what_references_posts).

    The posts are locked first (id order, as ingest locks them): an ingest of one of them in
    progress finishes before its snapshots are deleted, and one starting later waits, then no
    longer finds the post — no snapshot outlives its post (see the module's docstring).
    """
    posts = Post.objects.filter(organization_id=account.organization_id, account_id=account.pk, **lookups)
    if not list(posts.select_for_update().order_by("pk").values_list("pk", flat=True)):
        return 0  # nothing to delete (SQLite: no FOR UPDATE, the read still answers this)
    for relation in Post._meta.related_objects:
        relation.related_model._default_manager.filter(
            organization_id=account.organization_id, **{f"{relation.field.name}__in": posts.values("pk")}
        ).delete()
    return posts._raw_delete(posts.db)


@transaction.atomic
def posts_delete(*, account: SocialAccount, external_ids: Sequence[str]) -> int:
    """Delete posts gone from the network (compliance) with their snapshots. Returns how many."""
    deleted = sum(_delete_posts_where(account, external_id__in=chunk) for chunk in _chunks(list(external_ids)))
    if deleted:
        facts_changed(account.organization_id)
    return deleted


def snapshots_orphaned_delete() -> int:
    """Delete snapshots whose post is gone: only a deletion outside the locking protocol (Django's
    cascade of an organisation or account racing an ingest) can leave one. A platform job across
    every tenant (the anti-join reads the whole table once). Returns how many were deleted."""
    snapshots, posts = PostMetricsSnapshot._meta.db_table, Post._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {snapshots} WHERE NOT EXISTS "  # noqa: S608 — table names from model metadata
            f"(SELECT 1 FROM {posts} WHERE {posts}.id = {snapshots}.post_id)"
        )
        return cursor.rowcount


@transaction.atomic
def account_facts_delete(*, account: SocialAccount) -> None:
    """Delete every fact of one account (disconnection, a data-deletion request)."""
    _delete_posts_where(account)
    AccountDailyMetrics.objects.filter(organization_id=account.organization_id, account_id=account.pk).delete()
    facts_changed(account.organization_id)
