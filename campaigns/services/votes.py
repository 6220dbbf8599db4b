"""Public votes of a campaign's contest, counted server side.

* one vote per browser per photo: the browser id comes from a signed cookie the voting page sets,
  and the ``(media, browser_id)`` unique constraint makes a second vote impossible even when two
  arrive at once;
* a per-IP hourly cap (``Campaign.votes_per_ip_per_hour``, 60 by default) that a household, a
  school or a café behind one address does not reach by voting normally, but a script does;
* refused once voting closed (``contest_closes_at``) or before it opened.

Votes are never deleted by a refusal; the abuse signals (``campaigns.selectors.vote_abuse``) show
the team many votes from one address and bursts.
"""

import datetime as dt
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign, CampaignMedia, Vote


class Refusal(StrEnum):
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    NOT_AN_ENTRY = "not_an_entry"
    ALREADY_VOTED = "already_voted"
    TOO_MANY = "too_many"


class VoteRefused(Exception):  # noqa: N818 (the name says what happened)
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


def contest_entries(campaign: Campaign):
    """What the public may see and vote for: approved, granted and entered media of this campaign."""
    return CampaignMedia.objects.filter(
        organization=campaign.organization_id,
        campaign=campaign,
        in_contest=True,
        status=CampaignMedia.Status.APPROVED,
        rights=CampaignMedia.Rights.GRANTED,
    )


def vote_cast(
    *, campaign: Campaign, media_key: str, browser_id: str, ip_address: str, now: dt.datetime | None = None
) -> Vote:
    now = now or timezone.now()
    state = campaign.contest_state(now)
    if state == "closed":
        raise VoteRefused(Refusal.CLOSED)
    if state != "open":
        raise VoteRefused(Refusal.NOT_OPEN)
    media = contest_entries(campaign).filter(key=media_key).first()
    if media is None:
        raise VoteRefused(Refusal.NOT_AN_ENTRY)
    votes = Vote.objects.filter(organization=campaign.organization_id, campaign=campaign)
    if votes.filter(media=media, browser_id=browser_id).exists():
        raise VoteRefused(Refusal.ALREADY_VOTED)
    recent = votes.filter(ip_address=ip_address, created_at__gt=now - dt.timedelta(hours=1)).count()
    if recent >= campaign.votes_per_ip_per_hour:
        raise VoteRefused(Refusal.TOO_MANY)
    try:
        with transaction.atomic():
            return Vote.objects.create(
                organization=campaign.organization,
                campaign=campaign,
                media=media,
                browser_id=browser_id,
                ip_address=ip_address,
                created_at=now,
            )
    except IntegrityError:  # the same browser's second click arrived at the same moment
        raise VoteRefused(Refusal.ALREADY_VOTED) from None
