"""What people say: the page, its API and the sources the inbox and listening register."""

import datetime as dt

import pytest
from django.urls import reverse

from analytics.text import sources as text_sources
from analytics.text.sources import TextRow, TextSource
from analytics.views.base import local_today

MESSAGES = [
    ("La piscine municipale est encore fermée, c'est nul", "negative", -0.6),
    ("Piscine municipale fermée depuis deux semaines, inadmissible", "negative", -0.8),
    ("Quand rouvre la piscine municipale ?", "neutral", 0.0),
    ("Bravo pour le feu d'artifice, magnifique", "positive", 0.8),
    ("Le feu d'artifice était superbe", "positive", 0.7),
    ("Merci pour le feu d'artifice !", "positive", 0.6),
    ("Travaux rue Gambetta : le bus ne passe plus", "negative", -0.3),
    ("Les travaux rue Gambetta durent", None, None),
]


@pytest.fixture
def chatter(tenancy):
    """A registered source with messages for workspace A1 only, spread over the last days."""

    def rows(organization, workspace, start, end, limit):
        if workspace.name != "A1":
            return []
        today = local_today(organization)
        found = [
            TextRow(today - dt.timedelta(days=i % 5), text, sentiment, score, "Alex", f"https://example.com/{i}")
            for i, (text, sentiment, score) in enumerate(MESSAGES)
        ]
        return [r for r in found if start <= r.day <= end][:limit]

    text_sources.register_text_source(TextSource("test.messages", "Messages", rows))
    yield
    text_sources.unregister_text_source("test.messages")


def test_it_registers_the_inbox_and_listening(tenancy):
    keys = {s.key for s in text_sources.text_sources()}
    assert {"inbox.messages", "listening.hits"} <= keys
    today = dt.date(2026, 11, 30)
    for key in ("inbox.messages", "listening.hits"):
        assert (
            text_sources.text_source(key).rows(tenancy.org_a, tenancy.a1, today - dt.timedelta(days=6), today, 10) == []
        )


def test_it_shows_sentiment_topics_and_negative_messages(tenancy, login, chatter, django_assert_max_num_queries):
    client = login(tenancy.dana)  # a client granted A1
    url = reverse("analytics_voice", args=[tenancy.org_a.slug, tenancy.a1.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"source": "test.messages"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "piscine municipale" in body
    assert "feu d&#x27;artifice" in body or "feu d'artifice" in body
    assert "inadmissible" in body  # the most negative message
    voice = response.context["voice"]
    assert voice.total == 8 and voice.analysed == 7
    assert voice.negative_share == pytest.approx(3 / 7)
    assert voice.most_negative[0].text.startswith("Piscine municipale fermée")


def test_it_says_why_it_ignores_a_bad_period_or_source(tenancy, login, chatter):
    client = login(tenancy.alice)
    url = reverse("analytics_voice", args=[tenancy.org_a.slug, tenancy.a1.pk])
    response = client.get(url, {"days": "1000", "source": "nope"})
    assert response.status_code == 200
    assert response.context["days"] == 28
    assert response.context["error"]


def test_it_downloads_the_sentiment_table(tenancy, login, chatter):
    client = login(tenancy.alice)
    url = reverse("analytics_voice", args=[tenancy.org_a.slug, tenancy.a1.pk])
    response = client.get(url, {"download": "sentiment", "format": "csv", "days": "7"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(content.strip().splitlines()) == 8  # header + 7 days


def test_it_serves_what_people_say_in_the_api(tenancy, login, chatter):
    client = login(tenancy.bob)
    url = reverse("api_workspace_voice", args=[tenancy.org_a.slug, tenancy.a1.pk])
    data = client.get(url, {"days": 7}).json()
    assert data["messages"] == 8
    assert data["by"] == "day" and len(data["sentiment"]) == 7
    assert data["topics"][0]["examples"][0]["url"].startswith("https://example.com/")
    assert data["most_negative"][0]["score"] == -0.8
    assert client.get(url, {"days": 5}).status_code == 400
    assert "unknown source" in str(client.get(url, {"source": "nope"}).json())
    weeks = client.get(url, {"days": 90}).json()
    assert weeks["by"] == "week"
