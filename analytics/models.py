"""Stored facts: posts with their latest lifetime metrics, append-only post snapshots, and one row
of account metrics per account per day.

A metric the network does not report is NULL, never 0 (the UI says "not available"). Views,
impressions and reach stay separate columns. Every table carries its own ``organization`` and
puts it first in its composite indexes (DESIGN.md "Facts and how they are stored"); foreign keys
those composites cover get no index of their own (``db_index=False``): on 3M snapshots Django's
default index per foreign key made the workspace overview slower than no secondary index at all.

The sync engine (networks) writes and reads these tables only through ``analytics.factstore``.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization


class PostKind(models.TextChoices):
    """How a post relates to others: a repost carries the original's counts (DESIGN.md)."""

    ORIGINAL = "original", _("Original")
    REPLY = "reply", _("Reply")
    QUOTE = "quote", _("Quote")
    REPOST = "repost", _("Repost")


class ContentType(models.TextChoices):
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    REEL = "reel", _("Reel")
    CAROUSEL = "carousel", _("Carousel")
    LINK = "link", _("Link")
    STORY = "story", _("Story")


# The counters of networks.providers.base.PostMetrics, in its order (analytics.factstore maps one
# to the other by these names).
METRIC_FIELDS = (
    "likes",
    "comments",
    "shares",
    "quotes",
    "saves",
    "views",
    "reach",
    "clicks",
    "bookmarks",
    "engagements",
    "reactions_by_type",
    "avg_watch_time_ms",
)


class PostCounters(models.Model):
    """Lifetime counters of a post as the network reported them (NULL: not reported)."""

    # Facebook: total reactions (their split by type is in reactions_by_type).
    likes = models.BigIntegerField(_("likes"), null=True, blank=True)
    comments = models.BigIntegerField(_("comments"), null=True, blank=True)
    shares = models.BigIntegerField(_("shares"), null=True, blank=True)
    quotes = models.BigIntegerField(_("quotes"), null=True, blank=True)
    saves = models.BigIntegerField(_("saves"), null=True, blank=True)
    views = models.BigIntegerField(_("views"), null=True, blank=True)
    reach = models.BigIntegerField(_("reach"), null=True, blank=True)
    clicks = models.BigIntegerField(_("clicks"), null=True, blank=True)
    bookmarks = models.BigIntegerField(_("bookmarks"), null=True, blank=True)
    engagements = models.BigIntegerField(_("engagements"), null=True, blank=True)
    reactions_by_type = models.JSONField(_("reactions by type"), null=True, blank=True)
    avg_watch_time_ms = models.BigIntegerField(_("average watch time (ms)"), null=True, blank=True)

    class Meta:
        abstract = True


class Post(PostCounters):
    """One post of a connected account with its latest lifetime metrics (the account's own: a
    repost's counts are the original's and live apart, in ``original_metrics``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    external_id = models.CharField(_("id on the network"), max_length=64)
    published_at = models.DateTimeField(_("published"))
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices, default=PostKind.ORIGINAL)
    content_type = models.CharField(
        _("content type"), max_length=10, choices=ContentType.choices, default=ContentType.TEXT
    )
    text = models.TextField(_("text"), blank=True)
    permalink = models.URLField(_("link"), max_length=500, blank=True)
    # Instagram's CDN addresses are long and signed.
    media_url = models.URLField(_("media"), max_length=2000, blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    referenced_id = models.CharField(_("replied-to, quoted or reposted post"), max_length=64, blank=True)
    author_id = models.CharField(_("author id"), max_length=64, blank=True)
    author_handle = models.CharField(_("author"), max_length=120, blank=True)
    # A repost's counts are the original's (X reports them on the retweet): kept here, out of
    # every sum of the account's own engagement. Keys are METRIC_FIELDS.
    original_metrics = models.JSONField(_("original post's metrics"), null=True, blank=True)

    # db_default too: a bulk upsert that leaves a timestamp out gets the database's clock.
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now, db_default=Now())
    metrics_updated_at = models.DateTimeField(_("metrics read"), null=True, blank=True)
    # When a read last found different counters: the cadence waits longer for a quiet post.
    last_changed_at = models.DateTimeField(_("metrics last changed"), null=True, blank=True)
    # When the sync engine reads this post's metrics again (networks.sync.cadence decides);
    # NULL: never again.
    next_refresh_at = models.DateTimeField(_("next refresh"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "account", "external_id"], name="post_natural_key")
        ]
        indexes = [
            # Dashboards read an account's posts by period (DESIGN.md "Performance budgets"). It
            # carries the counters the roll-ups add up (PostgreSQL INCLUDE; SQLite ignores it), so
            # the agency overview's statement over ~50,000 posts is an index-only scan instead of
            # a bitmap heap scan of thousands of blocks (docs/performance.md "Dashboard"). Metric
            # refreshes already change next_refresh_at (indexed below), so they were not HOT
            # updates before: the covered columns add no index write a refresh did not pay.
            models.Index(
                fields=["organization", "account", "published_at"],
                name="post_org_account_published",
                include=["kind", "likes", "comments", "shares", "quotes", "saves", "views", "reach", "clicks"],
            ),
            # The sync engine's "which posts are due" (posts_due): partial, most posts stop being
            # refreshed after a while.
            models.Index(
                fields=["organization", "account", "next_refresh_at"],
                name="post_org_account_refresh",
                condition=models.Q(next_refresh_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"


class PostMetricsSnapshot(PostCounters):
    """Append-only: a post's counters each time they were read, so its curve (first hour, day,
    week) is known. Holds what that read returned: NULL where it did not measure a counter."""

    # No database constraint on the organisation: it is the post's (ingest writes the organisation
    # it read the post under), whose own constraint guarantees it exists, and Django still
    # cascades an organisation's deletion here. The redundant check cost one trigger per row:
    # ingest ran at 0.29 of a plain COPY with it, 0.4-0.48 without (docs/performance.md).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    # No database constraint on the post either (its check at commit was a third of ingest's time,
    # the one cost a plain COPY does not pay: docs/performance.md "Ingest"). "A snapshot never
    # outlives its post" is kept by a locking protocol instead (analytics/services/ingest.py):
    # the writes of snapshots lock their posts (FOR NO KEY UPDATE) before reading their ids, and
    # deletions lock the posts before deleting what references them, so the two serialise; Django
    # still cascades a post's deletion here, and snapshots_orphaned_delete sweeps what a deletion
    # outside that protocol (a raw SQL delete) would leave.
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="snapshots", db_index=False, db_constraint=False
    )
    captured_at = models.DateTimeField(_("read at"), default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("post metrics snapshot")
        verbose_name_plural = _("post metrics snapshots")
        # The natural key doubles as the curve's index: without (post, captured_at) a post's curve
        # costs 132 ms instead of 0.2 ms on 3M snapshots (DESIGN.md); organisation first keeps
        # each tenant's rows together. A redelivered (post, captured_at) is ignored.
        constraints = [
            models.UniqueConstraint(fields=["organization", "post", "captured_at"], name="snapshot_natural_key")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.captured_at:%Y-%m-%d %H:%M}"


class AccountDailyMetrics(models.Model):
    """One row per account per day of the network, upserted. The date is the network's day as the
    provider mapped it (Meta: a Pacific-time day), stored as is."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="daily_metrics", db_index=False
    )
    date = models.DateField(_("date"))
    followers = models.BigIntegerField(_("followers"), null=True, blank=True)  # total at the end of the day
    follows = models.BigIntegerField(_("new followers"), null=True, blank=True)
    unfollows = models.BigIntegerField(_("unfollows"), null=True, blank=True)
    views = models.BigIntegerField(_("views"), null=True, blank=True)
    reach = models.BigIntegerField(_("reach"), null=True, blank=True)
    engagements = models.BigIntegerField(_("engagements"), null=True, blank=True)
    page_views = models.BigIntegerField(_("profile views"), null=True, blank=True)
    accounts_engaged = models.BigIntegerField(_("accounts engaged"), null=True, blank=True)
    likes = models.BigIntegerField(_("likes"), null=True, blank=True)
    comments = models.BigIntegerField(_("comments"), null=True, blank=True)
    shares = models.BigIntegerField(_("shares"), null=True, blank=True)
    saves = models.BigIntegerField(_("saves"), null=True, blank=True)
    replies = models.BigIntegerField(_("replies"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_default=Now())

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("daily account metrics")
        verbose_name_plural = _("daily account metrics")
        constraints = [models.UniqueConstraint(fields=["organization", "account", "date"], name="daily_natural_key")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.date}"


# The counters of networks.providers.base.DailyMetrics stored per day, in its order.
DAILY_FIELDS = (
    "followers",
    "follows",
    "unfollows",
    "views",
    "reach",
    "engagements",
    "page_views",
    "accounts_engaged",
    "likes",
    "comments",
    "shares",
    "saves",
    "replies",
)


# --- Themes (issue 5) ---------------------------------------------------------------------------


class Theme(models.Model):
    """A subject posts are labelled with (sport, associations, families, events…), for the whole
    organisation or one workspace."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    # NULL: shared by every workspace of the organisation.
    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.CharField(_("name"), max_length=80)
    color = models.CharField(_("colour"), max_length=7, default="#4c6ef5")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="theme_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class ThemeRule(models.Model):
    """Label a post with a theme when it carries one of ``hashtags`` or contains one of ``words``
    (both compared without case or accents)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="rules", db_index=False)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    words = models.JSONField(_("words"), default=list, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("theme rule")
        verbose_name_plural = _("theme rules")
        indexes = [models.Index(fields=["organization", "theme"], name="theme_rule_org_theme")]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.hashtags} {self.words}"


class PostTheme(models.Model):
    """A post labelled with a theme, by hand or by a rule. A manual label wins over a rule: rules
    never remove or downgrade it."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("By hand")
        RULE = "rule", _("By a rule")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="themes", db_index=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="posts", db_index=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("post theme")
        verbose_name_plural = _("post themes")
        # (organization, post, theme) serves "themes of these posts" and the theme filter's EXISTS;
        # (organization, theme, post) serves the breakdown by theme.
        constraints = [
            models.UniqueConstraint(fields=["organization", "post", "theme"], name="post_theme_unique"),
        ]
        indexes = [models.Index(fields=["organization", "theme", "post"], name="post_theme_org_theme_post")]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.theme_id} ({self.source})"


# --- Spike and crisis alerts (analytics/spikes.py) ----------------------------------------------


class SpikeSensitivity(models.TextChoices):
    LOW = "low", _("Low (fewer alerts)")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High (more alerts)")


class SpikeSettings(models.Model):
    """A workspace's alert sensitivity (no row: medium)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.OneToOneField("accounts.Workspace", on_delete=models.CASCADE, related_name="spike_settings")
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=SpikeSensitivity.choices, default=SpikeSensitivity.MEDIUM
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("spike alert settings")
        verbose_name_plural = _("spike alert settings")

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.sensitivity}"


class SpikeAlert(models.Model):
    """A day on which a registered daily series (messages received, negative share, listening hits)
    left its seasonal baseline, with what drove it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+", db_index=False)
    source_key = models.CharField(_("series"), max_length=80)
    day = models.DateField(_("day"))
    observed = models.FloatField(_("observed"))
    expected = models.FloatField(_("expected"))
    spread = models.FloatField(_("usual spread"))
    score = models.FloatField(_("deviation score"))
    sensitivity = models.CharField(_("sensitivity"), max_length=10, choices=SpikeSensitivity.choices)
    drivers = models.JSONField(_("drivers"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("spike alert")
        verbose_name_plural = _("spike alerts")
        ordering = ["-day", "source_key"]
        # One alert per series and day: the periodic task is idempotent (ON CONFLICT DO NOTHING).
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "workspace", "source_key", "day"], name="spike_alert_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_key} {self.day}: {self.observed:g} (expected {self.expected:g})"


# --- Forecasts (issue 8): defined in their package, registered with this app ---------------------

from analytics.forecasting.models import Forecast, ForecastMetric  # noqa: E402, F401
