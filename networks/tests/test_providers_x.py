"""X provider: recorded X API v2 responses, served at the HTTP boundary, read through tweepy 4.17."""

import datetime as dt

import pytest

from networks.http import recording
from networks.providers.base import ContentType, PostKind, PostMetrics
from networks.providers.errors import AuthExpired, RateLimited
from networks.providers.x.parse import parse_timeline, parse_tweet
from networks.providers.x.provider import XProvider
from networks.tests.recorded import NEEDS_SHARED, X_HEADERS, recorded_json, recorded_x_body

pytestmark = NEEDS_SHARED


@pytest.fixture
def x(settings):
    settings.X_API_BASE_URL = "https://x.test"
    return XProvider(external_id="2244994945", access_token="user-token")


def test_it_reads_users_me_from_the_recorded_cassette(replay, x):
    body, headers = recorded_x_body("test_client_get_me")
    replay.add("GET", "/2/users/me", body, headers=headers)
    me = x.me()
    assert (me.external_id, me.handle, me.name) == ("1072250532645998596", "TweepyDev", "Tweepy Testing")
    # The recording has no public_metrics: not reported is None, never 0.
    assert me.followers is None


def test_it_rewrites_tweepys_hard_coded_host_and_sends_the_user_token(replay, x):
    body, headers = recorded_x_body("test_client_get_me")
    replay.add("GET", "/2/users/me", body, headers=headers)
    with recording() as calls:
        x.me()
    request = replay.calls[0]
    assert request.url.startswith("https://x.test/2/users/me?")
    assert request.headers["Authorization"] == "Bearer user-token"
    assert calls[0].network == "x" and calls[0].path == "/2/users/me" and calls[0].status == 200
    assert (calls[0].usage.x_limit, calls[0].usage.x_remaining) == (75, 74)


def test_it_reads_followers_from_public_metrics(replay, x):
    replay.add(
        "GET",
        "/2/users/2244994945",
        recorded_json("twitter/_supplementary/sns-sdks_python-twitter/user/user_resp.json"),
        headers=X_HEADERS,
    )
    profile = x.profile()
    assert (profile.followers, profile.follows, profile.posts_count, profile.listed) == (514020, 2038, 3639, 1676)
    assert "public_metrics" in replay.params()["user.fields"][0]


def test_it_classifies_retweets_in_a_recorded_timeline_as_reposts(replay, x):
    body, headers = recorded_x_body("test_client_get_home_timeline")
    replay.add("GET", r"/2/users/\d+/tweets", body, headers=headers)
    page = x.posts()
    reposts = [p for p in page.items if p.kind == PostKind.REPOST]
    assert reposts and all(p.text.startswith("RT @") for p in reposts)
    assert all(p.kind == PostKind.ORIGINAL for p in page.items if not p.text.startswith("RT @"))
    assert page.next_cursor == body["meta"]["next_token"]
    # created_at was not requested in that recording: the time comes from the snowflake id.
    assert all(p.published_at.tzinfo == dt.UTC for p in page.items)


def test_it_reads_public_metrics_and_dates_of_a_recorded_timeline(replay, x):
    body = recorded_json("twitter/_supplementary/sns-sdks_python-twitter/timeline/timeline_tweets.json")
    replay.add("GET", r"/2/users/\d+/tweets", body, headers=X_HEADERS)
    first = x.posts().items[0]
    assert first.external_id == "1364275610764201984"
    assert first.published_at == dt.datetime(2021, 2, 23, 18, 7, 7, tzinfo=dt.UTC)
    assert first.metrics == PostMetrics(likes=37, comments=2, shares=10, quotes=1)
    assert first.hashtags == ("TwitterAPI",)
    assert first.kind == PostKind.ORIGINAL and first.content_type == ContentType.TEXT


def test_it_keeps_a_reposts_counts_apart_from_the_accounts_own():
    # Shape from NETWORK_APIS.md / the X data dictionary: a retweet carries the original's counts.
    body = {
        "data": [
            {
                "id": "1900000000000000002",
                "text": "RT @partner: Fête de la ville ce soir",
                "created_at": "2026-11-01T09:00:00.000Z",
                "referenced_tweets": [{"type": "retweeted", "id": "1900000000000000001"}],
                "public_metrics": {"retweet_count": 50, "reply_count": 3, "like_count": 400, "quote_count": 2},
            },
            {
                "id": "1900000000000000003",
                "text": "Bravo ! #Boulogne",
                "created_at": "2026-11-01T10:00:00.000Z",
                "referenced_tweets": [{"type": "quoted", "id": "1900000000000000001"}],
                "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 5, "quote_count": 0},
                "non_public_metrics": {"impression_count": 900, "url_link_clicks": 4, "engagements": 12},
            },
            {
                "id": "1900000000000000004",
                "text": "@habitant merci",
                "created_at": "2026-11-01T11:00:00.000Z",
                "referenced_tweets": [{"type": "replied_to", "id": "1800000000000000000"}],
            },
        ],
        "includes": {
            "tweets": [
                {
                    "id": "1900000000000000001",
                    "text": "Fête de la ville ce soir",
                    "public_metrics": {"retweet_count": 50, "reply_count": 3, "like_count": 400, "quote_count": 2},
                }
            ]
        },
        "meta": {"result_count": 3},
    }
    repost, quote, reply = parse_timeline(body).items
    assert repost.kind == PostKind.REPOST and repost.referenced_id == "1900000000000000001"
    assert repost.metrics == PostMetrics()  # never the account's own engagement
    assert repost.original_metrics == PostMetrics(likes=400, comments=3, shares=50, quotes=2)
    assert quote.kind == PostKind.QUOTE and quote.metrics.views == 900 and quote.metrics.clicks == 4
    assert quote.metrics.engagements == 12 and quote.original_metrics is None
    assert reply.kind == PostKind.REPLY and reply.metrics == PostMetrics()


def test_it_reads_a_recorded_search_with_replies_and_authors(replay, x):
    body = recorded_json("twitter/_supplementary/sns-sdks_python-twitter/searches/search_tweets_query.json")
    replay.add("GET", "/2/tweets/search/recent", body, headers=X_HEADERS)
    page = x.search("#Boulogne")
    assert [p.kind for p in page.items] == [PostKind.REPLY] * 4
    assert page.items[0].author_handle == "happycamper"
    assert page.items[0].content_type == ContentType.PHOTO
    assert replay.params()["query"] == ["#Boulogne"]


def test_it_reads_recorded_mentions(replay, x):
    body, headers = recorded_x_body("test_client_get_users_mentions")
    replay.add("GET", r"/2/users/\d+/mentions", body, headers=headers)
    page = x.mentions()
    assert len(page.items) == body["meta"]["result_count"]
    assert page.items[0].external_id == body["data"][0]["id"]


def test_it_leaves_deleted_posts_out_of_post_metrics(replay, x):
    body, headers = recorded_x_body("test_client_get_tweets")
    body = {
        **body,
        "errors": [{"value": "1", "detail": "Could not find tweet with ids: [1].", "title": "Not Found Error"}],
    }
    replay.add("GET", "/2/tweets", body, headers=headers)
    metrics = x.post_metrics(["1293593516040269825", "1293595870563381249", "1"])
    assert set(metrics) == {"1293593516040269825", "1293595870563381249"}


def test_it_turns_a_429_into_rate_limited_with_the_announced_reset(replay, x):
    replay.add(
        "GET",
        "/2/users/me",
        {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
        status=429,
        headers={**X_HEADERS, "x-rate-limit-reset": "1800000000", "x-rate-limit-remaining": "0"},
    )
    with pytest.raises(RateLimited) as caught:
        x.me()
    assert caught.value.reset_at == dt.datetime.fromtimestamp(1800000000, tz=dt.UTC)
    assert not caught.value.permanent


def test_it_turns_a_401_into_auth_expired(replay, x):
    replay.add(
        "GET",
        "/2/users/me",
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
        status=401,
        headers=X_HEADERS,
    )
    with pytest.raises(AuthExpired):
        x.me()


def test_it_derives_the_date_from_the_id_when_created_at_is_missing():
    post = parse_tweet({"id": "1577730467436138524", "text": "whoa"})
    assert post.published_at.date() == dt.date(2022, 10, 5)
