"""Facebook Pages and Instagram providers: recorded Graph API bodies served at the HTTP boundary and
read through pyfacebook 0.24; Meta's Pacific days; no deprecated metric is ever requested."""

import datetime as dt
import json

import pytest

from networks.http import recording
from networks.providers.base import ContentType, DailyMetrics, PostMetrics
from networks.providers.errors import AuthExpired, Permanent, RateLimited, Transient
from networks.providers.facebook import provider as fb
from networks.providers.facebook.provider import FacebookProvider
from networks.providers.graph import pacific_day, pacific_midnight
from networks.providers.instagram import provider as ig
from networks.providers.instagram.provider import InstagramProvider
from networks.tests.recorded import GRAPH_HEADERS, NEEDS_SHARED, recorded_json

V = r"/v25\.0"
# Removed metrics (NETWORK_APIS.md §3.2, §4.2, §4.3): requesting one answers 400 code 100.
DEPRECATED = {
    "page_impressions",
    "page_impressions_unique",
    "page_fans",
    "page_fan_adds",
    "page_fan_removes",
    "page_engaged_users",
    "page_fans_city",
    "post_impressions",
    "post_impressions_unique",
    "post_engaged_users",
    "post_negative_feedback",
    "post_clicks_unique",
    "impressions",
    "plays",
    "video_views",
    "engagement",
    "profile_views",
    "email_contacts",
    "website_clicks",
    "clips_replays_count",
    "ig_reels_aggregated_all_plays_count",
    "taps_forward",
    "taps_back",
    "exits",
}


@pytest.fixture
def graph(settings):
    settings.GRAPH_API_BASE_URL = "https://graph.test/"
    settings.GRAPH_API_VERSION = "v25.0"
    settings.META_APP_ID, settings.META_APP_SECRET = "app-id", "app-secret"


@pytest.fixture
def page(graph):
    return FacebookProvider(external_id="20531316728", access_token="page-token")


@pytest.fixture
def insta(graph):
    return InstagramProvider(external_id="17841407673135339", access_token="page-token")


def insights(name: str, values: list[tuple[int, str]], period: str = "day", obj: str = "100") -> dict:
    return {
        "name": name,
        "period": period,
        "values": [{"value": v, "end_time": t} for v, t in values],
        "title": name,
        "description": name,
        "id": f"{obj}/insights/{name}/{period}",
    }


# --- Pacific days --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end_time", "day"),
    [
        ("2026-11-02T08:00:00+0000", dt.date(2026, 11, 1)),  # PST (DST ended on Nov 1)
        ("2026-11-01T07:00:00+0000", dt.date(2026, 10, 31)),  # PDT
        ("2026-03-08T08:00:00+0000", dt.date(2026, 3, 7)),  # PST, DST starts that morning
        ("2026-03-09T07:00:00+0000", dt.date(2026, 3, 8)),  # PDT: the 23-hour day
        ("2023-03-08T08:00:00+0000", dt.date(2023, 3, 7)),
    ],
)
def test_it_maps_meta_end_times_to_their_pacific_day(end_time, day):
    assert pacific_day(end_time) == day


def test_it_asks_for_pacific_midnights_across_dst():
    assert dt.datetime.fromtimestamp(pacific_midnight(dt.date(2026, 11, 1)), dt.UTC).hour == 7
    assert dt.datetime.fromtimestamp(pacific_midnight(dt.date(2026, 11, 2)), dt.UTC).hour == 8


def test_it_reads_page_insights_into_our_metrics_on_the_right_days(replay, page):
    body = {
        "data": [
            insights("page_follows", [(1200, "2026-11-01T07:00:00+0000"), (1203, "2026-11-02T08:00:00+0000")]),
            insights("page_daily_follows_unique", [(5, "2026-11-01T07:00:00+0000"), (4, "2026-11-02T08:00:00+0000")]),
            insights("page_media_view", [(0, "2026-11-01T07:00:00+0000"), (870, "2026-11-02T08:00:00+0000")]),
            insights("page_total_media_view_unique", [(300, "2026-11-02T08:00:00+0000")]),
        ],
        "paging": {"previous": "x", "next": "y"},
    }
    replay.add("GET", rf"{V}/20531316728/insights", body, headers=GRAPH_HEADERS)
    rows = page.daily_metrics(dt.date(2026, 10, 31), dt.date(2026, 11, 1))
    assert rows == [
        DailyMetrics(day=dt.date(2026, 10, 31), followers=1200, follows=5, views=0),
        DailyMetrics(day=dt.date(2026, 11, 1), followers=1203, follows=4, views=870, reach=300),
    ]
    # Not reported (unfollows, engagements, page views) stays None; a real 0 stays 0.
    assert rows[0].unfollows is None and rows[0].views == 0
    params = replay.params()
    assert params["period"] == ["day"]
    assert params["since"] == [str(pacific_midnight(dt.date(2026, 10, 31)))]
    assert params["until"] == [str(pacific_midnight(dt.date(2026, 11, 2)))]
    assert "appsecret_proof" in params and params["access_token"] == ["page-token"]


def test_it_never_requests_a_deprecated_metric():
    requested = (
        set(fb.DAILY_METRICS)
        | set(fb.POST_METRICS)
        | set(ig.TOTAL_VALUE_METRICS)
        | set(ig.TIME_SERIES_METRICS)
        | {m for metrics in ig.MEDIA_METRICS.values() for m in metrics}
    )
    assert not requested & DEPRECATED


def test_it_splits_long_page_insight_ranges_into_90_day_windows(replay, page):
    replay.add("GET", rf"{V}/20531316728/insights", {"data": []}, headers=GRAPH_HEADERS)
    page.daily_metrics(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(replay.calls) == 5


# --- Facebook recorded bodies ---------------------------------------------------------------------


@NEEDS_SHARED
def test_it_reads_a_recorded_page(replay, page):
    replay.add(
        "GET",
        rf"{V}/20531316728",
        recorded_json("facebook/apidata/pages/single_fields_page.json"),
        headers=GRAPH_HEADERS,
    )
    profile = page.profile()
    assert (profile.external_id, profile.handle, profile.name) == ("20531316728", "facebookapp", "Facebook")
    # fan_count (likes) is not followers: followers_count was not in that response.
    assert profile.followers is None


@NEEDS_SHARED
def test_it_reads_recorded_page_posts_and_their_next_page(replay, page):
    body = recorded_json("facebook/apidata/posts/feed_fields_p1.json")
    replay.add("GET", rf"{V}/20531316728/published_posts", body, headers=GRAPH_HEADERS)
    result = page.posts(since=dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    first = result.items[0]
    assert (first.external_id, first.text) == ("4_10113477241177441", "Happy July 4th! 🇺🇸")
    assert first.published_at == dt.datetime(2021, 7, 4, 19, 50, 58, tzinfo=dt.UTC)
    assert first.content_type == ContentType.TEXT
    assert first.metrics.likes is None and first.metrics.comments is None  # not in that response
    assert len(result.items) == 5
    assert result.next_cursor == "until:1624385168"  # time-based paging, from the next link
    assert replay.params()["since"] == [str(int(dt.datetime(2021, 6, 1, tzinfo=dt.UTC).timestamp()))]


def test_it_reads_post_counts_and_post_insights():
    post = fb.parse_post(
        {
            "id": "1_2",
            "created_time": "2026-11-01T09:00:00+0000",
            "message": "Marché de Noël #Boulogne",
            "status_type": "added_photos",
            "attachments": {"data": [{"media_type": "photo", "type": "photo"}]},
            "reactions": {"data": [], "summary": {"total_count": 42}},
            "comments": {"data": [], "summary": {"order": "ranked", "total_count": 7, "can_comment": True}},
        }
    )
    assert post.metrics == PostMetrics(likes=42, comments=7, shares=0)
    assert post.content_type == ContentType.PHOTO and post.hashtags == ("Boulogne",)
    metrics = fb.parse_post_insights(
        {
            "data": [
                insights("post_media_view", [(1500, "")], "lifetime"),
                {
                    "name": "post_reactions_by_type_total",
                    "period": "lifetime",
                    "values": [{"value": {"like": 30, "love": 12}}],
                },
                insights("post_clicks", [(9, "")], "lifetime"),
            ]
        }
    )
    assert metrics == PostMetrics(views=1500, clicks=9, likes=42, reactions_by_type={"like": 30, "love": 12})
    assert metrics.reach is None


@NEEDS_SHARED
def test_it_reads_recorded_comments(replay, page):
    body = recorded_json("facebook/apidata/comments/comments_p1.json")
    replay.add("GET", rf"{V}/1_2/comments", body, headers=GRAPH_HEADERS)
    comments = page.comments("1_2").items
    assert comments[0].text.startswith("Boa noite")
    assert comments[0].published_at == dt.datetime(2021, 8, 10, 18, 45, 3, tzinfo=dt.UTC)
    assert (comments[0].likes, comments[0].replies) == (0, 1)
    assert replay.params()["filter"] == ["stream"]


@NEEDS_SHARED
def test_it_reads_a_recorded_conversation(replay, page):
    conversation = recorded_json("facebook/models/conversation.json")
    conversation.setdefault(
        "messages",
        {
            "data": [
                {
                    "id": "m_1",
                    "message": "Bonjour",
                    "created_time": "2021-07-23T09:28:50+0000",
                    "from": {"id": "2711636948859886", "name": "Kun Liu"},
                }
            ]
        },
    )
    replay.add("GET", rf"{V}/20531316728/conversations", {"data": [conversation]}, headers=GRAPH_HEADERS)
    result = page.conversations().items[0]
    assert result.external_id == "t_587956915396498"
    assert ("2711636948859886", "Kun Liu") in result.participants
    assert result.messages and result.messages[0].from_name


# --- Instagram recorded bodies --------------------------------------------------------------------


@NEEDS_SHARED
def test_it_reads_a_recorded_instagram_user(replay, insta):
    replay.add(
        "GET",
        rf"{V}/17841407673135339",
        recorded_json("instagram/apidata/users/user_fields.json"),
        headers=GRAPH_HEADERS,
    )
    profile = insta.profile()
    assert (profile.handle, profile.followers, profile.posts_count) == ("facebookfordevelopers", 64363, 427)
    assert profile.follows is None  # follows_count absent from the recording


@NEEDS_SHARED
def test_it_reads_recorded_instagram_media(replay, insta):
    body = recorded_json("instagram/apidata/users/medias_p1.json")
    replay.add("GET", rf"{V}/17841407673135339/media", body, headers=GRAPH_HEADERS)
    result = insta.posts()
    second = result.items[1]
    assert second.external_id == "17896622936197745"
    assert second.metrics == PostMetrics(likes=2, comments=6)
    assert second.content_type == ContentType.PHOTO
    assert second.published_at == dt.datetime(2021, 8, 13, 8, 2, 40, tzinfo=dt.UTC)
    assert result.next_cursor == "after"


@NEEDS_SHARED
def test_it_reads_recorded_total_value_insights_one_day_at_a_time(replay, insta):
    replay.add(
        "GET",
        rf"{V}/17841407673135339/insights",
        recorded_json("instagram/apidata/users/user_insights_new.json"),
        headers=GRAPH_HEADERS,
    )
    rows = insta.daily_metrics(dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert [r.day for r in rows] == [dt.date(2026, 11, 1), dt.date(2026, 11, 2)]
    assert rows[0].reach == 14516883
    total_value_calls = [c for c in replay.calls if "total_value" in c.url]
    assert len(total_value_calls) == 2  # one per day: a total_value is one number for the window


def test_it_picks_media_insight_metrics_by_product_type(replay, insta):
    replay.add(
        "GET",
        rf"{V}/\d+/insights",
        {
            "data": [
                {"name": "reach", "period": "lifetime", "values": [{"value": 80}], "id": "1/insights/reach/lifetime"}
            ]
        },
        headers=GRAPH_HEADERS,
    )
    result = insta.post_metrics(["1", "2", "3"], content_types={"2": ContentType.REEL, "3": ContentType.STORY})
    metrics = [replay.params(i)["metric"][0].split(",") for i in range(3)]
    assert "saved" in metrics[0] and "ig_reels_avg_watch_time" not in metrics[0]
    assert "ig_reels_avg_watch_time" in metrics[1]
    assert "replies" in metrics[2] and "saved" not in metrics[2]
    assert result["1"] == PostMetrics(reach=80)


@NEEDS_SHARED
def test_it_reads_recorded_comments_with_replies(replay, insta):
    body = recorded_json("instagram/apidata/medias/comments_p1.json")
    replay.add("GET", rf"{V}/17846368219941692/comments", body, headers=GRAPH_HEADERS)
    comments = insta.comments("17846368219941692").items
    assert [c.text for c in comments] == ["Beautiful!", "Beautiful!"]
    assert comments[0].published_at == dt.datetime(2020, 6, 1, 10, 56, 52, tzinfo=dt.UTC)


@NEEDS_SHARED
def test_it_searches_a_hashtag_through_recorded_responses(replay, insta):
    replay.add(
        "GET",
        rf"{V}/ig_hashtag_search",
        recorded_json("instagram/apidata/users/hashtag_search.json"),
        headers=GRAPH_HEADERS,
    )
    # The recording omits timestamps (fields were not asked): give them as the API does when asked.
    body = recorded_json("instagram/apidata/hashtags/hashtag_recent_medias_p1.json")
    for item in body["data"]:
        item["timestamp"] = "2026-11-29T10:00:00+0000"
    replay.add("GET", rf"{V}/17841562426109234/recent_media", body, headers=GRAPH_HEADERS)
    result = insta.search("#developers")
    assert replay.params(0)["q"] == ["developers"]
    assert [p.metrics.likes for p in result.items] == [804, 1430, 448, 502, 165]
    assert result.items[0].author_handle == ""  # hashtag media carry no username (API rule)
    assert result.next_cursor == "17841562426109234|after"


@NEEDS_SHARED
def test_it_reads_recorded_tagged_media_as_mentions(replay, insta):
    replay.add(
        "GET",
        rf"{V}/17841407673135339/tags",
        recorded_json("instagram/apidata/users/tagged_medias.json"),
        headers=GRAPH_HEADERS,
    )
    mentions = insta.mentions().items
    assert mentions[2].hashtags == ("cute", "loveyou")


# --- errors and the usage headers -----------------------------------------------------------------


def test_it_survives_unknown_keys_in_usage_headers_and_records_them(replay, page):
    usage = {
        "100": [
            {
                "type": "pages",
                "call_count": 12,
                "total_cputime": 3,
                "total_time": 4,
                "estimated_time_to_regain_access": 0,
                "new_key": 1,
            }
        ]
    }
    replay.add(
        "GET",
        rf"{V}/20531316728",
        {"id": "20531316728", "name": "P", "followers_count": 10},
        headers={
            **GRAPH_HEADERS,
            "x-app-usage": json.dumps({"call_count": 7, "total_cputime": 1, "total_time": 2, "unknown": 5}),
            "x-business-use-case-usage": json.dumps(usage),
        },
    )
    with recording() as calls:
        assert page.profile().followers == 10
    assert calls[0].usage.app_usage["call_count"] == 7
    assert calls[0].usage.max_percent == 12
    assert calls[0].path == "/v25.0/20531316728"  # never the query string (it holds the token)


def test_it_turns_graph_throttling_into_rate_limited_with_the_announced_wait(replay, page):
    replay.add(
        "GET",
        rf"{V}/20531316728",
        {
            "error": {
                "message": "(#80001) There have been too many calls to this Page account.",
                "type": "OAuthException",
                "code": 80001,
                "fbtrace_id": "A",
            }
        },
        status=400,
        headers={
            **GRAPH_HEADERS,
            "x-business-use-case-usage": json.dumps(
                {
                    "20531316728": [
                        {
                            "type": "pages",
                            "call_count": 100,
                            "total_cputime": 10,
                            "total_time": 10,
                            "estimated_time_to_regain_access": 17,
                        }
                    ]
                }
            ),
        },
    )
    before = dt.datetime.now(dt.UTC)
    with pytest.raises(RateLimited) as caught:
        page.profile()
    assert caught.value.scope == "account"
    assert dt.timedelta(minutes=16) < caught.value.reset_at - before < dt.timedelta(minutes=18)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            400,
            {
                "error": {
                    "message": "Error validating access token",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 460,
                }
            },
            AuthExpired,
        ),
        (
            400,
            {
                "error": {
                    "message": "(#100) The value must be a valid insights metric",
                    "type": "OAuthException",
                    "code": 100,
                }
            },
            Permanent,
        ),
        (
            500,
            {
                "error": {
                    "message": "An unknown error has occurred.",
                    "type": "OAuthException",
                    "code": 1,
                    "is_transient": True,
                }
            },
            Transient,
        ),
        (
            403,
            {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4}},
            RateLimited,
        ),
    ],
)
def test_it_classifies_graph_errors_served_over_http(replay, page, status, body, expected):
    replay.add("GET", rf"{V}/20531316728", body, status=status, headers=GRAPH_HEADERS)
    with pytest.raises(expected):
        page.profile()


def test_it_treats_a_non_json_graph_answer_as_transient(replay, page):
    replay.add(
        "GET", rf"{V}/20531316728", b"<html>502 Bad Gateway</html>", status=502, headers={"Content-Type": "text/html"}
    )
    with pytest.raises(Transient):
        page.profile()
    replay.add("GET", rf"{V}/20531316728", b'{"id": "1", "na', headers=GRAPH_HEADERS)
    with pytest.raises(Transient):
        page.profile()
