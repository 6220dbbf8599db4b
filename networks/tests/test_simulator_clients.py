"""The real client libraries talk to the simulator the way production talks to the networks.

tweepy hard-codes ``https://api.twitter.com``: its session is swapped for one that rewrites the
host (the mechanism the product uses, also in production). pyfacebook takes ``base_url``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
import tweepy
from pyfacebook import GraphAPI, IGBusinessApi
from pyfacebook.exceptions import FacebookError

from networks.simulator.world import BOULOGNE


class RewritingSession(requests.Session):
    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        return super().request(method, url.replace("https://api.twitter.com", self.base_url), *args, **kwargs)


@pytest.fixture
def x_client(sim) -> tweepy.Client:
    client = tweepy.Client(bearer_token=sim.x_token("boulogne"))
    client.session = RewritingSession(sim.url)
    return client


def test_it_serves_tweepy_users_and_a_paginated_timeline(x_client):
    me = x_client.get_me(user_auth=False, user_fields=["public_metrics", "created_at"])
    assert me.data.username == "Ville_BoulogneB"
    assert me.data.public_metrics["followers_count"] > 30000
    tweets = list(
        tweepy.Paginator(
            x_client.get_users_tweets,
            BOULOGNE.x_user_id,
            max_results=100,
            tweet_fields=["created_at", "public_metrics", "referenced_tweets", "non_public_metrics"],
            expansions=["referenced_tweets.id", "attachments.media_keys"],
            user_auth=False,
            limit=3,
        ).flatten()
    )
    assert len(tweets) == 300
    reposts = [t for t in tweets if t.referenced_tweets and t.referenced_tweets[0].type == "retweeted"]
    assert reposts and all(t.text.startswith("RT @") for t in reposts)
    assert all(t.created_at.tzinfo is not None for t in tweets)


def test_it_serves_tweepy_search_and_mentions(x_client):
    found = x_client.search_recent_tweets("#Boulogne", max_results=10, user_auth=False)
    assert found.data and found.meta["result_count"] == len(found.data)
    mentions = x_client.get_users_mentions(BOULOGNE.x_user_id, user_auth=False)
    assert all("@Ville_BoulogneB" in t.text for t in mentions.data)


def test_it_raises_tweepys_errors(sim, x_client):
    sim.set_faults(rate_limit_storm=True)
    with pytest.raises(tweepy.TooManyRequests):
        x_client.get_me(user_auth=False)
    sim.set_faults(rate_limit_storm=False, revoked_tokens="all")
    with pytest.raises(tweepy.Unauthorized):
        x_client.get_me(user_auth=False)


def graph(sim, token: str) -> GraphAPI:
    return GraphAPI(
        app_id="100000000000999",
        app_secret="sim-secret",
        access_token=token,
        version="v25.0",
        base_url=f"{sim.url}/",
        sleep_on_rate_limit=False,
        timeout=10,
    )


def test_it_serves_pyfacebook_page_calls(sim):
    api = graph(sim, sim.page_token("boulogne"))
    page = api.get_object(object_id=BOULOGNE.fb_page_id, fields="id,name,fan_count,followers_count")
    assert page["name"] == "Ville de Boulogne-Billancourt"
    insights = api.get_connection(
        object_id=BOULOGNE.fb_page_id,
        connection="insights",
        metric="page_follows,page_media_view",
        period="day",
        since="2026-11-01",
        until="2026-11-08",
    )
    assert [len(m["values"]) for m in insights["data"]] == [7, 7]
    posts = api.get_full_connections(
        object_id=BOULOGNE.fb_page_id,
        connection="published_posts",
        count=60,
        limit=25,
        fields="id,created_time,reactions.summary(total_count).limit(0)",
    )
    assert len(posts["data"]) == 60 and len({p["id"] for p in posts["data"]}) == 60


def test_it_raises_pyfacebooks_errors(sim):
    api = graph(sim, sim.page_token("boulogne"))
    with pytest.raises(FacebookError) as raised:
        api.get_connection(object_id=BOULOGNE.fb_page_id, connection="insights", metric="page_impressions")
    assert raised.value.code == 100


def test_it_serves_pyfacebook_instagram_business_calls(sim):
    api = IGBusinessApi(
        access_token=sim.page_token("boulogne"),
        instagram_business_id=BOULOGNE.ig_user_id,
        version="v25.0",
        base_url=f"{sim.url}/",
        sleep_on_rate_limit=False,
    )
    user = api.user.get_info(fields="id,username,followers_count,media_count")
    assert user.username == "ville_boulogneb"
    day = int(datetime(2026, 11, 20, 8, tzinfo=UTC).timestamp())
    insights = api.user.get_insights(
        metric="reach,views", period="day", metric_type="total_value", since=str(day), until=str(day + 86400)
    )
    assert {i.name for i in insights.data} == {"reach", "views"}
    media = api.user.get_media(fields="id,media_type,media_product_type,timestamp,like_count", count=30, limit=25)
    assert len(media.data) == 30
