"""Instagram professional accounts through pyfacebook 0.24 (``IGBusinessApi``), reached with the
token of the Facebook Page they are linked to (Instagram API with Facebook Login).

Account insights (NETWORK_APIS.md §4.2): ``metric_type=total_value`` gives ONE total for the
since/until window, so daily values are asked one Pacific day at a time; ``follower_count`` is a
time series (new followers per day). Windows never exceed 30 days. Media insights are requested per
media product type (§4.3); removed metrics (impressions, plays, video_views, engagement) never are.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from pyfacebook import IGBusinessApi

from networks.providers.base import (
    Comment,
    ContentType,
    Conversation,
    DailyMetrics,
    Message,
    Page,
    Post,
    PostKind,
    PostMetrics,
    Profile,
    Provider,
)
from networks.providers.errors import Permanent
from networks.providers.facebook.provider import rows_from_days
from networks.providers.graph import (
    as_int,
    cursor_params,
    daily_insight_values,
    graph_call,
    graph_client,
    insight_value,
    next_cursor,
    pacific_midnight,
    parse_graph_time,
)

USER_FIELDS = "id,username,name,followers_count,follows_count,media_count,profile_picture_url,biography"
MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,permalink,thumbnail_url,timestamp,like_count,comments_count"
)
TAG_FIELDS = "id,caption,media_type,permalink,timestamp,username,like_count,comments_count"
HASHTAG_MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,timestamp,like_count,comments_count"
COMMENT_FIELDS = "id,text,timestamp,username,like_count,replies{id,text,timestamp,username}"
# The one table for account insights: Instagram metric → our daily metric.
TOTAL_VALUE_METRICS = {
    "views": "views",
    "reach": "reach",
    "accounts_engaged": "accounts_engaged",
    "total_interactions": "engagements",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "replies": "replies",
}
TIME_SERIES_METRICS = {"follower_count": "follows"}  # new followers that day
# Media insights per media_product_type, and their names in ours.
MEDIA_METRICS = {
    "FEED": ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions"),
    "REELS": (
        "views",
        "reach",
        "likes",
        "comments",
        "shares",
        "saved",
        "total_interactions",
        "ig_reels_avg_watch_time",
    ),
    "STORY": ("views", "reach", "replies", "shares", "total_interactions"),
}
MEDIA_METRIC_NAMES = {
    "views": "views",
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "replies": "comments",  # a story's replies are its comments
    "shares": "shares",
    "saved": "saves",
    "total_interactions": "engagements",
    "ig_reels_avg_watch_time": "avg_watch_time_ms",
}
MAX_WINDOW_DAYS = 30
HASHTAG = re.compile(r"(?<!\w)#(\w+)")


def parse_user(data: dict) -> Profile:
    return Profile(
        external_id=str(data["id"]),
        handle=data.get("username", ""),
        name=data.get("name", ""),
        picture_url=data.get("profile_picture_url", ""),
        followers=as_int(data.get("followers_count")),
        follows=as_int(data.get("follows_count")),
        posts_count=as_int(data.get("media_count")),
    )


def content_type(item: dict) -> str:
    product = item.get("media_product_type", "")
    if product == "REELS":
        return ContentType.REEL
    if product == "STORY":
        return ContentType.STORY
    return {"CAROUSEL_ALBUM": ContentType.CAROUSEL, "VIDEO": ContentType.VIDEO}.get(
        item.get("media_type", ""), ContentType.PHOTO
    )


def parse_media(item: dict) -> Post:
    caption = item.get("caption", "")
    return Post(
        external_id=str(item["id"]),
        published_at=parse_graph_time(item["timestamp"]),
        kind=PostKind.ORIGINAL,
        content_type=content_type(item),
        text=caption,
        permalink=item.get("permalink", ""),
        media_url=item.get("media_url") or item.get("thumbnail_url", ""),
        hashtags=tuple(HASHTAG.findall(caption)),
        # like_count is omitted when the owner hides likes: None, not 0.
        metrics=PostMetrics(likes=as_int(item.get("like_count")), comments=as_int(item.get("comments_count"))),
        author_handle=item.get("username", ""),
    )


def parse_media_insights(payload: dict) -> PostMetrics:
    values = {}
    for item in payload.get("data") or []:
        ours = MEDIA_METRIC_NAMES.get(item.get("name"))
        if ours is not None:
            values[ours] = as_int(insight_value(item))
    return PostMetrics(**values)


def parse_total_values(payload: dict) -> dict[str, int | None]:
    return {
        TOTAL_VALUE_METRICS[item["name"]]: as_int(insight_value(item))
        for item in payload.get("data") or []
        if item.get("name") in TOTAL_VALUE_METRICS
    }


def parse_comments(payload: dict, media_id: str) -> list[Comment]:
    comments = []
    for item in payload.get("data") or []:
        if not item.get("timestamp"):
            continue
        comments.append(_comment(item, media_id))
        for reply in (item.get("replies") or {}).get("data") or []:
            if reply.get("timestamp"):
                comments.append(_comment(reply, media_id, parent_id=str(item["id"])))
    return comments


def _comment(item: dict, media_id: str, parent_id: str = "") -> Comment:
    return Comment(
        external_id=str(item["id"]),
        post_external_id=media_id,
        text=item.get("text", ""),
        published_at=parse_graph_time(item["timestamp"]),
        author_name=item.get("username", ""),
        parent_id=parent_id,
        likes=as_int(item.get("like_count")),
    )


class InstagramProvider(Provider):
    network = "instagram"

    def __init__(self, *, external_id: str, access_token: str) -> None:
        super().__init__(external_id=external_id, access_token=access_token)
        self.api = graph_client(IGBusinessApi, access_token)

    def _get(self, object_id: str, connection: str, **params) -> dict:
        return graph_call(self.api, self.api.get_connection, object_id, connection, **params)

    def profile(self) -> Profile:
        return parse_user(graph_call(self.api, self.api.get_object, self.external_id, fields=USER_FIELDS))

    def daily_metrics(self, start: dt.date, end: dt.date) -> list[DailyMetrics]:
        days: dict[dt.date, dict] = {}
        day = start
        while day <= end:
            payload = self._get(
                self.external_id,
                "insights",
                metric=",".join(TOTAL_VALUE_METRICS),
                period="day",
                metric_type="total_value",
                since=pacific_midnight(day),
                until=pacific_midnight(day + dt.timedelta(days=1)),
            )
            if values := {k: v for k, v in parse_total_values(payload).items() if v is not None}:
                days.setdefault(day, {}).update(values)
            day += dt.timedelta(days=1)
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(end, chunk_start + dt.timedelta(days=MAX_WINDOW_DAYS - 1))
            payload = self._get(
                self.external_id,
                "insights",
                metric=",".join(TIME_SERIES_METRICS),
                period="day",
                since=pacific_midnight(chunk_start),
                until=pacific_midnight(chunk_end + dt.timedelta(days=1)),
            )
            for series_day, values in daily_insight_values(payload, TIME_SERIES_METRICS).items():
                days.setdefault(series_day, {}).update(values)
            chunk_start = chunk_end + dt.timedelta(days=1)
        return rows_from_days(days, start, end)

    def posts(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        payload = self._get(self.external_id, "media", fields=MEDIA_FIELDS, limit=50, **cursor_params(cursor))
        posts = [parse_media(i) for i in payload.get("data") or []]
        cursor = next_cursor(payload)
        if since is not None:
            # The media edge is newest first and has no "since": stop at the first older post.
            kept = [p for p in posts if p.published_at >= since]
            if len(kept) < len(posts):
                cursor = None
            posts = kept
        return Page(items=posts, next_cursor=cursor)

    def post_metrics(
        self, ids: Sequence[str], *, content_types: Mapping[str, str] | None = None
    ) -> dict[str, PostMetrics]:
        """``content_types`` (id → ContentType) picks each media's metric list; feed by default."""
        found: dict[str, PostMetrics] = {}
        for media_id in ids:
            kind = (content_types or {}).get(media_id)
            product = {ContentType.REEL: "REELS", ContentType.STORY: "STORY"}.get(kind or "", "FEED")
            try:
                payload = self._get(media_id, "insights", metric=",".join(MEDIA_METRICS[product]))
            except Permanent:
                # Deleted media (100) or "(#10) Not enough viewers": no insights to store.
                continue
            found[media_id] = parse_media_insights(payload)
        return found

    def comments(self, post_id: str, cursor: str | None = None) -> Page[Comment]:
        payload = self._get(post_id, "comments", fields=COMMENT_FIELDS, **cursor_params(cursor))
        return Page(items=parse_comments(payload, post_id), next_cursor=next_cursor(payload))

    def mentions(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        """Media the account is tagged in (``/tags``); caption @mentions arrive by webhook."""
        payload = self._get(self.external_id, "tags", fields=TAG_FIELDS, **cursor_params(cursor))
        posts = [parse_media(i) for i in payload.get("data") or []]
        if since is not None:
            posts = [p for p in posts if p.published_at >= since]
        return Page(items=posts, next_cursor=next_cursor(payload))

    def search(
        self, query: str, cursor: str | None = None, *, recent: bool = True, since_id: str | None = None
    ) -> Page[Post]:
        """Hashtag search: 30 unique hashtags per account per 7 days (beyond: code 18, permanent
        for the week). Media come without author username (API rule)."""
        if cursor and "|" in cursor:
            hashtag_id, after = cursor.split("|", 1)
        else:
            found = graph_call(
                self.api, self.api.get, "ig_hashtag_search", {"user_id": self.external_id, "q": query.lstrip("#")}
            )
            if not found.get("data"):
                return Page(items=[])
            hashtag_id, after = str(found["data"][0]["id"]), ""
        payload = self._get(
            hashtag_id,
            "recent_media" if recent else "top_media",
            user_id=self.external_id,
            fields=HASHTAG_MEDIA_FIELDS,
            limit=50,
            **({"after": after} if after else {}),
        )
        next_after = next_cursor(payload)
        return Page(
            items=[parse_media(i) for i in payload.get("data") or []],
            next_cursor=f"{hashtag_id}|{next_after}" if next_after else None,
        )

    # --- Inbox: Direct messages and writes -------------------------------------------------------

    def conversations(self, cursor: str | None = None) -> Page[Conversation]:
        """Instagram Direct threads (``GET /{ig-user-id}/conversations?platform=instagram``)."""
        payload = self._get(
            self.external_id,
            "conversations",
            platform="instagram",
            fields=IG_CONVERSATION_FIELDS,
            **cursor_params(cursor),
        )
        return Page(
            items=[parse_ig_conversation(i) for i in payload.get("data") or []], next_cursor=next_cursor(payload)
        )

    def mentioned(self, *, media_id: str = "", comment_id: str = "") -> Post | None:
        """A caption or comment @mention named by the ``mentions`` webhook (ids only), read through
        ``mentioned_media`` / ``mentioned_comment`` on the account's node. None: gone meanwhile.
        https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_media"""
        if comment_id:
            field = f"mentioned_comment.comment_id({comment_id}){{id,text,timestamp,username,media{{id}}}}"
        else:
            field = f"mentioned_media.media_id({media_id}){{{TAG_FIELDS}}}"
        try:
            node = graph_call(self.api, self.api.get_object, self.external_id, fields=field)
        except Permanent:
            return None
        if comment_id:
            item = node.get("mentioned_comment") or {}
            if not item.get("timestamp"):
                return None
            return Post(
                external_id=str(item["id"]),
                published_at=parse_graph_time(item["timestamp"]),
                kind=PostKind.REPLY,
                content_type=ContentType.TEXT,
                text=item.get("text", ""),
                author_handle=item.get("username", ""),
                referenced_id=str((item.get("media") or {}).get("id", "")),
            )
        item = node.get("mentioned_media") or {}
        return parse_media(item) if item.get("timestamp") else None

    def reply_comment(self, comment_id: str, text: str) -> str:
        """``POST /{ig-comment-id}/replies`` (instagram_manage_comments)."""
        payload = graph_call(self.api, self.api.post_object, comment_id, "replies", data={"message": text})
        return str(payload["id"])

    def send_message(self, *, recipient_id: str, text: str, human_agent: bool = False) -> str:
        """``POST /{ig-user-id}/messages``: same 24-hour / HUMAN_AGENT rule as Messenger."""
        from networks.providers.facebook.provider import send_api_data

        data = send_api_data(recipient_id, text, human_agent)
        payload = graph_call(self.api, self.api.post_object, self.external_id, "messages", data=data)
        return str(payload["message_id"])

    def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        """``POST /{ig-comment-id}?hide=true|false``."""
        graph_call(self.api, self.api.post_object, comment_id, data={"hide": "true" if hidden else "false"})

    def delete_comment(self, comment_id: str) -> None:
        graph_call(self.api, self.api.delete_object, comment_id)


IG_CONVERSATION_FIELDS = "id,updated_time,participants,messages.limit(20){id,from,to,message,created_time}"


def parse_ig_conversation(item: dict) -> Conversation:
    """Instagram participants carry a ``username`` where Messenger's carry a ``name``."""
    participants = tuple(
        (str(p.get("id", "")), p.get("username") or p.get("name", ""))
        for p in (item.get("participants") or {}).get("data") or []
    )
    messages = tuple(
        Message(
            external_id=str(m.get("id", "")),
            text=m.get("message", ""),
            sent_at=parse_graph_time(m["created_time"]),
            from_id=str((m.get("from") or {}).get("id", "")),
            from_name=(m.get("from") or {}).get("username") or (m.get("from") or {}).get("name", ""),
        )
        for m in (item.get("messages") or {}).get("data") or []
        if m.get("created_time")
    )
    return Conversation(
        external_id=str(item["id"]),
        updated_at=parse_graph_time(item["updated_time"]),
        participants=participants,
        messages=messages,
    )
