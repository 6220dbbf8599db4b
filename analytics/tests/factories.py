"""Factory-style helpers of the analytics tests: every row is made for an explicit organisation
(through its account)."""

import datetime as dt
from typing import Any

from django_scopes import scope

from accounts.models import Workspace
from analytics.models import AccountDailyMetrics, Post, PostMetricsSnapshot
from networks.models import SocialAccount
from networks.providers import base

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def make_account(workspace: Workspace, *, network: str = "x", external_id: str = "100") -> SocialAccount:
    organization = workspace.organization
    with scope(organization=organization):
        return SocialAccount.objects.create(
            organization=organization,
            workspace=workspace,
            network=network,
            external_id=external_id,
            handle=f"{network}{external_id}",
        )


def make_post(
    external_id: str,
    *,
    published_at: dt.datetime = NOW - dt.timedelta(hours=2),
    kind: str = base.PostKind.ORIGINAL,
    content_type: str = base.ContentType.TEXT,
    original_metrics: base.PostMetrics | None = None,
    **metrics: Any,
) -> base.Post:
    """A post as a provider returns it; ``metrics`` are PostMetrics fields (None: not reported)."""
    return base.Post(
        external_id=external_id,
        published_at=published_at,
        kind=kind,
        content_type=content_type,
        text=f"Post {external_id} #Boulogne",
        permalink=f"https://x.com/i/web/status/{external_id}",
        hashtags=("Boulogne",),
        metrics=base.PostMetrics(**metrics),
        original_metrics=original_metrics,
    )


def posts_of(account: SocialAccount) -> dict[str, Post]:
    with scope(organization=account.organization_id):
        return {p.external_id: p for p in Post.objects.filter(organization_id=account.organization_id, account=account)}


def snapshots_of(account: SocialAccount) -> list[PostMetricsSnapshot]:
    with scope(organization=account.organization_id):
        return list(
            PostMetricsSnapshot.objects.filter(organization_id=account.organization_id, post__account=account)
            .select_related("post")
            .order_by("post__external_id", "captured_at")
        )


def daily_of(account: SocialAccount) -> dict[dt.date, AccountDailyMetrics]:
    with scope(organization=account.organization_id):
        rows = AccountDailyMetrics.objects.filter(organization_id=account.organization_id, account=account)
        return {row.date: row for row in rows}


def facts_of(account: SocialAccount) -> tuple:
    """Everything stored for one account, comparable before and after an operation."""
    return (
        sorted(
            (p.external_id, p.likes, p.views, p.text, p.next_refresh_at, p.last_changed_at)
            for p in posts_of(account).values()
        ),
        [(s.post.external_id, s.captured_at, s.likes, s.views) for s in snapshots_of(account)],
        sorted((d, r.followers, r.views) for d, r in daily_of(account).items()),
    )
