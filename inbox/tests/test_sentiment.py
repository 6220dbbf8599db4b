"""Sentiment on the account and post pages and in their API, from the messages the inbox stored
(inbox/texts.py registers them for analytics)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from analytics.tests.factories import make_account
from analytics.tests.query_fixtures import make_post
from inbox.models import Direction, Message, Thread, ThreadKind


def _thread(account, key, post=None, kind=ThreadKind.COMMENT):
    return Thread.objects.create(
        organization=account.organization,
        workspace=account.workspace,
        account=account,
        network=account.network,
        kind=kind,
        external_id=key,
        post=post,
        author_name="Marie",
    )


def _message(thread, key, sentiment, score, hours_ago, *, direction=Direction.IN, text="Message"):
    return Message.objects.create(
        organization=thread.organization,
        thread=thread,
        account=thread.account,
        direction=direction,
        external_id=key,
        text=text,
        sent_at=timezone.now() - dt.timedelta(hours=hours_ago),
        sentiment=sentiment,
        sentiment_score=score,
        analysed=bool(sentiment),
    )


@pytest.fixture
def said(tenancy):
    """An account of A1 with a post: 3 comments on the post (2 negative), a mention (neutral) and a
    message not analysed yet; an answer of ours and a comment 100 days old that never count."""
    account = make_account(tenancy.a1, external_id="s1")
    other = make_account(tenancy.a1, external_id="s2")
    post = make_post(account, "ps1", timezone.now() - dt.timedelta(days=3), likes=1)
    with scope(organization=tenancy.org_a):
        on_post = _thread(account, "c1", post=post)
        _message(on_post, "m1", "negative", -0.8, 30, text="Toujours fermé, c'est honteux")
        _message(on_post, "m2", "negative", -0.3, 29)
        _message(on_post, "m3", "positive", 0.7, 28)
        _message(on_post, "m4", "negative", -0.9, 27, direction=Direction.OUT)  # ours
        mention = _thread(account, "x1", kind=ThreadKind.MENTION)
        _message(mention, "m5", "neutral", 0.0, 50)
        _message(mention, "m6", "", None, 49)
        _message(mention, "m7", "negative", -0.6, 24 * 100)  # outside the last 28 days
        _message(_thread(other, "o1"), "m8", "negative", -1.0, 3)  # another account
    return account, post, on_post


def test_it_serves_the_accounts_sentiment(tenancy, login, said):
    account, _post, thread = said
    client = login(tenancy.bob)
    url = reverse("api_account_sentiment", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    body = client.get(url, {"period": "28d"}).json()
    assert body["available"] and body["by"] == "day" and len(body["sentiment"]) == 28
    assert (body["messages"], body["analysed"]) == (5, 4)
    assert body["negative_share"] == pytest.approx(2 / 4)
    assert sum(p["negative"] for p in body["sentiment"]) == 2
    assert sum(p["not_analysed"] for p in body["sentiment"]) == 1
    (worst,) = body["most_negative"]
    assert worst["score"] == -0.8 and worst["negative_messages"] == 2
    assert worst["url"] == reverse("inbox_thread", kwargs={"org": tenancy.org_a.slug, "thread_id": thread.pk})
    assert client.get(url, {"period": "custom", "start": "2026-13-01"}).status_code == 400


def test_it_serves_the_posts_sentiment(tenancy, login, said):
    _account, post, _thread = said
    client = login(tenancy.bob)
    url = reverse("api_post_sentiment", kwargs={"org": tenancy.org_a.slug, "post_id": post.pk})
    body = client.get(url).json()
    assert (body["messages"], body["analysed"]) == (3, 3)
    assert body["negative_share"] == pytest.approx(2 / 3)
    assert body["start"] < body["end"] and body["by"] == "day"


def test_it_shows_sentiment_on_the_account_and_post_pages(tenancy, login, said):
    account, post, thread = said
    client = login(tenancy.dana)  # a client granted A1
    thread_url = reverse("inbox_thread", kwargs={"org": tenancy.org_a.slug, "thread_id": thread.pk})
    page = client.get(reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "What people say to this account" in body and "50.00 %" in body and thread_url in body
    assert 'id="sentiment-figure"' in body and '<script id="sentiment-figure"' not in body
    page = client.get(reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": post.pk}))
    body = page.content.decode()
    assert "Comments on this post" in body and "66.67 %" in body and thread_url in body
    csv = client.get(
        reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}),
        {"download": "sentiment", "format": "csv"},
    )
    assert csv.status_code == 200 and b"Negative share" in b"".join(csv.streaming_content)


def test_it_says_not_available_when_nothing_was_analysed(tenancy, login):
    account = make_account(tenancy.a1, external_id="quiet")
    client = login(tenancy.bob)
    body = client.get(
        reverse("api_account_sentiment", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    ).json()
    assert body["messages"] == 0 and body["negative_share"] is None and body["most_negative"] == []
    page = client.get(reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}))
    assert "Sentiment: not available, no message analysed in this period." in page.content.decode()


def test_it_reads_what_the_sync_brought_in(tenancy, engine, login):
    """Through the real path (simulator → provider → sync engine → inbox analysis), the account's
    sentiment counts exactly the received messages the inbox stored and analysed."""
    import zoneinfo

    from analytics.factstore import DatabaseFactStore
    from inbox.tests.conftest import sim_account
    from networks.models import SyncKind, SyncRun
    from networks.sync.engine import account_sync
    from networks.sync.factstore import register_fact_store

    register_fact_store(DatabaseFactStore())
    account = sim_account(tenancy.a1, engine, "facebook")
    runs = account_sync(
        organization_id=account.organization_id,
        account_id=account.pk,
        kinds=[SyncKind.POSTS, SyncKind.CONVERSATIONS],
    )
    assert [r.status for r in runs] == [SyncRun.Status.OK] * 2
    zone = zoneinfo.ZoneInfo(tenancy.org_a.time_zone)
    with scope(organization=tenancy.org_a):
        received = list(
            Message.objects.filter(organization=tenancy.org_a, account=account, direction=Direction.IN).values_list(
                "sent_at", "sentiment"
            )
        )
    days = sorted(at.astimezone(zone).date() for at, _s in received)
    start, end = max(days[0], days[-1] - dt.timedelta(days=365)), min(days[-1], timezone.localdate(timezone=zone))
    inside = [s for at, s in received if start <= at.astimezone(zone).date() <= end]
    url = reverse("api_account_sentiment", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    body = login(tenancy.bob).get(url, {"period": "custom", "start": start, "end": end}).json()
    assert body["messages"] == len(inside) > 0
    assert body["analysed"] == sum(1 for s in inside if s) > 0
    negatives = sum(1 for s in inside if s == "negative")
    assert body["negative_share"] == pytest.approx(negatives / body["analysed"])
