"""Small hand-countable facts for the query, theme and API tests (explicit organisation on every
row, written straight to the tables: these tests are about reading them)."""

import datetime as dt

from django_scopes import scope

from accounts.models import Membership
from analytics.models import AccountDailyMetrics, Post, PostMetricsSnapshot
from analytics.queries.params import Period
from networks.models import SocialAccount

UTC = dt.UTC
# November 2026 in Paris is UTC+1.
PERIOD = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 10))  # previous: 22-31 October


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def make_post(account: SocialAccount, external_id: str, published_at: dt.datetime, **fields) -> Post:
    fields.setdefault("hashtags", [])
    with scope(organization=account.organization_id):
        return Post.objects.create(
            organization_id=account.organization_id,
            account=account,
            external_id=external_id,
            published_at=published_at,
            **fields,
        )


def make_daily(account: SocialAccount, date: dt.date, **fields) -> AccountDailyMetrics:
    with scope(organization=account.organization_id):
        return AccountDailyMetrics.objects.create(
            organization_id=account.organization_id, account=account, date=date, **fields
        )


def make_snapshot(post: Post, captured_at: dt.datetime, **fields) -> PostMetricsSnapshot:
    with scope(organization=post.organization_id):
        return PostMetricsSnapshot.objects.create(
            organization_id=post.organization_id, post=post, captured_at=captured_at, **fields
        )


def membership(user, organization) -> Membership:
    with scope(organization=organization):
        return Membership.objects.select_related("organization").get(organization=organization, user=user)


def seed(accounts) -> dict[str, Post]:
    """X account ``a`` (A1) and Facebook account ``a2`` (A2) of organisation A; ``b`` of B as noise.

    Current period (1-10 Nov), account a (X):
      o1 original: likes 10, comments 2, shares 3, quotes 1, views 1000  → engagements 16
      r1 reply:    likes 4, views None                                   → engagements 4
      rt repost:   own counters NULL, original's in original_metrics     → never counted
      e1 original: every counter NULL                                    → engagements None
    Previous period (22-31 Oct), account a: o0 original likes 5, views 500 → engagements 5
    Account a2 (Facebook), current: f1 photo likes 20, comments 5, shares 5, views 300, reach 200,
      clicks 7 → engagements 30
    Account b (org B): a post with 999 likes, never in A's numbers.
    """
    a, a2, b = accounts.a, accounts.a2, accounts.b
    posts = {
        "o1": make_post(
            a, "o1", at(3, 9), likes=10, comments=2, shares=3, quotes=1, views=1000, hashtags=["Sport", "Boulogne"]
        ),
        "r1": make_post(a, "r1", at(4, 18), kind="reply", likes=4, hashtags=["sport"]),
        "rt": make_post(a, "rt", at(5, 10), kind="repost", original_metrics={"likes": 5000, "views": 90000}),
        "e1": make_post(a, "e1", at(6, 10), content_type="photo"),
        "o0": make_post(a, "o0", at(25, 12, month=10), likes=5, views=500),
        "f1": make_post(
            a2,
            "f1",
            at(7, 8),
            content_type="photo",
            likes=20,
            comments=5,
            shares=5,
            views=300,
            reach=200,
            clicks=7,
            hashtags=["Boulogne"],
        ),
        "b1": make_post(b, "b1", at(3, 9), likes=999, views=1000),
    }
    # Followers: a: 1,000 on 21 Oct (before the previous period), 1,100 on 31 Oct, 1,150 on 10 Nov;
    # a2: 500 on 31 Oct, 530 on 9 Nov (no row on the 10th: the last known counts).
    make_daily(a, dt.date(2026, 10, 21), followers=1000)
    make_daily(a, dt.date(2026, 10, 31), followers=1100)
    make_daily(a, dt.date(2026, 11, 10), followers=1150)
    make_daily(a2, dt.date(2026, 10, 31), followers=500, follows=3, unfollows=1)
    make_daily(a2, dt.date(2026, 11, 9), followers=530, follows=12, unfollows=2, views=900)
    make_daily(b, dt.date(2026, 11, 10), followers=99999)
    return posts
