"""An in-memory FactStore for the sync engine's tests: the contract of networks/sync/factstore.py
kept in dictionaries, so the engine is tested without analytics (which implements the real one)."""

import datetime as dt
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from networks.models import SocialAccount
from networks.providers.base import DailyMetrics, Post, PostMetrics
from networks.sync import factstore
from networks.sync.factstore import DuePost, SavedPosts


@dataclass
class StoredPost:
    post: Post
    metrics: PostMetrics
    next_refresh_at: dt.datetime | None = None
    last_changed_at: dt.datetime | None = None


@dataclass
class MemoryFactStore:
    daily: dict[tuple[int, dt.date], DailyMetrics] = field(default_factory=dict)
    posts: dict[tuple[int, str], StoredPost] = field(default_factory=dict)
    snapshots: dict[tuple[int, str, dt.datetime], PostMetrics] = field(default_factory=dict)
    snapshot_writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def save_daily(self, account: SocialAccount, rows: Sequence[DailyMetrics]) -> int:
        with self.lock:
            for row in rows:
                self.daily[(account.pk, row.day)] = row
        return len(rows)

    def _snapshot(self, account: SocialAccount, external_id: str, captured_at: dt.datetime, metrics) -> None:
        self.snapshot_writes += 1
        self.snapshots.setdefault((account.pk, external_id, captured_at), metrics)

    def save_posts(self, account: SocialAccount, posts: Sequence[Post], captured_at: dt.datetime) -> SavedPosts:
        inserted = updated = 0
        changed = set()
        with self.lock:
            for post in posts:
                key = (account.pk, post.external_id)
                stored = self.posts.get(key)
                if stored is None:
                    self.posts[key] = StoredPost(post, post.metrics, last_changed_at=captured_at)
                    inserted += 1
                    changed.add(post.external_id)
                else:
                    merged = post.metrics.merged(stored.metrics)
                    if merged != stored.metrics:
                        changed.add(post.external_id)
                        stored.last_changed_at = captured_at
                    stored.post, stored.metrics = post, merged
                    updated += 1
                self._snapshot(account, post.external_id, captured_at, self.posts[key].metrics)
        return SavedPosts(inserted, updated, frozenset(changed))

    def save_post_metrics(
        self, account: SocialAccount, metrics: Mapping[str, PostMetrics], captured_at: dt.datetime
    ) -> frozenset[str]:
        changed = set()
        with self.lock:
            for external_id, fresh in metrics.items():
                stored = self.posts.get((account.pk, external_id))
                if stored is None:
                    continue
                merged = fresh.merged(stored.metrics)
                if merged != stored.metrics:
                    changed.add(external_id)
                    stored.metrics, stored.last_changed_at = merged, captured_at
                self._snapshot(account, external_id, captured_at, merged)
        return frozenset(changed)

    def posts_due(self, account: SocialAccount, now: dt.datetime, limit: int) -> list[DuePost]:
        with self.lock:
            due = [
                s
                for (pk, _), s in self.posts.items()
                if pk == account.pk and s.next_refresh_at is not None and s.next_refresh_at <= now
            ]
        due.sort(key=lambda s: s.next_refresh_at)
        return [
            DuePost(s.post.external_id, s.post.content_type, s.post.published_at, s.last_changed_at)
            for s in due[:limit]
        ]

    def schedule_posts(self, account: SocialAccount, next_refresh: Mapping[str, dt.datetime | None]) -> None:
        with self.lock:
            for external_id, moment in next_refresh.items():
                stored = self.posts.get((account.pk, external_id))
                if stored is not None:
                    stored.next_refresh_at = moment

    def latest_post(self, account: SocialAccount) -> tuple[str, dt.datetime] | None:
        mine = [s.post for (pk, _), s in self.posts.items() if pk == account.pk]
        if not mine:
            return None
        newest = max(mine, key=lambda p: p.published_at)
        return newest.external_id, newest.published_at

    def known_post_ids(self, account: SocialAccount, published_after: dt.datetime) -> list[str]:
        return [i for (pk, i), s in self.posts.items() if pk == account.pk and s.post.published_at > published_after]

    def delete_posts(self, account: SocialAccount, external_ids: Sequence[str]) -> int:
        return sum(1 for i in external_ids if self.posts.pop((account.pk, i), None))

    def delete_account_facts(self, account: SocialAccount) -> None:
        for key in [k for k in self.posts if k[0] == account.pk]:
            del self.posts[key]

    # Helpers for assertions.
    def account_posts(self, account: SocialAccount) -> dict[str, StoredPost]:
        return {i: s for (pk, i), s in self.posts.items() if pk == account.pk}

    def account_days(self, account: SocialAccount) -> dict[dt.date, DailyMetrics]:
        return {d: r for (pk, d), r in self.daily.items() if pk == account.pk}


@contextmanager
def memory_store() -> Iterator[MemoryFactStore]:
    """Register a fresh in-memory store for a test, and put the previous one back afterwards."""
    previous = factstore._store
    store = MemoryFactStore()
    factstore.register_fact_store(store)
    try:
        yield store
    finally:
        factstore.register_fact_store(previous)
