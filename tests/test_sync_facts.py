"""End to end: the sync engine (networks) writing through the real FactStore (analytics) into the
fact tables, against the network simulator — backfill, the next day's syncs, idempotency, and the
cadence persisted per post."""

import datetime as dt

import pytest
from django.db.models import Count
from django_scopes import scope

from analytics.models import AccountDailyMetrics, Post, PostKind, PostMetricsSnapshot
from networks.models import SyncKind, SyncRun
from networks.simulator.world import BOULOGNE
from networks.sync.clock import set_network_now
from networks.sync.engine import account_sync
from networks.tests.factories import make_account

ALL = [SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS]


@pytest.fixture
def engine(settings, simulated_networks):
    settings.SYNC_RETRY_DELAY = 0.001
    set_network_now(simulated_networks.now, frozen=True)
    yield simulated_networks
    set_network_now(None)


def sync(account, kinds):
    return account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=kinds)


def facts(account) -> tuple[int, int, int]:
    with scope(organization=account.organization):
        return (
            Post.objects.filter(organization=account.organization, account=account).count(),
            PostMetricsSnapshot.objects.filter(organization=account.organization, post__account=account).count(),
            AccountDailyMetrics.objects.filter(organization=account.organization, account=account).count(),
        )


@pytest.mark.parametrize("network", ["x", "facebook", "instagram"])
def test_it_backfills_and_syncs_into_the_fact_tables(tenancy, engine, network):
    ids = {"x": BOULOGNE.x_user_id, "facebook": BOULOGNE.fb_page_id, "instagram": BOULOGNE.ig_user_id}
    token = engine.x_token("boulogne") if network == "x" else engine.page_token("boulogne")
    account = make_account(tenancy.a1, network=network, external_id=ids[network], access_token=token)
    assert [r.status for r in sync(account, [SyncKind.BACKFILL])] == [SyncRun.Status.OK]
    posts, snapshots, days = facts(account)
    assert posts > 20 and 0 < snapshots <= posts and days >= 1  # (reposts carry no metrics of their own)
    # Delivered again at the same instant: nothing new (upserts, append-only snapshots).
    assert [r.status for r in sync(account, [SyncKind.BACKFILL])] == [SyncRun.Status.OK]
    assert facts(account) == (posts, snapshots, days)
    with scope(organization=account.organization):
        young = Post.objects.filter(organization=account.organization, account=account, next_refresh_at__isnull=False)
        assert young.exists()  # the cadence is persisted per post
        if network == "x":  # a repost's counts are the original's: never the account's own
            reposts = Post.objects.filter(organization=account.organization, account=account, kind=PostKind.REPOST)
            assert reposts.exists() and not reposts.exclude(likes=None).exists()
    # The next day: new posts, metric snapshots of the young ones, today's row.
    engine.set_now(engine.now + dt.timedelta(days=1))
    set_network_now(engine.now, frozen=True)
    assert [r.status for r in sync(account, ALL)] == [SyncRun.Status.OK] * 3
    later = facts(account)
    assert later[0] > posts and later[1] > snapshots
    with scope(organization=account.organization):
        doubled = (
            PostMetricsSnapshot.objects.filter(organization=account.organization, post__account=account)
            .values("post", "captured_at")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not doubled.exists()
        if network == "x":
            assert AccountDailyMetrics.objects.filter(
                organization=account.organization, account=account, date=engine.now.date(), followers__isnull=False
            ).exists()
