"""Test helpers: a campaign, its media (with a real small JPEG file) and hit-like rows."""

import datetime as dt
import io
import itertools
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope
from PIL import Image

from accounts.models import Workspace
from campaigns.models import Campaign, CampaignMedia, DailyPick

_numbers = itertools.count(1)


def jpeg_bytes(color=(200, 80, 40), size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def make_campaign(workspace: Workspace, **extra) -> Campaign:
    defaults = {
        "name": f"Campaign {next(_numbers)}",
        "hashtags": ["InstaBoulogne"],
        "starts_on": dt.date(2026, 1, 1),
        "author_cooldown_days": 30,
    }
    with scope(organization=workspace.organization):
        return Campaign.objects.create(
            organization=workspace.organization, workspace=workspace, **{**defaults, **extra}
        )


def make_media(campaign: Campaign, *, author: str = "", with_file: bool = True, **extra) -> CampaignMedia:
    number = next(_numbers)
    defaults = {
        "network": "instagram",
        "external_id": f"1790000000{number:04d}",
        "permalink": f"https://www.instagram.com/p/Sim{number:05d}/",
        "caption": f"Photo {number} #InstaBoulogne",
        "published_at": timezone.now() - dt.timedelta(days=number % 20),
        "author_handle": author,
        "author_source": CampaignMedia.AuthorSource.MANUAL if author else CampaignMedia.AuthorSource.UNKNOWN,
        "likes": number,
    }
    with scope(organization=campaign.organization):
        media = CampaignMedia(organization=campaign.organization, campaign=campaign, **{**defaults, **extra})
        if with_file:
            media.file.save(f"{media.key}.jpg", ContentFile(jpeg_bytes()), save=False)
            media.file_type = "image/jpeg"
        media.save()
    return media


def granted(campaign: Campaign, *, author: str = "", **extra) -> CampaignMedia:
    return make_media(
        campaign,
        author=author,
        status=CampaignMedia.Status.APPROVED,
        rights=CampaignMedia.Rights.GRANTED,
        **extra,
    )


def hit(external_id: str, media_url: str, *, published_at=None, content_type="photo", author="", pk=None):
    """What campaigns reads of a listening hit."""
    return SimpleNamespace(
        pk=pk,
        network="instagram",
        external_id=external_id,
        permalink=f"https://www.instagram.com/p/{external_id}/",
        text=f"#instaboulogne {external_id}",
        media_url=media_url,
        content_type=content_type,
        published_at=published_at or timezone.now(),
        author_handle=author,
        likes=3,
        comments=1,
    )


def make_contest_objects(workspace: Workspace, key: str) -> tuple[Campaign, CampaignMedia, DailyPick]:
    """A campaign with an open contest, a granted entry (in the contest and the exhibition) and a
    photo of the day: what every team page of a campaign addresses (tenancy tests)."""
    campaign = make_campaign(
        workspace, name=f"Secret campaign {key}", contest_closes_at=timezone.now() + dt.timedelta(days=3)
    )
    media = granted(campaign, author=f"author{key}", in_contest=True, for_exhibition=True)
    other = granted(campaign, author=f"other{key}")
    with scope(organization=workspace.organization):
        pick = DailyPick.objects.create(
            organization=workspace.organization, campaign=campaign, media=other, day=dt.date(2026, 12, 1), credit="x"
        )
    return campaign, media, pick
