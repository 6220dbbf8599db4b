"""Reads of the listening app, and the access helpers every view and endpoint goes through:
another tenant's watch, hit or queue item, one of a workspace a client was not granted, and a
missing one all answer the same 404."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Workspace
from accounts.selectors import visible_workspaces
from listening.models import Hit, Watch, WatchMatch, WatchUsage, WelcomeItem
from networks.sync import limits


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def watches_of(membership: Membership, workspace: Workspace | None = None) -> QuerySet[Watch]:
    watches = Watch.objects.filter(
        organization=membership.organization, workspace__in=visible_workspaces(membership)
    ).select_related("workspace")
    if workspace is not None:
        watches = watches.filter(workspace=workspace)
    return watches.order_by("workspace__name", "name", "pk")


def watch_for_member(membership: Membership, watch_id) -> Watch:
    watch = watches_of(membership).filter(pk=_int(watch_id)).select_related("organization").first()
    if watch is None:
        raise Http404
    return watch


def hits_visible(membership: Membership) -> QuerySet[Hit]:
    """Hits the member may read: found by a watch of a visible workspace, or first collected there."""
    workspaces = visible_workspaces(membership)
    matched = WatchMatch.objects.filter(organization=membership.organization, watch__workspace__in=workspaces).values(
        "hit_id"
    )
    return Hit.objects.filter(organization=membership.organization).filter(
        Q(workspace__in=workspaces) | Q(pk__in=matched)
    )


def hit_for_member(membership: Membership, hit_id) -> Hit:
    hit = hits_visible(membership).filter(pk=_int(hit_id)).first()
    if hit is None:
        raise Http404
    return hit


def watch_hits(watch: Watch) -> QuerySet[Hit]:
    """The watch's hits, newest first."""
    return Hit.objects.filter(organization_id=watch.organization_id, matches__watch=watch).order_by(
        "-published_at", "-pk"
    )


def welcome_queue(membership: Membership, status: str = WelcomeItem.Status.PENDING) -> QuerySet[WelcomeItem]:
    return (
        WelcomeItem.objects.filter(
            organization=membership.organization,
            status=status,
            watch__workspace__in=visible_workspaces(membership),
        )
        .select_related("hit", "watch__workspace", "done_by")
        .order_by("-hit__published_at", "-pk")
    )


def welcome_item_for_member(membership: Membership, item_id) -> WelcomeItem:
    item = (
        WelcomeItem.objects.filter(
            organization=membership.organization,
            pk=_int(item_id),
            watch__workspace__in=visible_workspaces(membership),
        )
        .select_related("hit", "watch__workspace", "watch__organization")
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class WatchCost:
    """What a watch read from X (billed per post) and how often it called Instagram."""

    x_reads_today: int
    x_reads_30_days: int
    x_calls_30_days: int
    instagram_calls_30_days: int
    days_measured: int
    organization_used: int
    organization_cap: int | None

    @property
    def x_reads_per_day(self) -> float | None:
        return self.x_reads_30_days / self.days_measured if self.days_measured else None

    @property
    def x_reads_per_month(self) -> int | None:
        per_day = self.x_reads_per_day
        return round(per_day * 30) if per_day is not None else None

    @property
    def organization_share(self) -> int | None:
        if not self.organization_cap:
            return None
        return min(100, round(100 * self.organization_used / self.organization_cap))


def watch_cost(watch: Watch, now: dt.datetime | None = None) -> WatchCost:
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    rows = WatchUsage.objects.filter(
        organization_id=watch.organization_id, watch=watch, day__gt=today - dt.timedelta(days=30)
    )
    totals = rows.aggregate(
        reads=Sum("x_reads"), calls=Sum("x_calls"), instagram=Sum("instagram_calls"), days=Count("day")
    )
    today_reads = rows.filter(day=today).aggregate(reads=Sum("x_reads"))["reads"] or 0
    # Days since the watch started counting, at most 30: a watch created yesterday is not averaged
    # over a month.
    started = min(30, max(1, (today - watch.created_at.astimezone(dt.UTC).date()).days + 1))
    used, cap = limits.x_budget(watch.organization_id, now)
    return WatchCost(
        x_reads_today=today_reads,
        x_reads_30_days=totals["reads"] or 0,
        x_calls_30_days=totals["calls"] or 0,
        instagram_calls_30_days=totals["instagram"] or 0,
        days_measured=started if totals["days"] else 0,
        organization_used=used,
        organization_cap=cap,
    )
