"""Campaigns and their gallery: create and edit a campaign, moderate, tag, favourite, name the author."""

import datetime as dt
import re

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, User, Workspace
from accounts.services.audit import audit_record
from campaigns.models import Campaign, CampaignMedia
from campaigns.services import CampaignError

HASHTAG = re.compile(r"^[^\W_][\w]*$")  # letters (accents too), digits and underscores; no spaces, no emoji
HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")  # Instagram user names


def clean_hashtags(values: list[str]) -> list[str]:
    """["#InstaBoulogne", "instaboulogne"] → ["InstaBoulogne"] (duplicates folded without case)."""
    found: list[str] = []
    for value in values:
        tag = value.strip().lstrip("#")
        if not tag:
            continue
        if not HASHTAG.match(tag):
            raise CampaignError(_("“%(tag)s” is not a hashtag (letters, digits and _ only).") % {"tag": value})
        if tag.lower() not in {t.lower() for t in found}:
            found.append(tag)
    if not found:
        raise CampaignError(_("A campaign needs at least one hashtag."))
    return found


def _reserve_quota(workspace: Workspace, hashtags: list[str]) -> None:
    """Instagram allows 30 unique hashtags per account in 7 days: a campaign that would exceed
    the workspace's quota is refused now, with listening's message (when and which account frees
    up), rather than failing silently at its first collection. Without an Instagram account yet,
    the campaign is saved and the gallery says what is missing."""
    from listening.quota import NoInstagramAccount, QuotaExceeded, hashtags_reserve

    try:
        with transaction.atomic():
            hashtags_reserve(workspace=workspace, hashtags=hashtags)
    except NoInstagramAccount:
        return
    except QuotaExceeded as error:
        raise CampaignError(str(error)) from None


@transaction.atomic
def campaign_create(
    *,
    organization: Organization,
    workspace: Workspace,
    name: str,
    hashtags: list[str],
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    author_cooldown_days: int = 30,
    user: User | None = None,
) -> Campaign:
    if ends_on and ends_on < starts_on:
        raise CampaignError(_("The campaign cannot end before it starts."))
    hashtags = clean_hashtags(hashtags)
    _reserve_quota(workspace, hashtags)
    campaign = Campaign.objects.create(
        organization=organization,
        workspace=workspace,
        name=name.strip(),
        hashtags=hashtags,
        starts_on=starts_on,
        ends_on=ends_on,
        author_cooldown_days=author_cooldown_days,
        created_by=user,
    )
    audit_record(organization=organization, action="campaign.created", actor=user, target=campaign.name)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user: User | None = None, **changes) -> Campaign:
    if "hashtags" in changes:
        changes["hashtags"] = clean_hashtags(changes["hashtags"])
    for name, value in changes.items():
        setattr(campaign, name, value)
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise CampaignError(_("The campaign cannot end before it starts."))
    if (
        campaign.contest_opens_at
        and campaign.contest_closes_at
        and campaign.contest_closes_at <= campaign.contest_opens_at
    ):
        raise CampaignError(_("Voting must close after it opens."))
    if campaign.contest_opens_at and not campaign.contest_closes_at:
        raise CampaignError(_("Give the contest a closing date."))
    if "hashtags" in changes or "workspace" in changes:
        _reserve_quota(campaign.workspace, campaign.hashtags)
    campaign.save()
    audit_record(
        organization=campaign.organization,
        action="campaign.updated",
        actor=user,
        target=campaign.name,
        details={"fields": sorted(changes)},
    )
    return campaign


def media_moderate(*, media: CampaignMedia, status: str, user: User | None = None) -> CampaignMedia:
    if status not in CampaignMedia.Status.values:
        raise CampaignError(_("Unknown moderation state."))
    media.status = status
    fields = ["status"]
    if status != CampaignMedia.Status.APPROVED and media.in_contest:
        # A rejected or hidden photo leaves the public contest page at once.
        media.in_contest = False
        fields.append("in_contest")
    media.save(update_fields=fields)
    return media


def media_set_favourite(*, media: CampaignMedia, favourite: bool) -> CampaignMedia:
    media.favourite = favourite
    media.save(update_fields=["favourite"])
    return media


def clean_tags(value: str) -> list[str]:
    tags: list[str] = []
    for part in value.replace(",", " ").split():
        tag = part.strip().lstrip("#").lower()[:40]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:20]


def media_set_tags(*, media: CampaignMedia, tags: list[str]) -> CampaignMedia:
    media.tags = tags
    media.save(update_fields=["tags"])
    return media


def media_set_author(*, media: CampaignMedia, handle: str, user: User | None = None) -> CampaignMedia:
    """The team names the author (Instagram hashtag search never gives it) or clears it."""
    handle = handle.strip().lstrip("@")
    if handle and not HANDLE.match(handle):
        raise CampaignError(
            _("“%(handle)s” is not an Instagram user name (letters, digits, . and _, 30 at most).") % {"handle": handle}
        )
    if media.author_source == CampaignMedia.AuthorSource.NETWORK and handle != media.author_handle:
        raise CampaignError(_("The network gave this author: it cannot be changed."))
    media.author_handle = handle
    if media.author_source != CampaignMedia.AuthorSource.NETWORK:
        media.author_source = CampaignMedia.AuthorSource.MANUAL if handle else CampaignMedia.AuthorSource.UNKNOWN
    media.save(update_fields=["author_handle", "author_source"])
    audit_record(
        organization=media.organization,
        action="campaign.media_author",
        actor=user,
        target=str(media),
        details={"author": handle},
    )
    return media


def media_set_contest(*, media: CampaignMedia, entered: bool) -> CampaignMedia:
    if entered and not media.is_pickable:
        raise CampaignError(_("Only approved media whose author granted the rights can enter the contest."))
    media.in_contest = entered
    media.save(update_fields=["in_contest"])
    return media


def media_set_exhibition(*, media: CampaignMedia, selected: bool) -> CampaignMedia:
    if selected and media.rights != CampaignMedia.Rights.GRANTED:
        raise CampaignError(_("Only media whose author granted the rights can be exhibited."))
    media.for_exhibition = selected
    media.save(update_fields=["for_exhibition"])
    return media
