"""The one small interface every network provider implements, and the typed data it returns.

Conventions every provider keeps:

* metric names are OURS (the fields below), mapped from the network's names in one table per
  provider; a metric the network does not report is ``None`` — never 0;
* every datetime is timezone-aware UTC; a daily value is attached to its ``datetime.date`` once,
  in the provider (Meta's days are Pacific-time days: see ``networks/providers/graph.py``);
* errors are raised as the classes of ``networks/providers/errors.py`` only.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from networks.providers.errors import Unsupported

T = TypeVar("T")


class PostKind:
    """How a post relates to others (X): a repost carries the original's counts (DESIGN.md)."""

    ORIGINAL = "original"
    REPLY = "reply"
    QUOTE = "quote"
    REPOST = "repost"


class ContentType:
    PHOTO = "photo"
    VIDEO = "video"
    REEL = "reel"
    CAROUSEL = "carousel"
    TEXT = "text"
    LINK = "link"
    STORY = "story"


@dataclass(frozen=True)
class Profile:
    external_id: str
    handle: str
    name: str
    picture_url: str = ""
    followers: int | None = None
    follows: int | None = None  # accounts this one follows
    posts_count: int | None = None
    listed: int | None = None


@dataclass(frozen=True)
class DailyMetrics:
    """One account's values for one day (the network's day, already mapped to a date)."""

    day: dt.date
    followers: int | None = None  # total at the end of the day
    follows: int | None = None  # new followers that day
    unfollows: int | None = None
    views: int | None = None  # times content was seen (Meta "views", formerly impressions)
    reach: int | None = None  # unique accounts that saw content (Meta Page "viewers", IG "reach")
    engagements: int | None = None
    page_views: int | None = None
    accounts_engaged: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    replies: int | None = None


@dataclass(frozen=True)
class PostMetrics:
    """Lifetime counts of one post. ``likes`` holds Facebook's total reactions."""

    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    quotes: int | None = None
    saves: int | None = None
    views: int | None = None
    reach: int | None = None
    clicks: int | None = None
    bookmarks: int | None = None
    engagements: int | None = None
    reactions_by_type: Mapping[str, int] | None = None
    avg_watch_time_ms: int | None = None

    def merged(self, other: "PostMetrics") -> "PostMetrics":
        """These values, completed by ``other``'s where these are None."""
        return PostMetrics(
            **{name: getattr(self, name) if getattr(self, name) is not None else getattr(other, name) for name in _PM}
        )


_PM = tuple(PostMetrics.__dataclass_fields__)


@dataclass(frozen=True)
class Post:
    external_id: str
    published_at: dt.datetime
    kind: str  # PostKind
    content_type: str  # ContentType
    text: str = ""
    permalink: str = ""
    media_url: str = ""
    hashtags: tuple[str, ...] = ()
    # The account's own lifetime metrics. Empty (all None) for an X repost: its counts are the
    # original's and never the account's own engagement.
    metrics: PostMetrics = field(default_factory=PostMetrics)
    referenced_id: str = ""  # the replied-to / quoted / reposted post
    original_metrics: PostMetrics | None = None  # for a repost: the original's counts, kept apart
    author_id: str = ""
    author_handle: str = ""
    author_name: str = ""
    language: str = ""  # as the network tagged it (X "lang"; "" when it gives none)


@dataclass(frozen=True)
class Comment:
    external_id: str
    post_external_id: str
    text: str
    published_at: dt.datetime
    author_id: str = ""
    author_name: str = ""
    parent_id: str = ""
    likes: int | None = None
    replies: int | None = None


@dataclass(frozen=True)
class Message:
    external_id: str
    text: str
    sent_at: dt.datetime
    from_id: str = ""
    from_name: str = ""


@dataclass(frozen=True)
class Conversation:
    external_id: str
    updated_at: dt.datetime
    participants: tuple[tuple[str, str], ...] = ()  # (id, name)
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the cursor of the next one (None: last page)."""

    items: list[T]
    next_cursor: str | None = None


class Provider:
    """Reads one connected account. Built from the account's external id and its decrypted token
    (``networks.providers.registry.provider_for``); the rest of the app never sees an SDK."""

    network: ClassVar[str]

    def __init__(self, *, external_id: str, access_token: str) -> None:
        self.external_id = external_id
        self._access_token = access_token

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.external_id}>"

    def profile(self) -> Profile:
        raise NotImplementedError

    def daily_metrics(self, start: dt.date, end: dt.date) -> list[DailyMetrics]:
        """One row per day from ``start`` to ``end`` inclusive that the network has data for."""
        raise NotImplementedError

    def posts(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        raise NotImplementedError

    def post_metrics(
        self, ids: Sequence[str], *, content_types: Mapping[str, str] | None = None
    ) -> dict[str, PostMetrics]:
        """Fresh lifetime metrics of posts by id (missing or deleted posts are left out). Fields
        this call does not measure are None: merge with what ``posts()`` returned."""
        raise NotImplementedError

    def comments(self, post_id: str, cursor: str | None = None) -> Page[Comment]:
        raise Unsupported(f"{self.network} comments")

    def mentions(self, since: dt.datetime | None = None, cursor: str | None = None) -> Page[Post]:
        raise Unsupported(f"{self.network} mentions")

    def conversations(self, cursor: str | None = None) -> Page[Conversation]:
        raise Unsupported(f"{self.network} conversations")

    def search(
        self, query: str, cursor: str | None = None, *, recent: bool = True, since_id: str | None = None
    ) -> Page[Post]:
        """Public posts matching ``query`` (X: recent search, newer than ``since_id`` when given;
        Instagram: one hashtag's recent or top media)."""
        raise Unsupported(f"{self.network} search")

    # --- Inbox writes: each returns the network's id of what it created -------------------------

    def reply_comment(self, comment_id: str, text: str) -> str:
        """Answer a comment publicly (under it, or in its thread)."""
        raise Unsupported(f"{self.network} comment replies")

    def reply_post(self, post_id: str, text: str) -> str:
        """Answer a post that mentions the account (X: a reply; Meta has no equivalent)."""
        raise Unsupported(f"{self.network} replies to mentions")

    def send_message(self, *, recipient_id: str, text: str, human_agent: bool = False) -> str:
        """A private message to a person who wrote to the account (``human_agent``: Meta's
        HUMAN_AGENT tag, which stretches the 24-hour window to 7 days)."""
        raise Unsupported(f"{self.network} private messages")

    def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        raise Unsupported(f"{self.network} hiding comments")

    def delete_comment(self, comment_id: str) -> None:
        raise Unsupported(f"{self.network} deleting comments")
