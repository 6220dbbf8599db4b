"""The listening dashboard's numbers, aggregated in the database for one workspace and period
(days in the organisation's time zone). Each function returns typed rows; charts are drawn from
them by ``listening.charts``."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import Workspace
from analytics.queries.params import Period
from listening.models import Hit, Watch, WatchMatch


@dataclass(frozen=True)
class VolumeRow:
    day: dt.date
    watch_id: int
    posts: int


@dataclass(frozen=True)
class AuthorRow:
    network: str
    author: str
    posts: int
    engagement: int


@dataclass(frozen=True)
class LanguageRow:
    language: str  # "" when unknown
    posts: int


@dataclass(frozen=True)
class ListeningResult:
    watches: list[Watch]
    volume: list[VolumeRow]
    share: dict[int, int]  # watch id -> posts matched in the period
    authors: list[AuthorRow]
    unknown_authors: int
    posts: list[Hit]
    languages: list[LanguageRow]
    total: int  # distinct posts matched by any watch


ENGAGEMENT = (
    Coalesce("likes", Value(0))
    + Coalesce("comments", Value(0))
    + Coalesce("shares", Value(0))
    + Coalesce("quotes", Value(0))
)


class ListeningQuery:
    def __init__(self, workspace: Workspace, period: Period, *, watch_ids: tuple[int, ...] = ()) -> None:
        self.workspace = workspace
        self.period = period
        self.watch_ids = watch_ids
        self.zone = zoneinfo.ZoneInfo(workspace.organization.time_zone)

    def _matches(self):
        start = dt.datetime.combine(self.period.start, dt.time.min, self.zone)
        end = dt.datetime.combine(self.period.end + dt.timedelta(days=1), dt.time.min, self.zone)
        matches = WatchMatch.objects.filter(
            organization_id=self.workspace.organization_id,
            watch__workspace=self.workspace,
            published_at__gte=start,
            published_at__lt=end,
        )
        if self.watch_ids:
            matches = matches.filter(watch_id__in=self.watch_ids)
        return matches

    def run(self, *, top: int = 10) -> ListeningResult:
        organization_id = self.workspace.organization_id
        watches = list(
            Watch.objects.filter(organization_id=organization_id, workspace=self.workspace).order_by("name", "pk")
        )
        volume = [
            VolumeRow(row["day"], row["watch_id"], row["posts"])
            for row in self._matches()
            .annotate(day=TruncDate("published_at", tzinfo=self.zone))
            .values("day", "watch_id")
            .annotate(posts=Count("pk"))
            .order_by("day", "watch_id")
        ]
        share: dict[int, int] = {}
        for row in volume:
            share[row.watch_id] = share.get(row.watch_id, 0) + row.posts
        hits = Hit.objects.filter(organization_id=organization_id, pk__in=self._matches().values("hit_id"))
        authored = Q(author_handle__gt="") | Q(author_name__gt="")
        author_rows = (
            hits.filter(authored)
            .values("network", "author_handle", "author_name")
            .annotate(posts=Count("pk"), engagement=Sum(ENGAGEMENT, output_field=IntegerField()))
            .order_by("-posts", "-engagement", "author_handle")[:top]
        )
        authors = [
            AuthorRow(
                r["network"],
                f"@{r['author_handle']}" if r["author_handle"] else r["author_name"],
                r["posts"],
                r["engagement"] or 0,
            )
            for r in author_rows
        ]
        counts = hits.aggregate(total=Count("pk"), unknown=Count("pk", filter=~authored))
        posts = list(hits.annotate(score=ENGAGEMENT).order_by(F("score").desc(), "-published_at")[:top])
        languages = [
            LanguageRow(r["language"], r["posts"])
            for r in hits.values("language").annotate(posts=Count("pk")).order_by("-posts", "language")
        ]
        return ListeningResult(
            watches=watches,
            volume=volume,
            share=share,
            authors=authors,
            unknown_authors=counts["unknown"],
            posts=posts,
            languages=languages,
            total=counts["total"],
        )
