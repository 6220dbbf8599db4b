"""Reactivity statistics of a workspace's inbox, built from ``(workspace, params)``.

A thread counts in the period its first received message falls in (local days of the
organisation's time zone). Its first response time is the time from that message to the first
answer, counted on the workspace's clock (every hour, or business hours without French public
holidays). "Within target" counts answered threads whose first response time is at most the
workspace's target, over all threads of the period (an unanswered thread is not within target).
Nothing answered means "not available", never 0.
"""

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Workspace
from analytics.models import Post
from inbox.businesstime import Clock
from inbox.models import InboxSettings, Thread, ThreadStatus

AGE_BUCKETS = (
    (dt.timedelta(hours=1), _("less than 1 hour")),
    (dt.timedelta(hours=4), _("1 to 4 hours")),
    (dt.timedelta(hours=24), _("4 to 24 hours")),
    (dt.timedelta(days=3), _("1 to 3 days")),
    (None, _("more than 3 days")),
)
TOP_POSTS = 10


def percentile(values: list[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    threads: int
    answered: int
    median_seconds: float | None
    p90_seconds: float | None
    within_target: int

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.threads if self.threads else None

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.threads if self.threads else None


def summarise(durations: list[float | None], target_seconds: float) -> Summary:
    answered = [d for d in durations if d is not None]
    return Summary(
        threads=len(durations),
        answered=len(answered),
        median_seconds=percentile(answered, 0.5),
        p90_seconds=percentile(answered, 0.9),
        within_target=sum(1 for d in answered if d <= target_seconds),
    )


@dataclass(frozen=True)
class Params:
    start: dt.date
    end: dt.date  # inclusive
    network: str = ""
    department_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Params":
        length = dt.timedelta(days=self.days)
        return Params(self.start - length, self.end - length, self.network, self.department_id)


@dataclass
class Stats:
    params: Params
    target_minutes: int
    business_hours: bool
    current: Summary
    previous: Summary
    by_network: list[tuple[str, Summary]] = field(default_factory=list)
    by_department: list[tuple[str, Summary]] = field(default_factory=list)
    by_member: list[tuple[str, Summary]] = field(default_factory=list)
    daily: list[tuple[dt.date, Summary]] = field(default_factory=list)
    unanswered_by_age: list[tuple[str, int]] = field(default_factory=list)
    top_posts: list[dict] = field(default_factory=list)


def clock_for(settings: InboxSettings, time_zone: str) -> Clock:
    return Clock(
        time_zone=time_zone,
        business_hours=settings.business_hours_only,
        opens=settings.business_start,
        closes=settings.business_end,
        working_days=settings.working_days,
        holidays=settings.french_holidays,
    )


class ReactivityQuery:
    def __init__(self, workspace: Workspace, params: Params, *, settings: InboxSettings | None = None) -> None:
        self.workspace = workspace
        self.organization = workspace.organization
        self.params = params
        self.settings = settings or (
            InboxSettings.objects.filter(organization=self.organization, workspace=workspace).first()
            or InboxSettings(organization=self.organization, workspace=workspace)
        )
        self.zone = zoneinfo.ZoneInfo(self.organization.time_zone)
        self.clock = clock_for(self.settings, self.organization.time_zone)
        self.target = self.settings.response_target_minutes * 60

    def _bounds(self, params: Params) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(params.start, dt.time(0), tzinfo=self.zone)
        end = dt.datetime.combine(params.end + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)
        return start, end

    def _threads(self):
        threads = Thread.objects.filter(organization=self.organization, workspace=self.workspace)
        if self.params.network:
            threads = threads.filter(network=self.params.network)
        if self.params.department_id:
            threads = threads.filter(department=self.params.department_id)
        return threads

    def _rows(self, params: Params) -> list[tuple]:
        start, end = self._bounds(params)
        return list(
            self._threads()
            .filter(first_inbound_at__gte=start, first_inbound_at__lt=end)
            .values_list(
                "network",
                "department__name",
                "first_responder__full_name",
                "first_responder__email",
                "first_inbound_at",
                "first_response_at",
                "post_id",
                "is_question",
            )
        )

    def _duration(self, row: tuple) -> float | None:
        return None if row[5] is None else self.clock.seconds_between(row[4], row[5])

    def _grouped(self, rows: list[tuple], durations: list, key) -> list[tuple[str, Summary]]:
        groups: dict[str, list] = {}
        for row, duration in zip(rows, durations, strict=True):
            groups.setdefault(key(row), []).append(duration)
        return sorted(
            ((label, summarise(values, self.target)) for label, values in groups.items()),
            key=lambda item: -item[1].threads,
        )

    def run(self, now: dt.datetime) -> Stats:
        rows = self._rows(self.params)
        durations = [self._duration(r) for r in rows]
        previous_rows = self._rows(self.params.previous())
        stats = Stats(
            params=self.params,
            target_minutes=self.settings.response_target_minutes,
            business_hours=self.settings.business_hours_only,
            current=summarise(durations, self.target),
            previous=summarise([self._duration(r) for r in previous_rows], self.target),
        )
        stats.by_network = self._grouped(rows, durations, lambda r: r[0])
        stats.by_department = self._grouped(rows, durations, lambda r: r[1] or str(_("No department")))
        answered = [(r, d) for r, d in zip(rows, durations, strict=True) if d is not None]
        stats.by_member = self._grouped(
            [r for r, _d in answered], [d for _r, d in answered], lambda r: r[2] or r[3] or str(_("On the network"))
        )
        stats.daily = self._daily(rows, durations)
        stats.unanswered_by_age = self._unanswered(now)
        stats.top_posts = self._top_posts(rows, durations)
        return stats

    def _daily(self, rows: list[tuple], durations: list) -> list[tuple[dt.date, Summary]]:
        days: dict[dt.date, list] = {self.params.start + dt.timedelta(days=n): [] for n in range(self.params.days)}
        for row, duration in zip(rows, durations, strict=True):
            days.setdefault(row[4].astimezone(self.zone).date(), []).append(duration)
        return [(day, summarise(values, self.target)) for day, values in sorted(days.items())]

    def _unanswered(self, now: dt.datetime) -> list[tuple[str, int]]:
        waiting = self._threads().filter(
            Q(status__in=[ThreadStatus.OPEN, ThreadStatus.PENDING]),
            first_response_at__isnull=True,
            first_inbound_at__isnull=False,
        )
        counts = [0] * len(AGE_BUCKETS)
        for first in waiting.values_list("first_inbound_at", flat=True):
            age = now - first
            index = next(i for i, (limit, _label) in enumerate(AGE_BUCKETS) if limit is None or age < limit)
            counts[index] += 1
        return [(str(label), count) for (_limit, label), count in zip(AGE_BUCKETS, counts, strict=True)]

    def _top_posts(self, rows: list[tuple], durations: list) -> list[dict]:
        per_post: dict[int, list] = {}
        for row, duration in zip(rows, durations, strict=True):
            if row[6] is not None and row[7]:
                per_post.setdefault(row[6], []).append(duration)
        ranked = sorted(per_post.items(), key=lambda item: -len(item[1]))[:TOP_POSTS]
        posts = (
            Post.objects.filter(organization=self.organization, pk__in=[pk for pk, _d in ranked])
            .only("pk", "text", "permalink", "published_at", "account__network")
            .select_related("account")
        )
        by_pk = {p.pk: p for p in posts}
        return [
            {"post": by_pk.get(pk), "questions": len(values), "summary": summarise(values, self.target)}
            for pk, values in ranked
            if pk in by_pk
        ]
