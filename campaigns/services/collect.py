"""Collection: a campaign's hashtags are searched through listening (``collect_hashtag``: the
Instagram hashtag quota, deduplicated hits), and each matching photo or video becomes a
``CampaignMedia`` whose file is downloaded at once — Instagram's media URLs are signed and expire
within days (DESIGN.md "Platform rules"), so a photo not kept now is lost for the exhibition.

Downloads go through the networks app's HTTP boundary (timeouts, call recording), are capped in
size and keep only image or video bytes. A failed download leaves the media in the gallery with
the reason; the next collection tries again with the fresh URL the search returns.
"""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignMedia
from networks.http import BoundarySession

logger = logging.getLogger(__name__)

MAX_DOWNLOAD_BYTES = 60 * 1024 * 1024
KIND_BY_CONTENT_TYPE = {
    "photo": CampaignMedia.Kind.IMAGE,
    "carousel": CampaignMedia.Kind.CAROUSEL,
    "video": CampaignMedia.Kind.VIDEO,
    "reel": CampaignMedia.Kind.VIDEO,
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/mp4": "mp4"}


@dataclass
class CollectResult:
    new: int = 0
    known: int = 0
    downloaded: int = 0
    download_failures: int = 0
    out_of_dates: int = 0
    errors: list[str] = field(default_factory=list)


class DownloadFailed(Exception):  # noqa: N818 (the name says what happened)
    pass


def media_download(url: str) -> tuple[bytes, str]:
    """The bytes at a network's media URL and their content type, or ``DownloadFailed``."""
    session = BoundarySession(network="cdn")
    try:
        with session.get(url, stream=True) as response:
            if response.status_code != 200:
                raise DownloadFailed(
                    _("the network answered %(status)s (%(reason)s)")
                    % {"status": response.status_code, "reason": response.text[:80].strip() or response.reason}
                )
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in EXTENSIONS:
                raise DownloadFailed(_("not a photo or a video (%(type)s)") % {"type": content_type or "?"})
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise DownloadFailed(_("larger than %(mb)s MB") % {"mb": MAX_DOWNLOAD_BYTES // 1024 // 1024})
                chunks.append(chunk)
            return b"".join(chunks), content_type
    except requests.RequestException as error:
        raise DownloadFailed(type(error).__name__) from error
    finally:
        session.close()


def _store_file(media: CampaignMedia, url: str) -> bool:
    try:
        content, content_type = media_download(url)
    except DownloadFailed as error:
        media.download_error = str(error)[:300]
        return False
    media.file.save(f"{media.key}.{EXTENSIONS[content_type]}", ContentFile(content), save=False)
    media.file_type, media.download_error = content_type, ""
    return True


def _in_dates(campaign: Campaign, published: dt.datetime, tz: zoneinfo.ZoneInfo) -> bool:
    day = published.astimezone(tz).date()
    return day >= campaign.starts_on and (campaign.ends_on is None or day <= campaign.ends_on)


def caption_sentiment(caption: str, known: str = "") -> str:
    """The caption's sentiment: the listening hit's when it was analysed, else read here
    (analytics.text, offline); "" for an empty caption."""
    if known:
        return known
    if not (caption or "").strip():
        return ""
    from analytics.text import analyse

    return analyse([caption])[0].sentiment


def media_from_hits(*, campaign: Campaign, hits: Iterable, result: CollectResult | None = None) -> CollectResult:
    """Copy the photos and videos among listening hits into the campaign's gallery (deduplicated),
    downloading each new file. Hits are ``listening.models.Hit`` rows (duck-typed: this app only
    reads their fields)."""
    result = result or CollectResult()
    tz = zoneinfo.ZoneInfo(campaign.organization.time_zone)
    existing = {
        (m.network, m.external_id): m
        for m in CampaignMedia.objects.filter(organization=campaign.organization_id, campaign=campaign)
    }
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        key = (hit.network, hit.external_id)
        if key in seen:
            continue
        seen.add(key)
        kind = KIND_BY_CONTENT_TYPE.get(hit.content_type)
        if kind is None or not hit.media_url:
            continue
        if not _in_dates(campaign, hit.published_at, tz):
            result.out_of_dates += 1
            continue
        media = existing.get(key)
        if media is not None:
            result.known += 1
            if not media.file and _store_file(media, hit.media_url):
                media.save(update_fields=["file", "file_type", "download_error"])
                result.downloaded += 1
            if not media.sentiment and media.caption:  # collected before captions were analysed
                media.sentiment = caption_sentiment(media.caption, getattr(hit, "sentiment", ""))
                media.save(update_fields=["sentiment"])
            continue
        media = CampaignMedia(
            organization=campaign.organization,
            campaign=campaign,
            network=hit.network,
            external_id=hit.external_id,
            hit_id=hit.pk,
            permalink=hit.permalink,
            caption=hit.text,
            sentiment=caption_sentiment(hit.text, getattr(hit, "sentiment", "")),
            kind=kind,
            published_at=hit.published_at,
            likes=hit.likes,
            comments=hit.comments,
            author_handle=hit.author_handle,
            author_source=CampaignMedia.AuthorSource.NETWORK
            if hit.author_handle
            else CampaignMedia.AuthorSource.UNKNOWN,
        )
        if _store_file(media, hit.media_url):
            result.downloaded += 1
        else:
            result.download_failures += 1
        try:
            with transaction.atomic():
                media.save()
        except IntegrityError:  # another collection stored it meanwhile
            if media.file:
                media.file.delete(save=False)
            result.known += 1
            continue
        existing[key] = media
        result.new += 1
    return result


def campaign_collect(*, campaign: Campaign) -> CollectResult:
    """Search each hashtag of the campaign on Instagram and store the new media (call inside the
    organisation's scope). Errors (quota, network) are kept on the campaign for the team to see."""
    from listening.quota import QuotaExceeded
    from listening.services import collect_hashtag
    from networks.providers.errors import ProviderError

    result = CollectResult()
    for tag in campaign.hashtags:
        try:
            hits = collect_hashtag(workspace=campaign.workspace, hashtag=tag, network="instagram")
        except QuotaExceeded as error:
            result.errors.append(str(error))
            continue
        except ProviderError as error:
            result.errors.append(_("#%(tag)s: %(error)s") % {"tag": tag, "error": error.message})
            continue
        media_from_hits(campaign=campaign, hits=hits, result=result)
    campaign.last_collected_at = timezone.now()
    campaign.last_collect_error = "\n".join(result.errors)
    campaign.save(update_fields=["last_collected_at", "last_collect_error"])
    logger.info("Campaign %s collected: %s", campaign.pk, result)
    return result


def campaigns_due(now: dt.datetime | None = None):
    """Campaigns running today (started, not ended): the periodic task collects them."""
    today = (now or timezone.now()).date()
    return Campaign.objects.filter(starts_on__lte=today).exclude(ends_on__lt=today - dt.timedelta(days=1))
