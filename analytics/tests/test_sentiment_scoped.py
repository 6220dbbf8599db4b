"""Sentiment about one object (analytics/queries/sentiment.py): the series, the negative share and
the most negative threads from hand-built rows, and the scoped sources the inbox registers."""

import datetime as dt

import pytest

from analytics.queries.sentiment import negative_threads, scoped_sentiment, summarise
from analytics.text import sources as text_sources
from analytics.text.sources import ScopedTextSource, TextRow

MON = dt.date(2026, 11, 23)  # a Monday


def row(day, sentiment, score=None, url="", text="t"):
    return TextRow(day=day, text=text, sentiment=sentiment, score=score, author="Marie", url=url)


ROWS = [
    row(MON, "negative", -0.8, "/t/1", "Toujours fermé, honteux"),
    row(MON, "negative", -0.2, "/t/1", "bof"),
    row(MON, "positive", 0.6, "/t/1"),
    row(MON + dt.timedelta(days=1), "neutral", 0.0, "/t/2"),
    row(MON + dt.timedelta(days=1), None, None, "/t/2"),
    row(MON + dt.timedelta(days=2), "negative", None, "/t/3", "nul"),
    row(MON + dt.timedelta(days=3), "positive", 0.9, "/t/4"),
    row(MON - dt.timedelta(days=1), "negative", -1.0, "/t/5"),  # before the period
]


def test_it_counts_each_day_and_the_negative_share():
    summary = summarise(ROWS, start=MON, end=MON + dt.timedelta(days=6))
    assert summary.by == "day" and summary.available and not summary.truncated
    assert summary.total == 7 and summary.analysed == 6
    assert summary.negative_share == pytest.approx(3 / 6)
    first, second, third, fourth, *empty = summary.points
    assert (first.negative, first.neutral, first.positive, first.not_analysed) == (2, 0, 1, 0)
    assert (second.negative, second.neutral, second.not_analysed) == (0, 1, 1)
    assert second.negative_share == 0
    assert third.negative_share == 1 and fourth.negative_share == 0
    # Days where nothing was analysed have no share: "not available", never 0 %.
    assert len(empty) == 3 and all(p.negative_share is None for p in empty)


def test_it_groups_the_most_negative_threads():
    threads = negative_threads(ROWS[:7])
    assert [(t.url, t.score, t.messages, t.text) for t in threads] == [
        ("/t/1", -0.8, 2, "Toujours fermé, honteux"),
        ("/t/3", -0.5, 1, "nul"),  # negative without a score: -0.5, as on "What people say"
    ]
    assert negative_threads(ROWS[:7], limit=1)[0].url == "/t/1"


def test_it_draws_weeks_beyond_a_month_and_nothing_analysed_is_not_available():
    summary = summarise(ROWS, start=MON - dt.timedelta(days=35), end=MON + dt.timedelta(days=6))
    assert summary.by == "week" and len(summary.points) == 6
    assert summary.points[-1].start == MON and summary.points[-1].analysed == 6
    assert summary.points[-2].negative == 1  # the Sunday before
    empty = summarise([row(MON, None)], start=MON, end=MON)
    assert empty.total == 1 and empty.analysed == 0 and empty.negative_share is None
    assert empty.most_negative == []


@pytest.fixture
def fake_source():
    calls = []

    def rows(organization, object_id, start, end, limit):
        calls.append((object_id, start, end, limit))
        return ROWS[:7] if object_id == 7 else []

    text_sources.register_scoped_text_source(ScopedTextSource("test.post", "post", "Test", rows))
    yield calls
    text_sources.unregister_scoped_text_source("test.post")


def test_it_reads_the_sources_registered_for_the_scope(tenancy, fake_source):
    end = MON + dt.timedelta(days=6)
    summary = scoped_sentiment(organization=tenancy.org_a, scope="post", object_id=7, start=MON, end=end)
    assert (summary.total, summary.analysed, summary.negative_share) == (7, 6, 0.5)
    assert (7, MON, end, 2000) in fake_source
    keys = {s.key for s in text_sources.scoped_text_sources("account")}
    assert "inbox.account" in keys and "test.post" not in keys


def test_it_says_not_available_without_a_source(tenancy, monkeypatch):
    monkeypatch.setattr(text_sources, "_SCOPED", {})
    summary = scoped_sentiment(organization=tenancy.org_a, scope="account", object_id=1, start=MON, end=MON)
    assert not summary.available and summary.negative_share is None
    with pytest.raises(ValueError):
        scoped_sentiment(organization=tenancy.org_a, scope="watch", object_id=1, start=MON, end=MON)
    with pytest.raises(ValueError):
        text_sources.register_scoped_text_source(ScopedTextSource("x", "watch", "X", lambda *a: []))
