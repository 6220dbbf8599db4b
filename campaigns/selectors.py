"""Reads of the campaigns app, and the access helpers every view goes through.

A campaign of another organisation, of a workspace a client was not granted, and a missing one
all answer the same 404 (STYLE.md rule 7).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMinute
from django.http import Http404

from accounts.models import Membership
from accounts.selectors import visible_workspaces
from campaigns.models import Campaign, CampaignMedia, DailyPick, Vote
from campaigns.services.votes import contest_entries

# Abuse signals: an address with this many votes deserves a look (a family votes a few times,
# a school class maybe 30), and this many votes from one address within one minute is a burst.
MANY_VOTES_FROM_ONE_IP = 30
BURST_PER_MINUTE = 10


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def campaigns_for_member(membership: Membership) -> QuerySet[Campaign]:
    return Campaign.objects.filter(
        organization=membership.organization, workspace__in=visible_workspaces(membership)
    ).select_related("workspace")


def campaign_for_member(membership: Membership, campaign_id) -> Campaign:
    campaign = campaigns_for_member(membership).filter(pk=_as_int(campaign_id)).first()
    if campaign is None:
        raise Http404
    return campaign


def media_for_member(campaign: Campaign, media_id) -> CampaignMedia:
    media = (
        CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign, pk=_as_int(media_id))
        .select_related("campaign", "rights_changed_by")
        .first()
    )
    if media is None:
        raise Http404
    return media


def pick_for_member(campaign: Campaign, pick_id) -> DailyPick:
    pick = DailyPick.objects.filter(organization=campaign.organization_id, campaign=campaign, pk=_as_int(pick_id))
    found = pick.select_related("media").first()
    if found is None:
        raise Http404
    return found


# --- Gallery ----------------------------------------------------------------------------------

GALLERY_FILTERS = ("status", "rights", "tag", "favourite", "author", "exhibition")


def gallery(campaign: Campaign, filters: dict[str, str]) -> QuerySet[CampaignMedia]:
    media = CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign)
    status = filters.get("status")
    if status in CampaignMedia.Status.values:
        media = media.filter(status=status)
    elif status != "all":
        media = media.exclude(status=CampaignMedia.Status.HIDDEN)
    if filters.get("rights") in CampaignMedia.Rights.values:
        media = media.filter(rights=filters["rights"])
    if filters.get("tag"):
        # JSON "contains" is not supported on SQLite: match the quoted tag in the stored list.
        media = media.filter(tags__icontains=f'"{filters["tag"].strip().lower()}"')
    if filters.get("favourite") == "1":
        media = media.filter(favourite=True)
    if filters.get("exhibition") == "1":
        media = media.filter(for_exhibition=True)
    author = filters.get("author")
    if author == "unknown":
        media = media.filter(author_handle="")
    elif author == "known":
        media = media.exclude(author_handle="")
    return media.order_by("-published_at", "-pk")


def campaign_tags(campaign: Campaign) -> list[str]:
    found: set[str] = set()
    for tags in CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign).values_list(
        "tags", flat=True
    ):
        found.update(tags or [])
    return sorted(found)


# --- Photo of the day -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    media: CampaignMedia
    blocked_on: list[dt.date]  # days the author is already picked within the cooldown

    @property
    def allowed(self) -> bool:
        return not self.blocked_on


def pick_candidates(campaign: Campaign, day: dt.date, limit: int = 12) -> list[Candidate]:
    """Approved, granted media never picked, favourites first then the most liked, each with the
    days that block its author around ``day`` (the rotation rule); allowed ones first."""
    media = list(
        CampaignMedia.objects.filter(
            organization=campaign.organization_id,
            campaign=campaign,
            status=CampaignMedia.Status.APPROVED,
            rights=CampaignMedia.Rights.GRANTED,
        )
        .exclude(picks__isnull=False)
        .select_related("campaign")
        .order_by("-favourite", "-likes", "published_at")[: limit * 3]
    )
    window = dt.timedelta(days=max(campaign.author_cooldown_days - 1, 0))
    nearby: dict[str, list[dt.date]] = {}
    for author, picked_on in DailyPick.objects.filter(
        organization=campaign.organization_id, campaign=campaign, day__gte=day - window, day__lte=day + window
    ).values_list("media__author_handle", "day"):
        if author and campaign.author_cooldown_days:
            nearby.setdefault(author.lower(), []).append(picked_on)
    candidates = [Candidate(m, sorted(nearby.get(m.author_handle.lower(), []))) for m in media]
    candidates.sort(key=lambda c: not c.allowed)
    return candidates[:limit]


def pick_calendar(campaign: Campaign, start: dt.date, days: int) -> list[tuple[dt.date, DailyPick | None]]:
    picks = {
        p.day: p
        for p in DailyPick.objects.filter(
            organization=campaign.organization_id,
            campaign=campaign,
            day__gte=start,
            day__lt=start + dt.timedelta(days=days),
        ).select_related("media", "picked_by")
    }
    return [(start + dt.timedelta(days=i), picks.get(start + dt.timedelta(days=i))) for i in range(days)]


# --- Contest ------------------------------------------------------------------------------------


def contest_results(campaign: Campaign) -> list[CampaignMedia]:
    """Entries with their ``vote_count``, most voted first. Votes are counted per media on the
    vote table's (organization, campaign, media) index, not by joining every vote to every entry."""
    counts = dict(
        Vote.objects.filter(organization=campaign.organization_id, campaign=campaign)
        .values("media")
        .annotate(n=Count("id"))
        .values_list("media", "n")
    )
    entries = list(contest_entries(campaign).select_related("campaign"))
    for entry in entries:
        entry.vote_count = counts.get(entry.pk, 0)
    entries.sort(key=lambda e: (-e.vote_count, e.published_at, e.pk))
    return entries


@dataclass(frozen=True)
class AbuseSignals:
    busy_addresses: list[dict]  # {"ip", "votes", "browsers", "last"}
    bursts: list[dict]  # {"ip", "minute", "votes"}
    total_votes: int
    voters: int  # distinct browsers


def vote_abuse(campaign: Campaign) -> AbuseSignals:
    votes = Vote.objects.filter(organization=campaign.organization_id, campaign=campaign)
    busy = list(
        votes.values("ip_address")
        .annotate(votes=Count("id"), browsers=Count("browser_id", distinct=True), last=Max("created_at"))
        .filter(votes__gte=MANY_VOTES_FROM_ONE_IP)
        .order_by("-votes")[:20]
    )
    # Only an address with a burst's worth of votes in all can have a burst: truncating every
    # vote's time to its minute is left to those few (SQLite truncates in Python, row by row).
    candidates = votes.values("ip_address").annotate(n=Count("id")).filter(n__gte=BURST_PER_MINUTE).values("ip_address")
    bursts = list(
        votes.filter(ip_address__in=candidates)
        .annotate(minute=TruncMinute("created_at"))
        .values("ip_address", "minute")
        .annotate(votes=Count("id"))
        .filter(votes__gte=BURST_PER_MINUTE)
        .order_by("-votes", "-minute")[:20]
    )
    totals = votes.aggregate(total=Count("id"), voters=Count("browser_id", distinct=True))
    return AbuseSignals(
        busy_addresses=[
            {"ip": b["ip_address"], "votes": b["votes"], "browsers": b["browsers"], "last": b["last"]} for b in busy
        ],
        bursts=[{"ip": b["ip_address"], "minute": b["minute"], "votes": b["votes"]} for b in bursts],
        total_votes=totals["total"],
        voters=totals["voters"],
    )


# --- Statistics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignStats:
    media: int
    photos: int
    videos: int
    contributors: int  # distinct known authors
    unknown_author_media: int
    unknown_share: float | None  # None: no media yet ("not available", never a false 0)
    approved: int
    granted: int
    weeks: list[tuple[dt.date, int, int]]  # (Monday, media that week, cumulative)
    top_contributors: list[tuple[str, int]]
    votes: int
    voters: int


def campaign_stats(campaign: Campaign, tz: zoneinfo.ZoneInfo) -> CampaignStats:
    media = CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign)
    totals = media.aggregate(
        total=Count("id"),
        videos=Count("id", filter=Q(kind=CampaignMedia.Kind.VIDEO)),
        unknown=Count("id", filter=Q(author_handle="")),
        contributors=Count("author_handle", distinct=True, filter=~Q(author_handle="")),
        approved=Count("id", filter=Q(status=CampaignMedia.Status.APPROVED)),
        granted=Count("id", filter=Q(rights=CampaignMedia.Rights.GRANTED)),
    )
    # Weeks in the organisation's time zone: one small column read, grouped here (at most a few
    # thousand rows a year; SQLite and PostgreSQL disagree on week truncation in a time zone).
    per_week: dict[dt.date, int] = {}
    for published in media.values_list("published_at", flat=True).iterator():
        local = published.astimezone(tz).date()
        monday = local - dt.timedelta(days=local.weekday())
        per_week[monday] = per_week.get(monday, 0) + 1
    weeks, running = [], 0
    if per_week:
        monday, last = min(per_week), max(per_week)
        while monday <= last:
            running += per_week.get(monday, 0)
            weeks.append((monday, per_week.get(monday, 0), running))
            monday += dt.timedelta(days=7)
    top = list(
        media.exclude(author_handle="")
        .values("author_handle")
        .annotate(n=Count("id"))
        .order_by("-n", "author_handle")
        .values_list("author_handle", "n")[:10]
    )
    votes = Vote.objects.filter(organization=campaign.organization_id, campaign=campaign).aggregate(
        total=Count("id"), voters=Count("browser_id", distinct=True)
    )
    total = totals["total"]
    return CampaignStats(
        media=total,
        photos=total - totals["videos"],
        videos=totals["videos"],
        contributors=totals["contributors"],
        unknown_author_media=totals["unknown"],
        unknown_share=(totals["unknown"] / total) if total else None,
        approved=totals["approved"],
        granted=totals["granted"],
        weeks=weeks,
        top_contributors=top,
        votes=votes["total"],
        voters=votes["voters"],
    )


def campaign_sentiment(campaign: Campaign, tz: zoneinfo.ZoneInfo, today: dt.date):
    """The sentiment of the collected media's captions, from the campaign's first day to its last
    (or today), per day or week (analytics.queries.sentiment; "" sentiment = not analysed)."""
    from analytics.queries.sentiment import MAX_ROWS, summarise
    from analytics.text.sources import TextRow

    start = min(campaign.starts_on, today)
    end = max(start, min(campaign.ends_on or today, today))
    found = list(
        CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign)
        .order_by("-published_at", "-pk")
        .values_list("published_at", "caption", "sentiment", "author_handle", "permalink")[:MAX_ROWS]
    )
    rows = [
        TextRow(day=at.astimezone(tz).date(), text=text, sentiment=sentiment or None, score=None, author=who, url=url)
        for at, text, sentiment, who, url in found
    ]
    return summarise(rows, start=start, end=end, truncated=len(found) >= MAX_ROWS)
