"""The simulator answers with the structure of the real APIs (recorded responses in ../shared/apidata).

For each endpoint of the issue-3 contract with a recording, the recorded bodies are merged into a
schema (``networks.simulator.shapes``) and the simulator's body must fit it: no key the API does not
return, same JSON types, same nesting, same pagination shape. Where no recording carries a field we
request, a documented sample (NETWORK_APIS.md or the contract) is added and says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from networks.simulator.shapes import Schema, assert_same_shape, schema, shape, shape_problems
from networks.simulator.world import BOULOGNE, NORTHWIND

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
APIDATA = SHARED / "apidata"
pytestmark = pytest.mark.skipif(
    not APIDATA.is_dir(), reason=f"recorded API responses not found at {APIDATA} (../shared is absent)"
)

X_TWEET_FIELDS = (
    "attachments,conversation_id,created_at,entities,in_reply_to_user_id,lang,public_metrics,referenced_tweets,"
    "non_public_metrics,organic_metrics"
)
X_PARAMS = {
    "tweet.fields": X_TWEET_FIELDS,
    "expansions": "attachments.media_keys,referenced_tweets.id",
    "media.fields": "media_key,type,url,preview_image_url,public_metrics",
}
# NETWORK_APIS.md §2.3 (X docs, metrics.mdx): no recording carries these fields.
X_DOCUMENTED_TWEET = {
    "id": "1234567890",
    "text": "Hello world!",
    "conversation_id": "1234567890",
    "public_metrics": {
        "retweet_count": 1,
        "reply_count": 1,
        "like_count": 1,
        "quote_count": 1,
        "bookmark_count": 1,
        "impression_count": 1,
    },
    "non_public_metrics": {
        "impression_count": 5432,
        "url_link_clicks": 89,
        "user_profile_clicks": 156,
        "engagements": 345,
    },
    "organic_metrics": {
        "impression_count": 5432,
        "like_count": 234,
        "reply_count": 12,
        "retweet_count": 50,
        "url_link_clicks": 89,
        "user_profile_clicks": 156,
    },
    "entities": {"hashtags": [{"start": 0, "end": 5, "tag": "tag"}]},
}
X_DOCUMENTED_MEDIA = {
    "media_key": "3_1",
    "type": "photo",
    "url": "https://pbs.twimg.com/media/x.jpg",
    "preview_image_url": "https://pbs.twimg.com/x.jpg",
    "public_metrics": {"view_count": 1},
}
X_DOCUMENTED_USER_METRICS = {
    "followers_count": 1,
    "following_count": 1,
    "tweet_count": 1,
    "listed_count": 1,
    "like_count": 1,
}


def load(relative: str) -> Any:
    return json.loads((APIDATA / relative).read_text())


def cassette(name: str, uri_part: str = "") -> list[Any]:
    """Recorded X bodies (decoded copies of tweepy's cassettes) whose request URI contains ``uri_part``."""
    return [i["response"]["json"] for i in load(f"twitter/_decoded/{name}.json") if uri_part in i["request"]["uri"]]


def x_supplementary(relative: str) -> Any:
    return load(f"twitter/_supplementary/sns-sdks_python-twitter/{relative}")


def x_user_schema(*extra: Any) -> Schema:
    """Recorded single-user bodies, the first user of a recorded list, and documented public_metrics."""
    listed = x_supplementary("user/users_resp.json")["data"][0]
    return schema(
        *extra,
        x_supplementary("user/user_resp.json"),
        {"data": listed},
        {"data": {"public_metrics": X_DOCUMENTED_USER_METRICS}},
    )


def x_tweets_schema() -> Schema:
    """Every recorded tweet list (cassettes + supplementary) merged, plus the documented metric fields."""
    bodies = [
        *cassette("test_client_get_users_tweets"),
        *cassette("test_client_get_users_mentions"),
        *cassette("test_client_search_recent_tweets"),
        *cassette("test_client_get_tweets"),
        x_supplementary("timeline/timeline_tweets.json"),
        x_supplementary("timeline/timeline_mentions.json"),
        x_supplementary("searches/search_tweets_query.json"),
        x_supplementary("tweet/tweets_resp.json"),
        {"data": [X_DOCUMENTED_TWEET], "includes": {"media": [X_DOCUMENTED_MEDIA], "tweets": [X_DOCUMENTED_TWEET]}},
    ]
    merged = schema(*bodies)
    # An expanded tweet (includes.tweets) is the same Tweet object as the items of data.
    tweet = Schema()
    for body in bodies:
        for item in [*body.get("data", []), *body.get("includes", {}).get("tweets", [])]:
            tweet.absorb(item)
    merged.keys["data"].items = tweet
    merged.keys["includes"].keys["tweets"].items = tweet
    return merged


@pytest.fixture
def x_get(sim):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sim.x_token('boulogne')}"

    def get(path: str, **params: str) -> Any:
        response = session.get(sim.url + path, params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    return get


@pytest.fixture
def graph_get(sim):
    session = requests.Session()

    def get(path: str, token: str | None = None, **params: str) -> Any:
        params["access_token"] = token or sim.page_token("boulogne")
        response = session.get(f"{sim.url}/v25.0{path}", params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    return get


# --- the helper itself -----------------------------------------------------------------------------


def test_it_reports_invented_keys_wrong_types_and_nesting():
    recorded = schema({"data": [{"id": "1", "count": 2, "nested": {"a": 1}}], "paging": {"next": "u"}})
    assert shape_problems(recorded, {"data": [{"id": "2"}]}) == []
    problems = shape_problems(recorded, {"data": [{"id": 2, "extra": 1, "nested": [1]}], "paging": {"after": "x"}})
    assert "$.data[0].id: number where the API returns string" in problems
    assert "$.data[0].extra: key the API does not return" in problems
    assert "$.data[0].nested: array where the API returns object" in problems
    assert "$.paging.after: key the API does not return" in problems
    assert shape({"a": [{"b": 1}]}) == {"a": [{"b": "number"}]}


# --- X API v2 ----------------------------------------------------------------------------------


def test_it_serves_users_me_like_x(x_get):
    recorded = x_user_schema(*cassette("test_client_get_me"), x_supplementary("user/me_resp.json"))
    assert_same_shape(recorded, x_get("/2/users/me"), required=("data.id", "data.name", "data.username"))
    body = x_get(
        "/2/users/me",
        **{"user.fields": "created_at,description,profile_image_url,public_metrics,username,name,verified"},
    )
    assert_same_shape(recorded, body, required=("data.public_metrics.followers_count",))


def test_it_serves_a_user_by_id_like_x(x_get):
    recorded = x_user_schema()
    body = x_get(f"/2/users/{BOULOGNE.x_user_id}", **{"user.fields": "created_at,description,public_metrics,verified"})
    assert_same_shape(recorded, body)


def test_it_serves_default_fields_timelines_like_the_cassettes(x_get):
    recorded = schema(*cassette("test_client_get_users_tweets"))
    body = x_get(f"/2/users/{BOULOGNE.x_user_id}/tweets", max_results="5")
    assert_same_shape(
        recorded,
        body,
        required=("data.id", "data.text", "data.edit_history_tweet_ids", "meta.result_count", "meta.next_token"),
    )
    assert_same_shape(
        schema(*cassette("test_client_get_users_mentions")),
        x_get(f"/2/users/{BOULOGNE.x_user_id}/mentions", max_results="5"),
    )


def test_it_serves_timelines_with_every_field_we_request_in_the_recorded_shape(x_get):
    body = x_get(f"/2/users/{BOULOGNE.x_user_id}/tweets", max_results="100", **X_PARAMS)
    assert_same_shape(x_tweets_schema(), body, required=("includes.tweets", "meta.next_token"))
    kinds = {ref["type"] for tweet in body["data"] for ref in tweet.get("referenced_tweets", [])}
    assert "retweeted" in kinds


def test_it_serves_mentions_search_and_lookup_in_the_recorded_shape(x_get):
    mentions = x_get(f"/2/users/{BOULOGNE.x_user_id}/mentions", max_results="20", **X_PARAMS)
    assert_same_shape(x_tweets_schema(), mentions, required=("data.id", "meta.newest_id"))
    search = x_get("/2/tweets/search/recent", query="#Boulogne OR #Déménagement", max_results="10", **X_PARAMS)
    assert_same_shape(x_tweets_schema(), search, required=("data.id", "meta.next_token"))
    ids = ",".join(t["id"] for t in search["data"][:3]) + ",1"
    lookup = x_get("/2/tweets", ids=ids, **X_PARAMS)
    recorded = x_tweets_schema()
    # The contract's not-found sample (no recording has one).
    recorded.absorb(
        {
            "errors": [
                {
                    "value": "1",
                    "detail": "d",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": "1",
                    "type": "t",
                }
            ]
        }
    )
    assert_same_shape(recorded, lookup, required=("data.id", "errors.resource_id"))


# --- Graph API: Facebook Pages ------------------------------------------------------------------


def test_it_serves_me_accounts_like_graph(sim, graph_get):
    recorded = schema(
        load("facebook/apidata/users/user_accounts_p1.json"),
        load("facebook/apidata/users/user_accounts_p2.json"),
        # The contract's IG link sample ({id, username}); RestFB's recording has {id} only.
        {
            "data": [
                load("instagram/_supplementary/restfb/v2_11/page-with-instagram.json"),
                {"instagram_business_account": {"id": "1", "username": "u"}},
            ]
        },
    )
    body = graph_get(
        "/me/accounts",
        sim.user_token(),
        fields="id,name,access_token,category,tasks,instagram_business_account{id,username}",
    )
    assert_same_shape(recorded, body, required=("data.access_token", "data.tasks", "paging.cursors.after"))


def test_it_serves_page_fields_like_graph(graph_get):
    recorded = schema(
        load("facebook/apidata/pages/single_fields_page.json"),
        load("facebook/models/page.json"),
        {"followers_count": 1},
    )  # in the contract and Meta's Page reference, not in a recording
    body = graph_get(f"/{BOULOGNE.fb_page_id}", fields="id,name,username,fan_count,followers_count,link,picture")
    assert_same_shape(recorded, body, required=("fan_count", "followers_count", "picture.data.url"))


def test_it_serves_page_insights_like_graph(graph_get):
    recorded = schema(
        load("facebook/_supplementary/restfb/v16_0/page-with-insights.json")["insights"],
        load("facebook/_supplementary/restfb/v3_3/insight/page-1.json"),
    )
    body = graph_get(
        f"/{BOULOGNE.fb_page_id}/insights",
        period="day",
        since="2026-10-01",
        until="2026-11-01",
        metric="page_follows,page_daily_follows_unique,page_daily_unfollows_unique,page_media_view,"
        "page_total_media_view_unique,page_post_engagements,page_views_total",
    )
    assert_same_shape(recorded, body, required=("data.values.end_time", "paging.next", "paging.previous"))


def test_it_serves_published_posts_like_graph(graph_get):
    recorded = schema(
        load("facebook/apidata/posts/feed_fields_p1.json"),
        load("facebook/apidata/posts/feeds_default_fields_p1.json"),
        {"data": [load("facebook/models/post.json")]},
    )
    body = graph_get(
        f"/{BOULOGNE.fb_page_id}/published_posts",
        limit="10",
        fields="id,created_time,message,permalink_url,status_type,full_picture,"
        "attachments{media_type,type,url},shares,reactions.summary(total_count).limit(0),"
        "comments.summary(total_count).limit(0)",
    )
    assert_same_shape(
        recorded,
        body,
        required=("data.reactions.summary.total_count", "data.comments.summary", "paging.cursors.after", "paging.next"),
    )
    assert body["paging"]["next"].startswith("http://127.0.0.1")  # next links point back at the simulator


def test_it_serves_post_insights_like_graph(graph_get):
    post = graph_get(f"/{BOULOGNE.fb_page_id}/published_posts", limit="1")["data"][0]
    recorded = schema(
        load("facebook/_supplementary/restfb/v16_0/post-with-insight.json")["insights"],
        # post_reactions_by_type_total's value is an object (contract sample).
        {"data": [{"values": [{"value": dict.fromkeys(("like", "love", "wow", "haha", "sorry", "anger"), 1)}]}]},
    )
    body = graph_get(
        f"/{post['id']}/insights",
        period="lifetime",
        metric="post_media_view,post_total_media_view_unique,post_reactions_by_type_total,post_clicks",
    )
    assert_same_shape(recorded, body, required=("data.values.value",))


def test_it_serves_post_comments_like_graph(graph_get):
    posts = graph_get(
        f"/{BOULOGNE.fb_page_id}/published_posts", limit="25", fields="id,comments.summary(total_count).limit(0)"
    )["data"]
    post = max(posts, key=lambda p: p["comments"]["summary"]["total_count"])
    recorded = schema(
        load("facebook/apidata/comments/comments_p1.json"),
        {"data": [load("facebook/models/comment.json")]},
        {"data": [{"parent": {"id": "1"}}]},
    )  # parent{id} on replies: contract sample
    body = graph_get(
        f"/{post['id']}/comments",
        filter="stream",
        order="chronological",
        limit="50",
        fields="id,from{id,name},message,created_time,like_count,comment_count,parent{id}",
    )
    assert_same_shape(recorded, body, required=("data.from.name", "data.comment_count"))


def test_it_serves_conversations_like_graph(graph_get):
    conversation = load("facebook/models/conversation.json")
    messages = [*load("facebook/apidata/messages/messages_info.json").values(), load("facebook/models/message.json")]
    paging = load("facebook/apidata/users/user_accounts_p1.json")["paging"]
    conversation = {**conversation, "messages": {"data": messages, "paging": {"cursors": paging["cursors"]}}}
    recorded = schema(
        {
            "data": [conversation, load("facebook/apidata/conversations/cvs_info.json")],
            "paging": load("facebook/apidata/users/user_accounts_p1.json")["paging"],
        }
    )
    body = graph_get(
        f"/{BOULOGNE.fb_page_id}/conversations",
        platform="messenger",
        limit="5",
        fields="id,updated_time,participants,messages.limit(20){id,from,to,message,created_time}",
    )
    assert_same_shape(recorded, body, required=("data.messages.data.message", "data.participants.data.email"))


def test_it_answers_graph_errors_like_graph(sim):
    response = requests.get(
        f"{sim.url}/v25.0/{BOULOGNE.fb_page_id}/insights",
        timeout=10,
        params={"metric": "page_impressions", "access_token": sim.page_token()},
    )
    assert response.status_code == 400
    assert_same_shape(load("facebook/error.json"), response.json(), required=("error.code", "error.fbtrace_id"))


def test_it_exchanges_tokens_like_graph(sim):
    response = requests.get(
        f"{sim.url}/v25.0/oauth/access_token",
        timeout=10,
        params={
            "grant_type": "fb_exchange_token",
            "client_id": "1",
            "client_secret": "s",
            "fb_exchange_token": sim.user_token(),
        },
    )
    assert_same_shape(load("facebook/base/long_term_token.json"), response.json(), required=("expires_in",))


# --- Graph API: Instagram -----------------------------------------------------------------------


def test_it_serves_the_instagram_user_like_graph(graph_get):
    recorded = schema(load("instagram/apidata/users/user_fields.json"), load("instagram/models/ig_user.json"))
    body = graph_get(
        f"/{BOULOGNE.ig_user_id}",
        fields="id,username,name,followers_count,follows_count,media_count,profile_picture_url,biography",
    )
    assert_same_shape(recorded, body, required=("followers_count", "media_count"))


def test_it_serves_instagram_account_insights_like_graph(graph_get):
    total = graph_get(
        f"/{BOULOGNE.ig_user_id}/insights",
        period="day",
        metric_type="total_value",
        since="2026-11-20",
        until="2026-11-21",
        metric="views,reach,accounts_engaged,total_interactions,likes,comments,shares,saves,replies,"
        "follows_and_unfollows",
        breakdown="follow_type",
    )
    recorded = schema(
        load("instagram/apidata/users/user_insights_new.json"),
        load("facebook/_supplementary/restfb/v16_0/post-with-insight.json")["insights"],
    )
    assert_same_shape(recorded, total, required=("data.total_value.value",))
    series = graph_get(
        f"/{BOULOGNE.ig_user_id}/insights",
        period="day",
        metric="follower_count,reach",
        since="2026-11-20",
        until="2026-11-23",
    )
    assert_same_shape(
        schema(load("instagram/apidata/users/user_insights.json"), {"paging": {"previous": "u", "next": "u"}}),
        series,
        required=("data.values.end_time",),
    )


def test_it_serves_instagram_media_and_their_insights_like_graph(graph_get):
    recorded = schema(
        load("instagram/apidata/users/medias_p1.json"),
        {"data": [load("instagram/models/ig_media.json")]},
        # media_product_type and thumbnail_url (videos) are in the contract and Meta's reference,
        # not in a recording.
        {"data": [{"media_product_type": "FEED", "thumbnail_url": "https://x"}]},
    )
    body = graph_get(
        f"/{BOULOGNE.ig_user_id}/media",
        limit="25",
        fields="id,caption,media_type,media_product_type,media_url,permalink,thumbnail_url,timestamp,"
        "like_count,comments_count",
    )
    assert_same_shape(recorded, body, required=("data.timestamp", "paging.cursors.after", "paging.next"))
    insights = schema(
        load("instagram/apidata/medias/insights.json"), load("instagram/apidata/medias/insights_new.json")
    )
    for media in body["data"][:5]:
        metric = "views,reach,likes,comments,shares,saved,total_interactions"
        if media["media_product_type"] == "REELS":
            metric += ",ig_reels_avg_watch_time"
        assert_same_shape(insights, graph_get(f"/{media['id']}/insights", metric=metric), required=("data.values",))


def test_it_serves_instagram_comments_like_graph(graph_get):
    media = graph_get(f"/{BOULOGNE.ig_user_id}/media", limit="25", fields="id,comments_count")["data"]
    busiest = max(media, key=lambda m: m["comments_count"])
    recorded = schema(
        load("instagram/apidata/medias/comments_p1.json"),
        {"data": [load("instagram/models/ig_comment.json")]},
        {"data": [{"replies": {"data": [{"username": "u"}]}}]},
    )  # replies{username}: contract sample
    body = graph_get(
        f"/{busiest['id']}/comments", fields="id,text,timestamp,username,like_count,replies{id,text,timestamp,username}"
    )
    assert_same_shape(recorded, body, required=("data.username",))


def test_it_serves_tags_and_hashtag_search_like_graph(sim, graph_get):
    tagged = graph_get(
        f"/{BOULOGNE.ig_user_id}/tags",
        fields="id,caption,media_type,permalink,timestamp,username,like_count,comments_count",
    )
    # username on tagged media: contract sample (Meta's /tags reference lists it; the recording did not ask).
    media_page = load("instagram/apidata/users/medias_p1.json")
    recorded_tags = schema(
        load("instagram/apidata/users/tagged_medias.json"),
        {"data": [{"username": "u"}]},
        {"paging": media_page["paging"]},
    )  # a media edge's paging (the recording had one page)
    assert_same_shape(recorded_tags, tagged, required=("data.username",))
    found = graph_get("/ig_hashtag_search", user_id=BOULOGNE.ig_user_id, q="Boulbi")
    assert_same_shape(load("instagram/apidata/users/hashtag_search.json"), found, required=("data.id",))
    recorded = schema(
        load("instagram/apidata/hashtags/hashtag_recent_medias_p1.json"),
        load("instagram/apidata/hashtags/hashtag_top_medias_p1.json"),
        load("instagram/apidata/users/medias_p1.json"),
        {"data": [{"caption": "c"}]},
    )  # caption: contract sample (the recordings did not ask)
    tag_id = found["data"][0]["id"]
    for edge in ("recent_media", "top_media"):
        body = graph_get(
            f"/{tag_id}/{edge}",
            user_id=BOULOGNE.ig_user_id,
            limit="5",
            fields="id,caption,media_type,media_url,permalink,timestamp,like_count,comments_count",
        )
        assert_same_shape(recorded, body, required=("data.id",))
    searched = graph_get(f"/{BOULOGNE.ig_user_id}/recently_searched_hashtags")
    assert_same_shape(load("instagram/apidata/users/recently_searched_hashtags.json"), searched, required=("data.id",))


def test_it_serves_an_english_brand_in_the_same_shapes(sim, graph_get):
    token = sim.page_token("northwind")
    body = graph_get(f"/{NORTHWIND.ig_user_id}/media", token, limit="5", fields="id,caption,media_type,timestamp")
    recorded = schema(
        load("instagram/apidata/users/medias_p1.json"), {"data": [load("instagram/models/ig_media.json")]}
    )
    assert_same_shape(recorded, body, required=("data.caption",))
