"""The reuse rights workflow and the private upload link.

Rights are tracked by hand: the team contacts the author on the network (Instagram hashtag media
cannot be commented on through the API, DESIGN.md), then records "request sent", "granted" or
"refused". Each step is a ``RightsEvent`` (date, who) and an audit row.

The upload link lets a winner send the full-size original without an account: a signed token
(``TimestampSigner``, expiring after ``UPLOAD_LINK_DAYS``) naming the media's random key and a
nonce; making a new link changes the nonce, so the previous link stops working.
"""

import datetime as dt
import io
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from accounts.models import Role, User
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from campaigns.models import CampaignMedia, RightsEvent
from campaigns.services import CampaignError

UPLOAD_SALT = "campaigns.upload"
UPLOAD_LINK_DAYS = 14
MAX_UPLOAD_BYTES = 40 * 1024 * 1024  # a full-size photo from a camera is 5-25 MB
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}

# Which step may follow which: a refusal can be reconsidered (asked again), a grant withdrawn.
ALLOWED = {
    CampaignMedia.Rights.NONE: {CampaignMedia.Rights.REQUESTED, CampaignMedia.Rights.GRANTED},
    CampaignMedia.Rights.REQUESTED: {CampaignMedia.Rights.GRANTED, CampaignMedia.Rights.REFUSED},
    CampaignMedia.Rights.GRANTED: {CampaignMedia.Rights.REFUSED},
    CampaignMedia.Rights.REFUSED: {CampaignMedia.Rights.REQUESTED, CampaignMedia.Rights.GRANTED},
}


@transaction.atomic
def media_rights_set(*, media: CampaignMedia, rights: str, user: User | None, note: str = "") -> RightsEvent:
    if rights not in CampaignMedia.Rights.values or rights == CampaignMedia.Rights.NONE:
        raise CampaignError(_("Unknown rights state."))
    if rights not in ALLOWED[media.rights]:
        raise CampaignError(
            _("The rights cannot go from “%(before)s” to “%(after)s”.")
            % {"before": media.get_rights_display(), "after": CampaignMedia.Rights(rights).label}
        )
    now = timezone.now()
    media.rights, media.rights_changed_at, media.rights_changed_by = rights, now, user
    fields = ["rights", "rights_changed_at", "rights_changed_by"]
    if rights == CampaignMedia.Rights.REFUSED:
        # Without the author's agreement the media leaves every reuse at once.
        media.in_contest = media.for_exhibition = False
        media.upload_nonce, media.upload_expires_at = "", None
        fields += ["in_contest", "for_exhibition", "upload_nonce", "upload_expires_at"]
    media.save(update_fields=fields)
    event = RightsEvent.objects.create(
        organization=media.organization, media=media, rights=rights, note=note.strip()[:500], at=now, by=user
    )
    audit_record(
        organization=media.organization,
        action=f"campaign.rights_{rights}",
        actor=user,
        target=str(media),
        details={"campaign": media.campaign_id, "author": media.author_handle, "note": event.note},
    )
    return event


# --- The private upload link ---------------------------------------------------------------------


@transaction.atomic
def upload_link_create(*, media: CampaignMedia, user: User | None) -> str:
    """A new signed token for ``media`` (the previous link stops working)."""
    if media.rights not in (CampaignMedia.Rights.REQUESTED, CampaignMedia.Rights.GRANTED):
        raise CampaignError(_("Ask the author for the rights before sending an upload link."))
    media.upload_nonce = secrets.token_hex(4)
    media.upload_expires_at = timezone.now() + dt.timedelta(days=UPLOAD_LINK_DAYS)
    media.save(update_fields=["upload_nonce", "upload_expires_at"])
    audit_record(organization=media.organization, action="campaign.upload_link", actor=user, target=str(media))
    return signing.TimestampSigner(salt=UPLOAD_SALT).sign(f"{media.key}.{media.upload_nonce}")


class UploadLinkInvalid(Exception):  # noqa: N818 (the name says what happened)
    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def media_for_upload_token(token: str) -> CampaignMedia:
    """The media an upload link names, or ``UploadLinkInvalid`` (forged, replaced or expired)."""
    try:
        value = signing.TimestampSigner(salt=UPLOAD_SALT).unsign(token, max_age=dt.timedelta(days=UPLOAD_LINK_DAYS))
    except signing.SignatureExpired:
        raise UploadLinkInvalid(expired=True) from None
    except signing.BadSignature:
        raise UploadLinkInvalid(expired=False) from None
    key, _sep, nonce = value.rpartition(".")
    # The token is the credential and names no organisation: the lookup crosses tenants on purpose.
    with scopes_disabled():
        media = CampaignMedia.objects.select_related("campaign", "organization").filter(key=key).first()
    if media is None or not nonce or media.upload_nonce != nonce:
        raise UploadLinkInvalid(expired=False)
    if media.upload_expires_at and media.upload_expires_at < timezone.now():
        raise UploadLinkInvalid(expired=True)
    return media


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str


def _is_mp4(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp"


def check_media_file(upload: UploadedFile) -> CheckedFile:
    """Read and check an uploaded original: size first, then its real type from its bytes (never
    from its name or the browser's word). Raises ``CampaignError`` with a message for the sender."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise CampaignError(
            _("The file is %(size)s MB: the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise CampaignError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024})
    if not content:
        raise CampaignError(_("The file is empty."))
    if _is_mp4(content[:12]):
        return CheckedFile(content, "video/mp4", "mp4")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise CampaignError(_("This file is not a photo or a video we can read (JPEG, PNG, WebP or MP4).")) from None
    if image_format not in IMAGE_FORMATS:
        raise CampaignError(
            _("%(format)s files are not accepted: send a JPEG, PNG, WebP or MP4 file.") % {"format": image_format}
        )
    content_type, extension = IMAGE_FORMATS[image_format]
    return CheckedFile(content, content_type, extension)


@transaction.atomic
def original_upload(*, media: CampaignMedia, upload: UploadedFile, ip_address: str | None = None) -> CampaignMedia:
    if media.rights == CampaignMedia.Rights.REFUSED:
        raise CampaignError(_("This link is no longer valid."))
    checked = check_media_file(upload)
    if media.original:
        media.original.delete(save=False)
    media.original.save(f"{media.key}.{checked.extension}", ContentFile(checked.content), save=False)
    media.original_type = checked.content_type
    media.original_uploaded_at = timezone.now()
    media.save(update_fields=["original", "original_type", "original_uploaded_at"])
    audit_record(
        organization=media.organization,
        action="campaign.original_uploaded",
        target=str(media),
        details={"bytes": len(checked.content), "type": checked.content_type, "ip": ip_address},
    )
    _tell_the_team(media)
    return media


def _tell_the_team(media: CampaignMedia) -> None:
    """The members who run campaigns hear that an original arrived (in-app, and by email per
    their preference): the link goes to the media's page."""
    team = User.objects.filter(
        memberships__organization_id=media.organization_id,
        memberships__role__in=(Role.OWNER, Role.ADMIN, Role.MANAGER),
        is_active=True,
    ).distinct()
    author = f"@{media.author_handle}" if media.author_handle else gettext_lazy("An author")
    notify(
        organization=media.organization,
        users=team,
        kind="campaigns.original",
        title=format_lazy(
            gettext_lazy("{author} sent the original of a photo of {campaign}"),
            author=author,
            campaign=media.campaign.name,
        ),
        url=reverse(
            "campaign_media",
            kwargs={"org": media.organization.slug, "campaign_id": media.campaign_id, "media_id": media.pk},
        ),
    )
