"""Typed results of the analytics queries: what pages, charts, exports and the API all read.

Every number is ``int | float | None``; ``None`` means the network does not report it (the UI
says "not available"), never 0.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Number = int | float | None
T = TypeVar("T")


@dataclass(frozen=True)
class Delta:
    """A number for the period and the same number for the previous period of the same length."""

    current: Number
    previous: Number
    change: Number  # current - previous (None when either is missing)
    change_pct: float | None  # change / previous * 100 (None when previous is missing or 0)

    @classmethod
    def of(cls, current: Number, previous: Number) -> "Delta":
        if current is None or previous is None:
            return cls(current, previous, None, None)
        change = current - previous
        pct = (change / previous * 100) if previous else None
        return cls(current, previous, change, pct)


@dataclass(frozen=True)
class NetworkOverview:
    network: str  # "total" for every network together
    accounts: int
    audience: Delta  # followers at the end of the period
    growth: Delta  # followers at the end minus followers at the end of the previous period
    posts: Delta  # own posts published (originals, replies, quotes)
    reposts: Delta  # reposts published, counted apart
    engagements: Delta
    engagement_rate: Delta  # a fraction (0.05 = 5 %), see analytics.definitions
    views: Delta
    reach: Delta
    clicks: Delta


@dataclass(frozen=True)
class Overview:
    period_start: dt.date
    period_end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    total: NetworkOverview
    by_network: dict[str, NetworkOverview] = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityMixRow:
    account_id: int
    account: str
    network: str
    originals: int
    replies: int
    quotes: int
    reposts: int


@dataclass(frozen=True)
class DailyPoint:
    date: dt.date
    followers: Number
    follows: Number
    unfollows: Number


@dataclass(frozen=True)
class PostRow:
    id: int
    account_id: int
    network: str
    external_id: str
    published_at: dt.datetime
    kind: str
    content_type: str
    text: str
    permalink: str
    hashtags: list[str]
    likes: Number
    comments: Number
    shares: Number
    quotes: Number
    saves: Number
    views: Number
    reach: Number
    clicks: Number
    engagements: Number  # our definition (analytics.definitions), None for a repost
    engagement_rate: float | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # 1-based
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass(frozen=True)
class ContentTypeRow:
    content_type: str
    posts: int
    engagements: Number
    engagement_rate: float | None


@dataclass(frozen=True)
class HashtagRow:
    tag: str  # lower case, without "#"
    posts: int
    engagements: Number
    avg_engagement: float | None


@dataclass(frozen=True)
class ThemeRow:
    theme_id: int
    name: str
    color: str
    posts: int
    engagements: Number
    engagement_rate: float | None


@dataclass(frozen=True)
class HeatCell:
    avg_engagement_rate: float | None
    posts: int


@dataclass(frozen=True)
class Heatmap:
    """``cells[weekday][hour]``: weekday 0 = Monday … 6 = Sunday, hours 0-23 in local time."""

    time_zone: str
    cells: list[list[HeatCell]]


@dataclass(frozen=True)
class CurvePoint:
    hours_since_publish: float
    engagements: Number
    views: Number


@dataclass(frozen=True)
class PostCurve:
    post_id: int
    points: list[CurvePoint]
    # The account's median post of the same content type (by engagements), None if none other.
    median_post_id: int | None
    median_points: list[CurvePoint]


@dataclass(frozen=True)
class WorkspaceHealth:
    workspace_id: int
    workspace: str
    accounts: int
    audience: Delta
    engagements: Delta
    posts: Delta
    engagement_rate: Delta
    accounts_needing_attention: int  # needs reconnecting or disconnected
    last_synced_at: dt.datetime | None
    alerts: list[str] = field(default_factory=list)
