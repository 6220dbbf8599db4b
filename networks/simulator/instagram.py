"""Instagram (Facebook Login) nodes: IG user, insights, media and their insights, comments, tags, hashtags."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from networks.simulator import cdn
from networks.simulator import fields as F  # noqa: N812 — short name for a small DSL
from networks.simulator.generator import meta
from networks.simulator.graph_api import (
    BAD_METRIC,
    Caller,
    day_window,
    days_back,
    graph_error,
    in_range,
    insights_paging,
    page_of,
    parse_time,
    unsupported,
)
from networks.simulator.server import Reply, Request
from networks.simulator.world import Persona, persona_by_ig

ACCOUNT_TOTAL_METRICS = {
    "views": ("Views", "The number of times your content was played or displayed."),
    "reach": ("Accounts reached", "The number of unique accounts that have seen your content, at least once."),
    "accounts_engaged": ("Accounts engaged", "The number of accounts that have interacted with your content."),
    "total_interactions": (
        "Content interactions",
        "The total number of post interactions, story interactions, reels interactions.",
    ),
    "likes": ("Likes", "The number of likes on your posts, reels and videos."),
    "comments": ("Comments", "The number of comments on your posts, reels, videos and live videos."),
    "shares": ("Shares", "The number of shares of your posts, stories, reels, videos and live videos."),
    "saves": ("Saves", "The number of saves of your posts, reels and videos."),
    "replies": ("Replies", "The number of replies you received from your story."),
    "follows_and_unfollows": ("Follows and unfollows", "The number of accounts that followed you and unfollowed you."),
}
TIME_SERIES_METRICS = {
    "follower_count": ("Follower Count", "Total number of unique accounts following this profile"),
    "reach": ACCOUNT_TOTAL_METRICS["reach"],
}
REMOVED = {
    "impressions",
    "plays",
    "video_views",
    "engagement",
    "profile_views",
    "email_contacts",
    "website_clicks",
    "get_directions_clicks",
    "phone_call_clicks",
    "text_message_clicks",
    "clips_replays_count",
    "ig_reels_aggregated_all_plays_count",
    "carousel_album_impressions",
    "taps_forward",
    "taps_back",
    "exits",
}
MEDIA_METRICS = {
    "FEED": {
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
        "saved",
        "total_interactions",
        "follows",
        "profile_visits",
        "profile_activity",
    },
    "REELS": {
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
        "saved",
        "total_interactions",
        "ig_reels_avg_watch_time",
        "ig_reels_video_view_total_time",
    },
    "STORY": {
        "views",
        "reach",
        "replies",
        "shares",
        "total_interactions",
        "follows",
        "profile_visits",
        "profile_activity",
        "navigation",
    },
}
HASHTAG_LIMIT = 30
HASHTAG_WINDOW = timedelta(days=7)


def hashtag_id(name: str) -> str:
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return f"1784{digest % 10**13:013d}"


WORLD_HASHTAG_IDS = {hashtag_id(tag): tag for tag in meta.WORLD_TAGS}


# --- IG user -----------------------------------------------------------------------------------


def user_node(request: Request, persona: Persona) -> dict:
    profile = meta.ig_profile(request.sim.seed, persona, request.now)
    available = {
        "id": persona.ig_user_id,
        "ig_id": int(persona.ig_user_id or 0) % 10**10,
        "username": persona.ig_username,
        "name": persona.name,
        "biography": persona.description,
        "profile_picture_url": f"https://scontent.cdninstagram.com/v/sim/{persona.ig_user_id}.jpg",
        "website": f"https://www.{persona.key}.example",
        **profile,
        # Caption and comment @mentions, by the ids the ``mentions`` webhook gives.
        "mentioned_media": lambda item: _mentioned_media(request, item),
        "mentioned_comment": lambda item: _mentioned_comment(request, item),
    }
    return F.select(available, F.parse(request.arg("fields")), ["id"], "IGUser")


def _mentioned_media(request: Request, item: F.Field) -> dict:
    media = meta.ig_media_by_id(request.sim.seed, item.modifiers.get("media_id", ""))
    if media is None or media.created > request.now:
        raise graph_error("(#100) Invalid media_id", 100)
    return media_node(request, media, item.children or [F.Field("id")])


def _mentioned_comment(request: Request, item: F.Field) -> dict:
    from networks.simulator import inbox

    found = inbox.ig_comment(request, item.modifiers.get("comment_id", ""))
    if found is None:
        raise graph_error("(#100) Invalid comment_id", 100)
    media, comment = found
    available = {
        "id": comment.id,
        "text": comment.message if isinstance(comment, meta.Comment) else comment.text,
        "timestamp": meta.graph_time(comment.created),
        "like_count": getattr(comment, "like_count", 0),
        "username": getattr(comment, "username", "") or getattr(comment, "author_name", ""),
        "media": {"id": media.id},
    }
    return F.select(available, item.children, ["id", "text", "timestamp"], "IGComment")


def _check_metrics(names: list[str], known: set[str], kind: str) -> None:
    if not names:
        raise graph_error("(#100) The parameter metric is required", 100)
    for index, name in enumerate(names):
        if name in REMOVED:
            raise graph_error(BAD_METRIC, 100)
        if name not in known:
            raise graph_error(
                f"(#100) metric[{index}] must be one of the following values: {', '.join(sorted(known))}", 100
            )
    del kind


def account_insights(request: Request, persona: Persona) -> Reply:
    names = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
    period = request.arg("period") or "day"
    seed = request.sim.seed
    if request.arg("metric_type") == "total_value":
        _check_metrics(names, set(ACCOUNT_TOTAL_METRICS), "total_value")
        days = day_window(request, max_days=30, default_days=1)
        daily = [meta.ig_account_daily(seed, persona, day) for day in days]
        # Reach and engaged accounts are unique people: over several days they overlap.
        overlap = 1 / (1 + 0.15 * max(0, len(days) - 1))
        data = []
        for name in names:
            if name == "follows_and_unfollows":
                follows, unfollows = sum(d["follows"] for d in daily), sum(d["unfollows"] for d in daily)
                total: dict = {"value": follows + unfollows}
                if request.arg("breakdown") == "follow_type":
                    total["breakdowns"] = [
                        {
                            "dimension_keys": ["follow_type"],
                            "results": [
                                {"dimension_values": ["FOLLOWER"], "value": follows},
                                {"dimension_values": ["NON_FOLLOWER"], "value": unfollows},
                            ],
                        }
                    ]
            else:
                value = sum(d[name] for d in daily)
                total = {"value": int(value * overlap) if name in {"reach", "accounts_engaged"} else value}
                if name == "reach" and request.arg("breakdown") == "follow_type":
                    followers = int(total["value"] * 0.6)
                    total["breakdowns"] = [
                        {
                            "dimension_keys": ["follow_type"],
                            "results": [
                                {"dimension_values": ["FOLLOWER"], "value": followers},
                                {"dimension_values": ["NON_FOLLOWER"], "value": total["value"] - followers},
                            ],
                        }
                    ]
            title, description = ACCOUNT_TOTAL_METRICS[name]
            data.append(
                {
                    "name": name,
                    "period": period,
                    "title": title,
                    "description": description,
                    "total_value": total,
                    "id": f"{persona.ig_user_id}/insights/{name}/{period}",
                }
            )
        return Reply(200, {"data": data})  # total_value answers carry no paging (recorded)
    _check_metrics(names, set(TIME_SERIES_METRICS), "time_series")
    days = day_window(request, max_days=30, default_days=2)
    if (
        "follower_count" in names
        and days
        and days[0] < meta.last_complete_pacific_day(request.now) - timedelta(days=30)
    ):
        raise graph_error("(#100) follower_count metric only supports the last 30 days", 100)
    data = []
    for name in names:
        key = "follower_count" if name == "follower_count" else "reach"
        values = [
            {"value": meta.ig_account_daily(seed, persona, day)[key], "end_time": meta.pacific_end_time(day)}
            for day in days
        ]
        title, description = TIME_SERIES_METRICS[name]
        data.append(
            {
                "name": name,
                "period": "day",
                "values": values,
                "title": title,
                "description": description,
                "id": f"{persona.ig_user_id}/insights/{name}/day",
            }
        )
    return Reply(200, {"data": data, "paging": insights_paging(request, days)})


def media_node(
    request: Request, media: meta.IgMedia, requested: list[F.Field] | None, *, hashtag: bool = False
) -> dict:
    counts = meta.ig_media_metrics(media, request.now)
    shortcode = "Sim" + hashlib.sha256(media.id.encode()).hexdigest()[:8]
    url = cdn.media_url(request, media.id)

    def children(item: F.Field) -> dict | None:
        if media.media_type != "CAROUSEL_ALBUM":
            return None
        nodes = [
            F.select(
                {
                    "id": f"{media.id[:-2]}{i + 11}",
                    "media_type": "IMAGE",
                    "media_url": url,
                    "timestamp": meta.graph_time(media.created),
                    "permalink": f"https://www.instagram.com/p/{shortcode}/",
                },
                item.children,
                ["id"],
                "IGMedia",
            )
            for i in range(3)
        ]
        return {"data": nodes}

    available = {
        "id": media.id,
        "caption": media.caption or None,
        "media_type": media.media_type,
        "media_product_type": media.product,
        "media_url": url if media.media_type != "VIDEO" else cdn.media_url(request, media.id, "mp4"),
        "thumbnail_url": cdn.media_url(request, f"{media.id}_thumb") if media.media_type == "VIDEO" else None,
        "permalink": f"https://www.instagram.com/{'reel' if media.product == 'REELS' else 'p'}/{shortcode}/",
        "shortcode": shortcode,
        "timestamp": meta.graph_time(media.created),
        "like_count": counts["likes"],
        "comments_count": counts["comments"],
        "children": children,
        "is_comment_enabled": True,
    }
    if not hashtag:  # hashtag search never reveals the author (Meta's rule)
        available["username"] = media.username
    return F.select(available, requested, ["id"], "IGMedia")


def _media_list(request: Request, items: Iterator[meta.IgMedia], *, hashtag: bool = False, maximum: int = 100) -> Reply:
    requested = F.parse(request.arg("fields"))
    picked, paging = page_of(request, items, lambda m: m.id, maximum=maximum, before=not hashtag)
    return Reply(200, {"data": [media_node(request, m, requested, hashtag=hashtag) for m in picked], "paging": paging})


def user_media(request: Request, persona: Persona, *, stories: bool) -> Reply:
    now, seed = request.now, request.sim.seed
    since, until = parse_time(request.arg("since")), parse_time(request.arg("until"))

    def items() -> Iterator[meta.IgMedia]:
        floor = now - timedelta(days=1) if stories else since
        for day in days_back(now, floor, until):
            for media in reversed(meta.ig_day(seed, persona, day)):
                if media.created > now or (media.product == "STORY") != stories:
                    continue
                if stories and media.created < now - timedelta(days=1):
                    continue
                if in_range(media.created, since, until):
                    yield media

    return _media_list(request, items())


def tags(request: Request, persona: Persona) -> Reply:
    now, seed = request.now, request.sim.seed

    def items() -> Iterator[meta.IgMedia]:
        for day in days_back(now, now - timedelta(days=365), None):
            yield from (m for m in reversed(meta.tagged_day(seed, persona, day)) if m.created <= now)

    return _media_list(request, items())


def recently_searched(request: Request, persona: Persona) -> Reply:
    with request.sim.hashtag_lock:
        searches = dict(request.sim.hashtag_searches.get(persona.ig_user_id or "", {}))
    window_start = request.now - HASHTAG_WINDOW
    data = [
        {"id": tag_id, "name": _hashtag_name(request, tag_id)}
        for tag_id, first in sorted(searches.items(), key=lambda kv: kv[1], reverse=True)
        if first >= window_start
    ]
    return Reply(200, {"data": data})


def user_edge(request: Request, caller: Caller, persona: Persona, edge: str | None) -> Reply:
    from networks.simulator import inbox  # Instagram Direct threads live with the inbox's writes

    handlers = {
        None: lambda: Reply(200, user_node(request, persona)),
        "insights": lambda: account_insights(request, persona),
        "media": lambda: user_media(request, persona, stories=False),
        "stories": lambda: user_media(request, persona, stories=True),
        "tags": lambda: tags(request, persona),
        "recently_searched_hashtags": lambda: recently_searched(request, persona),
        "conversations": lambda: inbox.instagram_conversations(request, persona),
    }
    handler = handlers.get(edge)
    if handler is None:
        raise graph_error(f"(#100) Tried accessing nonexisting field ({edge}) on node type (IGUser)", 100)
    return handler()


# --- Media -------------------------------------------------------------------------------------


def media_insights(request: Request, media: meta.IgMedia) -> Reply:
    if media.persona is None or media.stream != meta.OWN_MEDIA:
        raise graph_error("(#10) Application does not have permission for this action", 10)
    names = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
    known = MEDIA_METRICS[media.product]
    for name in names:
        if name in REMOVED:
            raise graph_error(BAD_METRIC, 100)
        if name not in known:
            raise graph_error(
                f"(#100) The Media Insights API does not support the {name} metric for this media product type.", 100
            )
    if not names:
        raise graph_error("(#100) The parameter metric is required", 100)
    counts = meta.ig_media_metrics(media, request.now)
    values = {
        **{
            k: counts[k]
            for k in ("views", "reach", "likes", "comments", "shares", "saved", "replies", "total_interactions")
        },
        "follows": counts["reach"] // 400,
        "profile_visits": counts["reach"] // 60,
        "profile_activity": counts["reach"] // 90,
        "navigation": counts["views"],
        "ig_reels_avg_watch_time": counts["avg_watch_ms"],
        "ig_reels_video_view_total_time": counts["avg_watch_ms"] * counts["views"],
    }
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values[name]}],
            "title": name.replace("_", " ").capitalize(),
            "description": f"Lifetime {name.replace('_', ' ')} of this media.",
            "id": f"{media.id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return Reply(200, {"data": data})


def comment_node(
    comment: meta.Comment, requested: list[F.Field] | None, replies: list[meta.Comment], media: meta.IgMedia
) -> dict:
    def reply_nodes(item: F.Field) -> dict | None:
        if not replies:
            return None
        return {"data": [comment_node(r, item.children, [], media) for r in replies]}

    available = {
        "id": comment.id,
        "text": comment.message,
        "timestamp": meta.graph_time(comment.created),
        "username": comment.username,
        "like_count": comment.like_count,
        "hidden": False,
        "from": {"id": str(int(comment.id) % 10**15), "username": comment.username},
        "media": {"id": media.id},
        "parent_id": comment.parent_id,
        "replies": reply_nodes,
    }
    return F.select(available, requested, ["timestamp", "text", "id"], "IGComment")


def media_comments(request: Request, media: meta.IgMedia) -> Reply:
    from networks.simulator import inbox  # the inbox's writes show in the listing

    now = request.now
    visible = [c for c in meta.ig_comments(media) if c.created <= now]
    visible = inbox.with_writes(request, visible, {c.id for c in visible if not c.parent_id})
    replies: dict[str, list[meta.Comment]] = {}
    for comment in visible:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    top = sorted((c for c in visible if not c.parent_id), key=lambda c: c.created, reverse=True)
    requested = F.parse(request.arg("fields"))
    picked, paging = page_of(request, iter(top), lambda c: c.id, maximum=50, before=False)
    data = [comment_node(c, requested, replies.get(c.id, []), media) for c in picked]
    inbox.mark_hidden(request, data, "hidden")
    return Reply(200, {"data": data, "paging": paging})


def media_edge(request: Request, media: meta.IgMedia, edge: str | None) -> Reply:
    if edge is None:
        return Reply(
            200, media_node(request, media, F.parse(request.arg("fields")), hashtag=media.stream == meta.HASHTAG_MEDIA)
        )
    if edge == "insights":
        return media_insights(request, media)
    if edge == "comments":
        return media_comments(request, media)
    raise graph_error(f"(#100) Tried accessing nonexisting field ({edge}) on node type (IGMedia)", 100)


# --- Hashtags ----------------------------------------------------------------------------------


def _hashtag_name(request: Request, tag_id: str) -> str:
    return request.sim.hashtag_names.get(tag_id) or WORLD_HASHTAG_IDS.get(tag_id, "")


def hashtag_search(request: Request, caller: Caller) -> Reply:
    from networks.simulator.graph_api import _check, usage_headers

    user_id = request.arg("user_id") or ""
    persona = persona_by_ig(user_id)
    if persona is None:
        raise unsupported(user_id)
    _check(caller, persona, user_id)
    name = (request.arg("q") or "").strip().lstrip("#").lower()
    if not name or any(ch.isspace() for ch in name):
        raise graph_error("(#100) Param q must be a valid hashtag", 100)
    tag_id = hashtag_id(name)
    now: datetime = request.now
    sim = request.sim
    with sim.hashtag_lock:
        searches = sim.hashtag_searches.setdefault(user_id, {})
        for key in [k for k, first in searches.items() if first < now - HASHTAG_WINDOW]:
            del searches[key]
        # Searching a tag again neither counts again nor resets its 7-day timer.
        if tag_id not in searches:
            if len(searches) >= HASHTAG_LIMIT:
                raise graph_error(
                    "(#18) This API call cannot be made: the maximum number of unique hashtags has been reached", 18
                )
            searches[tag_id] = now
        sim.hashtag_names[tag_id] = name
    return Reply(200, {"data": [{"id": tag_id}]}, usage_headers(request, user_id, "instagram"))


def hashtag_edge(request: Request, caller: Caller, tag_id: str, edge: str | None) -> Reply:
    name = _hashtag_name(request, tag_id)
    if edge is None:
        return Reply(200, F.select({"id": tag_id, "name": name}, F.parse(request.arg("fields")), ["id"], "IGHashtag"))
    if edge not in {"recent_media", "top_media"}:
        raise graph_error(f"(#100) Tried accessing nonexisting field ({edge}) on node type (IGHashtag)", 100)
    user_id = request.arg("user_id")
    persona = persona_by_ig(user_id or "")
    if persona is None or persona.key not in caller.allowed:
        raise graph_error("(#100) The parameter user_id is required", 100)
    now, seed = request.now, request.sim.seed
    window = timedelta(days=1) if edge == "recent_media" else timedelta(days=7)
    found = [
        m
        for day in days_back(now, now - window, None)
        for m in meta.hashtag_day(seed, name, day)
        if now - window <= m.created <= now
    ]
    if edge == "top_media":
        found.sort(key=lambda m: meta.ig_media_metrics(m, now)["likes"], reverse=True)
    else:
        found.sort(key=lambda m: m.created, reverse=True)
    return _media_list(request, iter(found), hashtag=True, maximum=50)
