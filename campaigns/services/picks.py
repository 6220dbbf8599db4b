"""The photo of the day: pick approved media whose author granted the rights, never the same
known author twice within the campaign's ``author_cooldown_days``, and prepare the credit line.

The rule is checked both ways around a day: a pick planned next week also blocks that author for
the days before it. An unknown author cannot be checked; the pick page says so.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.audit import audit_record
from campaigns.models import Campaign, CampaignMedia, DailyPick
from campaigns.services import CampaignError


def credit_line(media: CampaignMedia) -> str:
    """ "📷 @author — #InstaBoulogne" (the campaign's first hashtag)."""
    tag = f"#{media.campaign.main_hashtag}"
    if media.author_handle:
        return f"📷 @{media.author_handle} — {tag}"
    return f"📷 {tag}"


def author_blocked_days(
    campaign: Campaign, author: str, day: dt.date, *, ignore_pick: int | None = None
) -> list[dt.date]:
    """Days within the cooldown around ``day`` on which ``author`` is already the photo of the day."""
    if not author or not campaign.author_cooldown_days:
        return []
    window = dt.timedelta(days=campaign.author_cooldown_days - 1)
    picks = DailyPick.objects.filter(
        organization=campaign.organization_id,
        campaign=campaign,
        day__gte=day - window,
        day__lte=day + window,
        media__author_handle__iexact=author,
    )
    if ignore_pick is not None:
        picks = picks.exclude(pk=ignore_pick)
    return list(picks.values_list("day", flat=True))


def check_pickable(campaign: Campaign, media: CampaignMedia, day: dt.date) -> None:
    if media.campaign_id != campaign.pk:
        raise CampaignError(_("This media belongs to another campaign."))
    if media.status != CampaignMedia.Status.APPROVED:
        raise CampaignError(_("Only approved media can be the photo of the day."))
    if media.rights != CampaignMedia.Rights.GRANTED:
        raise CampaignError(_("The author has not granted the rights: this media cannot be picked."))
    blocked = author_blocked_days(campaign, media.author_handle, day)
    if blocked:
        raise CampaignError(
            _("@%(author)s is already the photo of the day on %(day)s: an author comes back after %(days)s days.")
            % {
                "author": media.author_handle,
                "day": ", ".join(date_format(d) for d in blocked),
                "days": campaign.author_cooldown_days,
            }
        )


def _day_taken(day: dt.date) -> CampaignError:
    # date_format: "30 novembre 2026" in French, not the ISO date.
    return CampaignError(_("%(day)s already has its photo of the day: remove it first.") % {"day": date_format(day)})


@transaction.atomic
def daily_pick_create(*, campaign: Campaign, media: CampaignMedia, day: dt.date, user: User | None) -> DailyPick:
    check_pickable(campaign, media, day)
    if DailyPick.objects.filter(organization=campaign.organization_id, campaign=campaign, day=day).exists():
        raise _day_taken(day)
    already = DailyPick.objects.filter(organization=campaign.organization_id, media=media).first()
    if already is not None:
        raise CampaignError(
            _("This media is already the photo of the day on %(day)s.") % {"day": date_format(already.day)}
        )
    try:
        with transaction.atomic():
            pick = DailyPick.objects.create(
                organization=campaign.organization,
                campaign=campaign,
                media=media,
                day=day,
                credit=credit_line(media),
                picked_by=user,
            )
    except IntegrityError:  # someone picked this day at the same moment
        raise _day_taken(day) from None
    audit_record(
        organization=campaign.organization,
        action="campaign.daily_pick",
        actor=user,
        target=str(media),
        details={"campaign": campaign.pk, "day": day.isoformat()},
    )
    return pick


@transaction.atomic
def daily_pick_delete(*, pick: DailyPick, user: User | None) -> None:
    audit_record(
        organization=pick.organization,
        action="campaign.daily_pick_removed",
        actor=user,
        target=str(pick.media),
        details={"campaign": pick.campaign_id, "day": pick.day.isoformat()},
    )
    pick.delete()
