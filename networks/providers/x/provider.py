"""X API v2 through tweepy 4.17, with an OAuth 2.0 user access token as bearer.

tweepy hard-codes https://api.twitter.com: its ``session`` is replaced by our boundary session,
which rewrites that host to ``X_API_BASE_URL`` (the real host in production, the simulator in the
demo and tests) and owns timeouts and usage recording.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
import tweepy

from networks.http import x_session
from networks.providers.base import (
    Comment,
    Conversation,
    DailyMetrics,
    Message,
    Page,
    Post,
    PostMetrics,
    Profile,
    Provider,
)
from networks.providers.errors import ProviderError, from_x
from networks.providers.x.parse import parse_timeline, parse_user, parse_x_time
from networks.sync.clock import network_today

USER_FIELDS = ["created_at", "description", "profile_image_url", "public_metrics", "username", "name", "verified"]
TWEET_FIELDS = [
    "attachments",
    "author_id",
    "conversation_id",
    "created_at",
    "entities",
    "in_reply_to_user_id",
    "lang",
    "public_metrics",
    "referenced_tweets",
    "non_public_metrics",
    "organic_metrics",
]
# Other people's posts (mentions, search): private metrics are only ever given for our own.
PUBLIC_TWEET_FIELDS = [f for f in TWEET_FIELDS if f not in ("non_public_metrics", "organic_metrics")]
EXPANSIONS = ["attachments.media_keys", "referenced_tweets.id"]
MEDIA_FIELDS = ["media_key", "type", "url", "preview_image_url", "public_metrics"]


@dataclass(frozen=True)
class DeletedCheck:
    """What a compliance check found: ids X no longer has, and what it cost (posts returned are
    billed reads)."""

    deleted: frozenset[str]
    returned: int
    calls: int


def x_client(access_token: str) -> tweepy.Client:
    # return_type=dict: the raw JSON, parsed by our own functions (tested on recorded bodies).
    client = tweepy.Client(bearer_token=access_token, return_type=dict)
    client.session = x_session()
    return client


def x_call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return method(*args, user_auth=False, **kwargs)
    except ProviderError:
        raise
    except (tweepy.TweepyException, requests.RequestException, ValueError) as error:
        raise from_x(error) from error


class XProvider(Provider):
    network = "x"

    def __init__(self, *, external_id: str, access_token: str) -> None:
        super().__init__(external_id=external_id, access_token=access_token)
        self.client = x_client(access_token)

    def me(self) -> Profile:
        return parse_user(x_call(self.client.get_me, user_fields=USER_FIELDS)["data"])

    def profile(self) -> Profile:
        return parse_user(x_call(self.client.get_user, id=self.external_id, user_fields=USER_FIELDS)["data"])

    def daily_metrics(self, start: dt.date, end: dt.date) -> list[DailyMetrics]:
        """X keeps no account history: only today's counters exist, so the row of today (UTC) is
        the only one it can give; past days come from our own daily syncs."""
        # The networks' clock (the wall clock, or the simulator's during the demo's replay).
        today = network_today()
        if not start <= today <= end:
            return []
        profile = self.profile()
        return [DailyMetrics(day=today, followers=profile.followers)]

    def posts(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        body = x_call(
            self.client.get_users_tweets,
            self.external_id,
            max_results=100,
            pagination_token=cursor,
            start_time=since,
            tweet_fields=TWEET_FIELDS,
            expansions=EXPANSIONS,
            media_fields=MEDIA_FIELDS,
        )
        return parse_timeline(body)

    def post_metrics(
        self, ids: Sequence[str], *, content_types: Mapping[str, str] | None = None
    ) -> dict[str, PostMetrics]:
        found: dict[str, PostMetrics] = {}
        ids = list(ids)
        for start in range(0, len(ids), 100):
            body = x_call(
                self.client.get_tweets,
                ids[start : start + 100],
                tweet_fields=TWEET_FIELDS,
                expansions=EXPANSIONS,
                media_fields=MEDIA_FIELDS,
            )
            # Deleted or unknown ids come back in "errors" (resource-not-found): left out. A repost's
            # own metrics are empty (its counts are the original's, kept apart by posts()).
            for post in parse_timeline(body).items:
                found[post.external_id] = post.metrics
        return found

    def deleted_ids(self, ids: Sequence[str]) -> DeletedCheck:
        """Which of these posts X says no longer exist (X compliance), by lookups of 100 asking
        for no extra field (X bills per post returned, not per field).

        Only ``resource-not-found`` counts as deleted: a post withheld for another reason (a
        protected or suspended author: ``not-authorized-for-resource``) still exists.
        https://docs.x.com/x-api/fundamentals/response-codes-and-errors (partial errors)"""
        deleted: set[str] = set()
        ids = list(ids)
        returned = calls = 0
        for start in range(0, len(ids), 100):
            body = x_call(self.client.get_tweets, ids[start : start + 100])
            calls += 1
            returned += len(body.get("data") or [])
            for error in body.get("errors") or []:
                kind = str(error.get("type", ""))
                if kind.endswith("/resource-not-found") or error.get("title") == "Not Found Error":
                    deleted.add(str(error.get("resource_id") or error.get("value") or ""))
        deleted.discard("")
        return DeletedCheck(deleted=frozenset(deleted), returned=returned, calls=calls)

    def mentions(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        body = x_call(
            self.client.get_users_mentions,
            self.external_id,
            max_results=100,
            pagination_token=cursor,
            start_time=since,
            tweet_fields=PUBLIC_TWEET_FIELDS,
            expansions=[*EXPANSIONS, "author_id"],
            media_fields=MEDIA_FIELDS,
            user_fields=["username", "name"],
        )
        return parse_timeline(body)

    def search(
        self, query: str, cursor: str | None = None, *, recent: bool = True, since_id: str | None = None
    ) -> Page[Post]:
        """Recent search (last 7 days). https://docs.x.com/x-api/posts/search/introduction"""
        body = x_call(
            self.client.search_recent_tweets,
            query,
            max_results=100,
            next_token=cursor,
            since_id=since_id,
            tweet_fields=PUBLIC_TWEET_FIELDS,
            expansions=[*EXPANSIONS, "author_id"],
            media_fields=MEDIA_FIELDS,
            user_fields=["username", "name"],
        )
        return parse_timeline(body)

    def comments(self, post_id: str, cursor: str | None = None) -> Page[Comment]:
        """Replies to a post: recent search on its conversation (X has no comments endpoint)."""
        page = self.search(f"conversation_id:{post_id}", cursor)
        return Page(
            items=[
                Comment(
                    external_id=p.external_id,
                    post_external_id=post_id,
                    text=p.text,
                    published_at=p.published_at,
                    author_id=p.author_id,
                    author_name=p.author_handle,
                    parent_id=p.referenced_id if p.referenced_id != post_id else "",
                    likes=p.metrics.likes,
                    replies=p.metrics.comments,
                )
                for p in page.items
            ],
            next_cursor=page.next_cursor,
        )

    # --- Inbox: direct messages and writes (OAuth 2.0 scopes tweet.write, dm.read, dm.write) -----

    def conversations(self, cursor: str | None = None) -> Page[Conversation]:
        """Direct messages (``GET /2/dm_events``, newest first), grouped into conversations."""
        body = x_call(
            self.client.get_direct_message_events,
            dm_event_fields=["id", "text", "created_at", "sender_id", "dm_conversation_id", "participant_ids"],
            event_types="MessageCreate",
            expansions=["sender_id"],
            user_fields=["username", "name"],
            max_results=100,
            pagination_token=cursor,
        )
        return parse_dm_events(body)

    def reply_post(self, post_id: str, text: str) -> str:
        """``POST /2/tweets`` in reply. X refuses (403) a reply to a post whose author did not
        mention or quote the account: that is a permanent error here."""
        body = x_call(self.client.create_tweet, text=text, in_reply_to_tweet_id=post_id)
        return str(body["data"]["id"])

    def reply_comment(self, comment_id: str, text: str) -> str:
        return self.reply_post(comment_id, text)

    def send_message(self, *, recipient_id: str, text: str, human_agent: bool = False) -> str:
        body = x_call(self.client.create_direct_message, participant_id=recipient_id, text=text)
        return str(body["data"]["dm_event_id"])

    def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        """Hide a reply to one of the account's posts (X cannot delete other people's posts)."""
        x_call(self.client.hide_reply if hidden else self.client.unhide_reply, comment_id)


def parse_dm_events(body: dict) -> Page[Conversation]:
    users = {u["id"]: u for u in (body.get("includes") or {}).get("users") or [] if "id" in u}
    grouped: dict[str, list[Message]] = {}
    participants: dict[str, set[str]] = {}
    for event in body.get("data") or []:
        if event.get("event_type", "MessageCreate") != "MessageCreate" or not event.get("created_at"):
            continue
        conversation = str(event.get("dm_conversation_id", ""))
        sender = str(event.get("sender_id", ""))
        grouped.setdefault(conversation, []).append(
            Message(
                external_id=str(event["id"]),
                text=event.get("text", ""),
                sent_at=parse_x_time(event["created_at"]),
                from_id=sender,
                from_name=users.get(sender, {}).get("name", ""),
            )
        )
        participants.setdefault(conversation, set()).update(str(p) for p in event.get("participant_ids") or [sender])
    conversations = [
        Conversation(
            external_id=key,
            updated_at=max(m.sent_at for m in messages),
            participants=tuple((p, users.get(p, {}).get("name", "")) for p in sorted(participants[key])),
            messages=tuple(sorted(messages, key=lambda m: m.sent_at)),
        )
        for key, messages in grouped.items()
    ]
    return Page(items=conversations, next_cursor=(body.get("meta") or {}).get("next_token"))
