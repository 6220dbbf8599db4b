"""Facebook Pages through pyfacebook 0.24 (``FacebookApi``) with the Page's access token.

Only metrics that still exist in Graph API v25 are requested (NETWORK_APIS.md §3.2; the removed
ones answer 400 code 100). Page and post insights go through ``get_connection(..., "insights")``:
pyfacebook has no insights helper for Pages.
"""

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence

from pyfacebook import FacebookApi

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

PAGE_FIELDS = "id,name,username,fan_count,followers_count,link,picture"
# The one table: Graph Page insight (period=day) → our daily metric.
DAILY_METRICS = {
    "page_follows": "followers",
    "page_daily_follows_unique": "follows",
    "page_daily_unfollows_unique": "unfollows",
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
    "page_views_total": "page_views",
}
# Graph post insight (period=lifetime) → our post metric (reactions are summed into ``likes``).
POST_METRICS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
    "post_reactions_by_type_total": "reactions_by_type",
}
POST_FIELDS = (
    "id,created_time,message,permalink_url,status_type,full_picture,attachments{media_type,type,url},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
COMMENT_FIELDS = "id,from{id,name},message,created_time,like_count,comment_count,parent{id}"
CONVERSATION_FIELDS = "id,updated_time,participants,messages.limit(20){id,from,to,message,created_time}"
MAX_INSIGHT_DAYS = 90  # since/until may span at most ~93 days for period=day
HASHTAG = re.compile(r"(?<!\w)#(\w+)")
ATTACHMENT_TYPES = {
    "photo": ContentType.PHOTO,
    "album": ContentType.CAROUSEL,
    "video": ContentType.VIDEO,
    "link": ContentType.LINK,
    "share": ContentType.LINK,
}
STATUS_TYPES = {
    "added_photos": ContentType.PHOTO,
    "added_video": ContentType.VIDEO,
    "shared_story": ContentType.LINK,
    "mobile_status_update": ContentType.TEXT,
}


def parse_page(data: dict) -> Profile:
    picture = ((data.get("picture") or {}).get("data") or {}).get("url", "")
    return Profile(
        external_id=str(data["id"]),
        handle=data.get("username", ""),
        name=data.get("name", ""),
        picture_url=picture,
        # followers_count is the Page's followers; fan_count counts likes (another metric).
        followers=as_int(data.get("followers_count")),
    )


def _summary_total(item: dict, edge: str) -> int | None:
    return as_int(((item.get(edge) or {}).get("summary") or {}).get("total_count"))


def parse_post(item: dict) -> Post:
    attachment = ((item.get("attachments") or {}).get("data") or [{}])[0]
    media_type = (attachment.get("media_type") or attachment.get("type") or "").lower()
    content_type = ATTACHMENT_TYPES.get(media_type) or STATUS_TYPES.get(item.get("status_type", ""), ContentType.TEXT)
    message = item.get("message", "")
    return Post(
        external_id=str(item["id"]),
        published_at=parse_graph_time(item["created_time"]),
        kind=PostKind.ORIGINAL,
        content_type=content_type,
        text=message,
        permalink=item.get("permalink_url", ""),
        media_url=item.get("full_picture", ""),
        hashtags=tuple(HASHTAG.findall(message)),
        metrics=PostMetrics(
            likes=_summary_total(item, "reactions"),
            comments=_summary_total(item, "comments"),
            # Graph omits "shares" when a post has none: requested and absent means 0.
            shares=as_int((item.get("shares") or {}).get("count", 0)),
        ),
    )


def parse_post_insights(payload: dict) -> PostMetrics:
    values: dict = {}
    for item in payload.get("data") or []:
        ours = POST_METRICS.get(item.get("name"))
        if ours is None:
            continue
        value = insight_value(item)
        if ours == "reactions_by_type":
            if isinstance(value, dict):
                values["reactions_by_type"] = {k: int(v) for k, v in value.items() if isinstance(v, int | float)}
                values["likes"] = sum(values["reactions_by_type"].values())
        else:
            values[ours] = as_int(value)
    return PostMetrics(**values)


def parse_comment(item: dict, post_id: str) -> Comment:
    author = item.get("from") or {}
    return Comment(
        external_id=str(item.get("id", "")),
        post_external_id=post_id,
        text=item.get("message", ""),
        published_at=parse_graph_time(item["created_time"]),
        author_id=str(author.get("id", "")),
        author_name=author.get("name", ""),
        parent_id=str((item.get("parent") or {}).get("id", "")),
        likes=as_int(item.get("like_count")),
        replies=as_int(item.get("comment_count")),
    )


def parse_conversation(item: dict) -> Conversation:
    participants = tuple(
        (str(p.get("id", "")), p.get("name", "")) for p in (item.get("participants") or {}).get("data") or []
    )
    messages = tuple(
        Message(
            external_id=str(m.get("id", "")),
            text=m.get("message", ""),
            sent_at=parse_graph_time(m["created_time"]),
            from_id=str((m.get("from") or {}).get("id", "")),
            from_name=(m.get("from") or {}).get("name", ""),
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


def rows_from_days(days: dict[dt.date, dict], start: dt.date, end: dt.date) -> list[DailyMetrics]:
    return [
        DailyMetrics(day=day, **{name: as_int(value) for name, value in values.items()})
        for day, values in sorted(days.items())
        if start <= day <= end
    ]


class FacebookProvider(Provider):
    network = "facebook"

    def __init__(self, *, external_id: str, access_token: str) -> None:
        super().__init__(external_id=external_id, access_token=access_token)
        self.api = graph_client(FacebookApi, access_token)

    def profile(self) -> Profile:
        return parse_page(graph_call(self.api, self.api.get_object, self.external_id, fields=PAGE_FIELDS))

    def daily_metrics(self, start: dt.date, end: dt.date) -> list[DailyMetrics]:
        days: dict[dt.date, dict] = {}
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(end, chunk_start + dt.timedelta(days=MAX_INSIGHT_DAYS - 1))
            payload = graph_call(
                self.api,
                self.api.get_connection,
                self.external_id,
                "insights",
                metric=",".join(DAILY_METRICS),
                period="day",
                since=pacific_midnight(chunk_start),
                until=pacific_midnight(chunk_end + dt.timedelta(days=1)),
            )
            for day, values in daily_insight_values(payload, DAILY_METRICS).items():
                days.setdefault(day, {}).update(values)
            chunk_start = chunk_end + dt.timedelta(days=1)
        return rows_from_days(days, start, end)

    def posts(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        params = {"fields": POST_FIELDS, "limit": 25, **cursor_params(cursor)}
        if since is not None:
            params["since"] = int(since.timestamp())
        payload = graph_call(self.api, self.api.get_connection, self.external_id, "published_posts", **params)
        return Page(items=[parse_post(i) for i in payload.get("data") or []], next_cursor=next_cursor(payload))

    def post_metrics(
        self, ids: Sequence[str], *, content_types: Mapping[str, str] | None = None
    ) -> dict[str, PostMetrics]:
        """Insight metrics (views, reach, clicks, reactions); comments and shares come from posts()."""
        found: dict[str, PostMetrics] = {}
        for post_id in ids:
            try:
                payload = graph_call(
                    self.api,
                    self.api.get_connection,
                    post_id,
                    "insights",
                    metric=",".join(POST_METRICS),
                    period="lifetime",
                )
            except Permanent:
                continue  # deleted post (code 100): left out, as the interface says
            found[post_id] = parse_post_insights(payload)
        return found

    def comments(self, post_id: str, cursor: str | None = None) -> Page[Comment]:
        payload = graph_call(
            self.api,
            self.api.get_connection,
            post_id,
            "comments",
            fields=COMMENT_FIELDS,
            filter="stream",
            order="chronological",
            limit=100,
            **cursor_params(cursor),
        )
        return Page(
            items=[parse_comment(i, post_id) for i in payload.get("data") or [] if i.get("created_time")],
            next_cursor=next_cursor(payload),
        )

    def conversations(self, cursor: str | None = None) -> Page[Conversation]:
        payload = graph_call(
            self.api,
            self.api.get_connection,
            self.external_id,
            "conversations",
            platform="messenger",
            fields=CONVERSATION_FIELDS,
            **cursor_params(cursor),
        )
        return Page(items=[parse_conversation(i) for i in payload.get("data") or []], next_cursor=next_cursor(payload))

    # --- Inbox writes (Graph API: Page token with pages_manage_engagement / pages_messaging) ------

    def reply_comment(self, comment_id: str, text: str) -> str:
        """``POST /{comment-id}/comments``: the Page answers under the comment."""
        payload = graph_call(self.api, self.api.post_object, comment_id, "comments", data={"message": text})
        return str(payload["id"])

    def send_message(self, *, recipient_id: str, text: str, human_agent: bool = False) -> str:
        """Send API ``POST /{page-id}/messages``. Outside the 24-hour window Meta refuses a standard
        message (error 10, subcode 2018278); the HUMAN_AGENT tag allows 7 days.
        https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags"""
        data = send_api_data(recipient_id, text, human_agent)
        payload = graph_call(self.api, self.api.post_object, self.external_id, "messages", data=data)
        return str(payload["message_id"])

    def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        """``POST /{comment-id}?is_hidden=true|false``: hidden from everyone but its author and friends."""
        graph_call(self.api, self.api.post_object, comment_id, data={"is_hidden": "true" if hidden else "false"})

    def delete_comment(self, comment_id: str) -> None:
        graph_call(self.api, self.api.delete_object, comment_id)


def send_api_data(recipient_id: str, text: str, human_agent: bool) -> dict:
    """The Send API's form fields (nested objects travel as JSON strings)."""
    data = {
        "recipient": json.dumps({"id": recipient_id}),
        "message": json.dumps({"text": text}),
        "messaging_type": "MESSAGE_TAG" if human_agent else "RESPONSE",
    }
    if human_agent:
        data["tag"] = "HUMAN_AGENT"
    return data
