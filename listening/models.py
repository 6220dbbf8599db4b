"""Listening: watches (a rule on X and Instagram), the public posts they find (hits), the Instagram
hashtag quota, what each watch costs, and the "to welcome" queue.

A hit is stored once per organisation and network (``UNIQUE (organization, network, external_id)``):
two watches finding the same post share it through ``WatchMatch``. Every table carries its own
``organization`` first in its composite indexes (DESIGN.md "Tenancy").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization, Workspace
from networks.models import SocialAccount


class ListeningNetwork(models.TextChoices):
    """Networks that can be listened to. Facebook has no public search (the UI says so)."""

    X = "x", "X"
    INSTAGRAM = "instagram", "Instagram"


class Watch(models.Model):
    class Alerts(models.TextChoices):
        OFF = "off", _("No alert")
        IMMEDIATE = "immediate", _("At once")
        DAILY = "daily", _("Daily digest")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="watches", db_index=False)
    name = models.CharField(_("name"), max_length=120)
    rule = models.CharField(_("rule"), max_length=1000)
    networks = models.JSONField(_("networks"), default=list)  # ListeningNetwork values
    # Instagram: top media (the most liked of the week) and/or recent media (the last 24 hours).
    instagram_top = models.BooleanField(_("Instagram top media"), default=True)
    instagram_recent = models.BooleanField(_("Instagram recent media"), default=True)
    active = models.BooleanField(_("active"), default=True)
    alerts = models.CharField(_("alerts"), max_length=10, choices=Alerts.choices, default=Alerts.OFF)
    welcome = models.BooleanField(_("send matches to the “to welcome” queue"), default=False)
    # {"fr": "Bienvenue à Boulogne-Billancourt !", "en": "Welcome to Boulogne-Billancourt!"}
    reply_templates = models.JSONField(_("suggested replies"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Collection: claimed with a conditional UPDATE of next_collect_at (listening.services.collect).
    next_collect_at = models.DateTimeField(null=True, blank=True)
    last_collected_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # X recent search resumes from the newest post seen (since_id).
    x_since_id = models.CharField(max_length=32, blank=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        indexes = [
            models.Index(fields=["organization", "workspace", "name"], name="watch_org_ws"),
            # The dispatcher's due scan.
            models.Index(fields=["active", "next_collect_at"], name="watch_due"),
        ]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")

    def __str__(self) -> str:
        return self.name

    @property
    def listens_to_x(self) -> bool:
        return ListeningNetwork.X in self.networks

    @property
    def listens_to_instagram(self) -> bool:
        return ListeningNetwork.INSTAGRAM in self.networks

    def parsed(self):
        from listening.rules import parse_rule

        return parse_rule(self.rule)


class Hit(models.Model):
    """A public post found by listening (or by a campaign's hashtag collection)."""

    class Source(models.TextChoices):
        X_SEARCH = "x_search", _("X recent search")
        IG_TOP = "ig_top", _("Instagram top media")
        IG_RECENT = "ig_recent", _("Instagram recent media")
        IG_TAG = "ig_tag", _("Instagram tag or mention")

    class AuthorSource(models.TextChoices):
        NETWORK = "network", _("given by the network")
        MANUAL = "manual", _("filled in by the team")
        UNKNOWN = "", _("unknown")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    # The workspace whose watch (or campaign) found it first.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    network = models.CharField(_("network"), max_length=16, choices=ListeningNetwork.choices)
    external_id = models.CharField(_("id on the network"), max_length=64)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    published_at = models.DateTimeField(_("published"))
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    permalink = models.URLField(_("link"), max_length=500, blank=True)
    # Instagram media URLs expire (DESIGN.md): kept for display while fresh; campaigns download.
    media_url = models.URLField(_("media"), max_length=2000, blank=True)
    content_type = models.CharField(_("content type"), max_length=16, blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)  # normalized, without #
    # Instagram hashtag media carry no author (API rule): empty until the team fills it in.
    author_id = models.CharField(_("author id"), max_length=64, blank=True)
    author_handle = models.CharField(_("author"), max_length=120, blank=True)
    author_name = models.CharField(_("author name"), max_length=200, blank=True)
    author_source = models.CharField(max_length=8, choices=AuthorSource.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    likes = models.BigIntegerField(_("likes"), null=True, blank=True)
    comments = models.BigIntegerField(_("comments"), null=True, blank=True)
    shares = models.BigIntegerField(_("shares"), null=True, blank=True)
    quotes = models.BigIntegerField(_("quotes"), null=True, blank=True)
    views = models.BigIntegerField(_("views"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "network", "external_id"], name="hit_unique_per_org"),
        ]
        indexes = [models.Index(fields=["organization", "published_at"], name="hit_org_published")]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")

    def __str__(self) -> str:
        return f"{self.network}:{self.external_id}"

    @property
    def engagement(self) -> int | None:
        values = [v for v in (self.likes, self.comments, self.shares, self.quotes) if v is not None]
        return sum(values) if values else None

    @property
    def author_label(self) -> str:
        return f"@{self.author_handle}" if self.author_handle else self.author_name


class WatchMatch(models.Model):
    """A hit matched by a watch (the dashboard counts these, per watch)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="matches", db_index=False)
    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="matches")
    published_at = models.DateTimeField()  # the hit's, copied: the dashboard's range scans stay on one table
    matched_at = models.DateTimeField(default=timezone.now)
    alerted = models.BooleanField(default=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "hit"], name="watch_match_unique")]
        indexes = [models.Index(fields=["organization", "watch", "published_at"], name="match_org_watch_time")]

    def __str__(self) -> str:
        return f"{self.watch_id}:{self.hit_id}"


class HashtagSearch(models.Model):
    """One unique hashtag searched by one Instagram account: Meta allows 30 per account in a rolling
    7-day window, counted from the tag's first search; searching it again neither counts nor
    resets the timer (NETWORK_APIS.md §4.4). ``listening.quota`` keeps this table."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="+", db_index=False)
    hashtag = models.CharField(max_length=100)  # listening.rules.normalize_hashtag
    # Reserved when a watch is saved; the window starts at the first real search when there was one.
    reserved_at = models.DateTimeField(default=timezone.now)
    first_searched_at = models.DateTimeField(null=True, blank=True)
    last_searched_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "hashtag"], name="hashtag_search_unique")]
        indexes = [models.Index(fields=["organization", "account", "reserved_at"], name="hashtag_org_account")]

    def __str__(self) -> str:
        return f"#{self.hashtag}"

    @property
    def window_start(self):
        return self.first_searched_at or self.reserved_at


class WatchUsage(models.Model):
    """What one watch cost on one UTC day: X reads (billed per post returned) and calls."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="usage", db_index=False)
    day = models.DateField()
    x_reads = models.PositiveIntegerField(default=0)
    x_calls = models.PositiveIntegerField(default=0)
    instagram_calls = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "watch", "day"], name="watch_usage_unique")]

    def __str__(self) -> str:
        return f"{self.watch_id} {self.day}"


class WelcomeItem(models.Model):
    """A match a watch routed to the "to welcome" queue, with its suggested reply."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To welcome")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")

    class How(models.TextChoices):
        REPLY = "reply", _("Reply from Over-Graph")
        MANUAL = "manual", _("Copy the reply and open the post on the network")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="welcome_items", db_index=False)
    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="welcome_items")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    how = models.CharField(_("how"), max_length=8, choices=How.choices)
    suggested_reply = models.TextField(_("suggested reply"), blank=True)
    sent_text = models.TextField(_("reply sent"), blank=True)
    reply_external_id = models.CharField(max_length=64, blank=True)
    replied_from = models.ForeignKey(
        SocialAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "hit"], name="welcome_unique")]
        indexes = [models.Index(fields=["organization", "status", "created_at"], name="welcome_org_status")]

    def __str__(self) -> str:
        return f"{self.watch_id}:{self.hit_id} {self.status}"
