"""The fact store the sync engine writes and reads through (``networks.sync.factstore.FactStore``).

networks defines the protocol and never imports analytics; ``AnalyticsConfig.ready()`` registers
this implementation. Every method enters the account's organisation scope itself (a Celery task
may call it before entering one) and filters on that organisation: one tenant's sync never
touches another's rows. Writes are the set-based services of ``analytics.services.ingest``;
reads are the few small queries below.
"""

import datetime as dt
from collections.abc import Mapping, Sequence

from django_scopes import scope

from analytics.models import Post
from analytics.services import ingest
from networks.models import SocialAccount
from networks.providers.base import DailyMetrics, PostMetrics
from networks.providers.base import Post as ProviderPost
from networks.sync.factstore import DuePost, SavedPosts
from overgraph import written_sql
from overgraph.written_sql import select_sql


def _posts(account: SocialAccount):
    return Post.objects.filter(organization_id=account.organization_id, account_id=account.pk)


class DatabaseFactStore:
    """Facts in this app's tables (PostgreSQL in production, SQLite in the embedded demo)."""

    def save_daily(self, account: SocialAccount, rows: Sequence[DailyMetrics]) -> int:
        with scope(organization=account.organization_id):
            return ingest.daily_metrics_save(account=account, rows=rows)

    def save_posts(self, account: SocialAccount, posts: Sequence[ProviderPost], captured_at: dt.datetime) -> SavedPosts:
        with scope(organization=account.organization_id):
            return ingest.posts_save(account=account, posts=posts, captured_at=captured_at)

    def save_post_metrics(
        self, account: SocialAccount, metrics: Mapping[str, PostMetrics], captured_at: dt.datetime
    ) -> frozenset[str]:
        with scope(organization=account.organization_id):
            return ingest.post_metrics_save(account=account, metrics=metrics, captured_at=captured_at)

    def posts_due(self, account: SocialAccount, now: dt.datetime, limit: int) -> list[DuePost]:
        # Served by the partial index post_org_account_refresh.
        with scope(organization=account.organization_id):
            fields = ("external_id", "content_type", "published_at", "last_changed_at")
            sql = select_sql(
                Post, "organization", "account", "next_refresh_at <=", fields=fields, order_by=("next_refresh_at", "pk")
            )
            rows = Post.objects.raw(f"{sql} LIMIT %s", [account.organization_id, account.pk, now, limit])
            return [DuePost(*(getattr(post, name) for name in fields)) for post in rows]

    def schedule_posts(self, account: SocialAccount, next_refresh: Mapping[str, dt.datetime | None]) -> None:
        with scope(organization=account.organization_id):
            ingest.posts_schedule(account=account, next_refresh=next_refresh)

    def latest_post(self, account: SocialAccount) -> tuple[str, dt.datetime] | None:
        with scope(organization=account.organization_id):
            sql = select_sql(
                Post,
                "organization",
                "account",
                fields=("external_id", "published_at"),
                order_by=("-published_at", "-external_id"),
                limit=1,
            )
            post = written_sql.first(Post, sql, [account.organization_id, account.pk])
            return (post.external_id, post.published_at) if post else None

    def known_post_ids(self, account: SocialAccount, published_after: dt.datetime) -> list[str]:
        with scope(organization=account.organization_id):
            return list(_posts(account).filter(published_at__gt=published_after).values_list("external_id", flat=True))

    def delete_posts(self, account: SocialAccount, external_ids: Sequence[str]) -> int:
        with scope(organization=account.organization_id):
            return ingest.posts_delete(account=account, external_ids=external_ids)

    def delete_account_facts(self, account: SocialAccount) -> None:
        with scope(organization=account.organization_id):
            ingest.account_facts_delete(account=account)
