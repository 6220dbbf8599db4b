"""Where the sync engine writes and reads facts, without importing analytics.

Dependencies point one way (``accounts`` ← ``networks`` ← ``analytics``): networks defines this
protocol, analytics implements it and registers it at start-up (``analytics/apps.py``
``ready()`` calls ``register_fact_store``). Tests may register an in-memory fake.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from networks.providers.base import DailyMetrics, Post, PostMetrics

if TYPE_CHECKING:
    from networks.models import SocialAccount


class DuePost(NamedTuple):
    external_id: str
    content_type: str
    published_at: dt.datetime
    last_changed_at: dt.datetime | None


class SavedPosts(NamedTuple):
    inserted: int
    updated: int
    changed: frozenset[str]  # external ids whose metrics changed


class FactStore(Protocol):
    def save_daily(self, account: "SocialAccount", rows: Sequence[DailyMetrics]) -> int: ...

    def save_posts(self, account: "SocialAccount", posts: Sequence[Post], captured_at: dt.datetime) -> SavedPosts:
        """Upsert posts on (organization, account, external_id) with their latest lifetime metrics
        AND append one snapshot per post at ``captured_at`` (append-only; a redelivered
        (post, captured_at) is ignored)."""
        ...

    def save_post_metrics(
        self, account: "SocialAccount", metrics: Mapping[str, PostMetrics], captured_at: dt.datetime
    ) -> frozenset[str]:
        """Merge fresh metrics into the posts' latest values (a None never erases a value) and
        append snapshots; return the external ids whose values changed."""
        ...

    def posts_due(self, account: "SocialAccount", now: dt.datetime, limit: int) -> list[DuePost]:
        """Posts whose next_refresh_at <= now, oldest due first."""
        ...

    def schedule_posts(self, account: "SocialAccount", next_refresh: Mapping[str, dt.datetime | None]) -> None:
        """Persist each post's next refresh time; None = stop refreshing that post."""
        ...

    def latest_post(self, account: "SocialAccount") -> tuple[str, dt.datetime] | None:
        """(external_id, published_at) of the newest stored post, for since_id / since."""
        ...

    def known_post_ids(self, account: "SocialAccount", published_after: dt.datetime) -> list[str]: ...

    def delete_posts(self, account: "SocialAccount", external_ids: Sequence[str]) -> int: ...

    def delete_account_facts(self, account: "SocialAccount") -> None: ...


class FactStoreMissingError(RuntimeError):
    pass


_store: FactStore | None = None


def register_fact_store(store: FactStore | None) -> None:
    """Install the fact store (analytics does at start-up; a test may swap in a fake and put the
    previous one back — None unregisters)."""
    global _store  # noqa: PLW0603 — one process-wide registry, set once at start-up
    _store = store


def fact_store() -> FactStore:
    if _store is None:
        raise FactStoreMissingError(
            "No fact store registered: analytics registers one in AppConfig.ready() "
            "(is 'analytics' in INSTALLED_APPS?), tests may register a fake."
        )
    return _store
