"""UGC campaigns (#InstaBoulogne): hashtags and dates, the media they gathered (files kept, since
the networks' media URLs expire), moderation, the reuse rights workflow, the photo of the day and
the public contest's votes.

Every table carries its own ``organization`` first in its composite indexes and is scoped by
django-scopes (STYLE.md rules 5-6). Foreign keys a composite index covers get no index of their
own (``db_index=False``), as in analytics.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization, Workspace


def public_key() -> str:
    """An unguessable id for the URLs strangers see (voting page, upload link): never a sequence."""
    return secrets.token_urlsafe(12)


def media_path(instance: "CampaignMedia", filename: str) -> str:
    return f"campaigns/{instance.organization_id}/{instance.campaign_id}/{filename}"


def original_path(instance: "CampaignMedia", filename: str) -> str:
    return f"campaigns/{instance.organization_id}/{instance.campaign_id}/originals/{filename}"


class Campaign(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(_("name"), max_length=120)
    # Lower-case, without "#", accents kept (Instagram folds case, not accents).
    hashtags = models.JSONField(_("hashtags"), default=list)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Photo of the day: a known author is not picked again within this many days.
    author_cooldown_days = models.PositiveSmallIntegerField(_("days before an author is picked again"), default=30)
    # Contest (public votes).
    public_key = models.CharField(max_length=32, unique=True, default=public_key)
    contest_title = models.CharField(_("contest title"), max_length=160, blank=True)
    contest_opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    contest_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    # Votes accepted from one IP address per hour: generous, a household or a school shares one.
    votes_per_ip_per_hour = models.PositiveIntegerField(_("votes per IP address per hour"), default=60)
    last_collected_at = models.DateTimeField(null=True, blank=True)
    last_collect_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["organization", "workspace"], name="campaign_workspace")]

    def __str__(self) -> str:
        return self.name

    @property
    def main_hashtag(self) -> str:
        return self.hashtags[0] if self.hashtags else ""

    def contest_state(self, now=None) -> str:
        """ "none" (no contest planned), "planned", "open" or "closed"."""
        now = now or timezone.now()
        if self.contest_closes_at is None:
            return "none"
        if self.contest_opens_at and now < self.contest_opens_at:
            return "planned"
        return "open" if now < self.contest_closes_at else "closed"


class CampaignMedia(models.Model):
    """One photo or video carrying a campaign's hashtag, with its file downloaded at collection."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To moderate")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")

    class Rights(models.TextChoices):
        NONE = "none", _("Not asked")
        REQUESTED = "requested", _("Request sent")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    class AuthorSource(models.TextChoices):
        NETWORK = "network", _("Given by the network")
        MANUAL = "manual", _("Filled in by the team")
        UNKNOWN = "unknown", _("Unknown")

    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        VIDEO = "video", _("Video")
        CAROUSEL = "carousel", _("Carousel")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="media", db_index=False)
    key = models.CharField(max_length=32, unique=True, default=public_key)
    network = models.CharField(_("network"), max_length=16)
    external_id = models.CharField(_("id on the network"), max_length=64)
    # The listening hit it came from (listening.Hit's id), when collected through listening.
    hit_id = models.BigIntegerField(null=True, blank=True)
    permalink = models.URLField(_("permalink"), max_length=1000, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    # The caption's sentiment (analytics.text), set at collection: "" when not analysed yet.
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.IMAGE)
    published_at = models.DateTimeField(_("published"))
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)
    likes = models.PositiveIntegerField(null=True, blank=True)  # NULL: not reported
    comments = models.PositiveIntegerField(null=True, blank=True)
    author_handle = models.CharField(_("author"), max_length=120, blank=True)
    author_source = models.CharField(max_length=12, choices=AuthorSource.choices, default=AuthorSource.UNKNOWN)
    # The file downloaded from the network when collected (its URL expires).
    file = models.FileField(upload_to=media_path, max_length=300, blank=True)
    file_type = models.CharField(max_length=60, blank=True)
    download_error = models.CharField(max_length=300, blank=True)
    # The full-size original the author sent through the private upload link.
    original = models.FileField(upload_to=original_path, max_length=300, blank=True)
    original_type = models.CharField(max_length=60, blank=True)
    original_uploaded_at = models.DateTimeField(null=True, blank=True)
    upload_nonce = models.CharField(max_length=16, blank=True)  # a new link invalidates the previous one
    upload_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("moderation"), max_length=10, choices=Status.choices, default=Status.PENDING)
    favourite = models.BooleanField(_("favourite"), default=False)
    tags = models.JSONField(_("tags"), default=list)
    rights = models.CharField(_("rights"), max_length=10, choices=Rights.choices, default=Rights.NONE)
    rights_changed_at = models.DateTimeField(null=True, blank=True)
    rights_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_contest = models.BooleanField(_("in the contest"), default=False)
    for_exhibition = models.BooleanField(_("selected for the exhibition"), default=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("campaign media")
        verbose_name_plural = _("campaign media")
        ordering = ["-published_at"]
        constraints = [
            # Dedup: a media collected twice (two hashtags, two runs) is one row.
            models.UniqueConstraint(
                fields=["organization", "campaign", "network", "external_id"], name="campaign_media_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "campaign", "status"], name="campaign_media_status")]

    def __str__(self) -> str:
        return f"{self.network}:{self.external_id}"

    @property
    def author_known(self) -> bool:
        return bool(self.author_handle)

    @property
    def best_file(self):
        """The original when the author sent one, else the downloaded file."""
        return self.original if self.original else self.file

    @property
    def is_pickable(self) -> bool:
        return self.status == self.Status.APPROVED and self.rights == self.Rights.GRANTED


class RightsEvent(models.Model):
    """Each step of the reuse rights workflow, with its date and who recorded it (append-only)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    media = models.ForeignKey(CampaignMedia, on_delete=models.CASCADE, related_name="rights_events", db_index=False)
    rights = models.CharField(max_length=10, choices=CampaignMedia.Rights.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organization", "media", "at"], name="rights_event_media")]

    def __str__(self) -> str:
        return f"{self.media_id}: {self.rights}"


class DailyPick(models.Model):
    """The photo of the day: one media per campaign per local day, past or planned."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="picks", db_index=False)
    media = models.ForeignKey(CampaignMedia, on_delete=models.CASCADE, related_name="picks", db_index=False)
    day = models.DateField(_("day"))
    credit = models.CharField(_("credit line"), max_length=300)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "campaign", "day"], name="daily_pick_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.credit}"


class Vote(models.Model):
    """One public vote, counted server side: one per browser per media (the browser id comes from a
    signed cookie), and the voter's IP address for the hourly cap and the abuse signals."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes", db_index=False)
    media = models.ForeignKey(CampaignMedia, on_delete=models.CASCADE, related_name="votes", db_index=False)
    browser_id = models.CharField(max_length=40)
    ip_address = models.GenericIPAddressField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "media", "browser_id"], name="vote_one_per_browser")
        ]
        indexes = [
            # The hourly cap and the abuse signals read votes by campaign, IP and time.
            models.Index(fields=["organization", "campaign", "ip_address", "created_at"], name="vote_ip_time"),
            models.Index(fields=["organization", "campaign", "media"], name="vote_media"),
        ]

    def __str__(self) -> str:
        return f"{self.media_id} ← {self.browser_id}"
