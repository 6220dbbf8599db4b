"""A watch's sentiment over time: on its page and in the API, from its hits' stored sentiment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from listening.models import WatchMatch
from listening.tests.factories import make_hit, make_watch


@pytest.fixture
def heard(tenancy):
    """A watch of A1 with 5 hits in the last days (2 negative, 1 neutral, 1 positive, 1 not
    analysed), one 40 days old, and a hit of another watch that never counts."""
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["x"])
    other = make_watch(tenancy.a1, "#Piscine", networks=["x"])
    now = timezone.now()
    hits = [
        ("h1", "negative", now - dt.timedelta(days=1)),
        ("h2", "negative", now - dt.timedelta(days=2)),
        ("h3", "neutral", now - dt.timedelta(days=2)),
        ("h4", "positive", now - dt.timedelta(days=3)),
        ("h5", "", now - dt.timedelta(days=3)),
        ("h6", "negative", now - dt.timedelta(days=40)),
    ]
    with scope(organization=tenancy.org_a):
        for key, sentiment, published in hits:
            hit = make_hit(tenancy.a1, key, sentiment=sentiment, published_at=published)
            WatchMatch.objects.create(organization=tenancy.org_a, watch=watch, hit=hit, published_at=published)
        hit = make_hit(tenancy.a1, "o1", sentiment="negative", published_at=now - dt.timedelta(days=1))
        WatchMatch.objects.create(organization=tenancy.org_a, watch=other, hit=hit, published_at=hit.published_at)
    return watch


def test_it_serves_the_watchs_sentiment(tenancy, login, heard):
    client = login(tenancy.bob)
    url = reverse("api_listening_watch_sentiment", kwargs={"org": tenancy.org_a.slug, "watch_id": heard.pk})
    body = client.get(url).json()
    assert body["by"] == "day" and len(body["sentiment"]) == 28
    assert (body["messages"], body["analysed"]) == (5, 4)
    assert body["negative_share"] == pytest.approx(2 / 4)
    assert sum(p["negative"] for p in body["sentiment"]) == 2
    assert sum(p["not_analysed"] for p in body["sentiment"]) == 1
    weeks = client.get(url, {"days": 90}).json()
    assert weeks["by"] == "week" and weeks["messages"] == 6 and weeks["negative_share"] == pytest.approx(3 / 5)
    assert client.get(url, {"days": 12}).status_code == 400


def test_it_shows_the_watchs_sentiment_on_its_page(tenancy, login, heard):
    client = login(tenancy.dana)  # a client granted A1
    url = reverse("listening_watch", kwargs={"org": tenancy.org_a.slug, "watch_id": heard.pk})
    body = client.get(url).content.decode()
    assert "What the matching posts say (last 28 days)" in body and "50.00 %" in body
    assert 'id="sentiment-figure"' in body
    csv = client.get(url, {"download": "sentiment", "format": "csv"})
    assert csv.status_code == 200 and b"Negative share" in b"".join(csv.streaming_content)


def test_it_says_not_available_for_a_watch_without_analysed_hits(tenancy, login):
    watch = make_watch(tenancy.a1, "#Calme", networks=["x"])
    client = login(tenancy.bob)
    url = reverse("api_listening_watch_sentiment", kwargs={"org": tenancy.org_a.slug, "watch_id": watch.pk})
    body = client.get(url).json()
    assert body["messages"] == 0 and body["negative_share"] is None
    page = client.get(reverse("listening_watch", kwargs={"org": tenancy.org_a.slug, "watch_id": watch.pk}))
    assert "Sentiment: not available, no message analysed in this period." in page.content.decode()
