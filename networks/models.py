"""Connected social accounts and their tokens.

Both tables are tenant tables: their own ``organization`` foreign key, first in every composite
index, and a scoped manager that refuses unscoped queries (fail closed, as in accounts).
Tokens live in their own table, encrypted (networks/vault.py), so no query that lists accounts
ever loads a token.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization, Workspace


class Network(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"


class SocialAccount(models.Model):
    """One account on one network (an X user, a Facebook Page, an Instagram professional account)
    connected to one workspace."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        NEEDS_REAUTH = "needs_reauth", _("Needs reconnecting")
        DISABLED = "disabled", _("Disconnected")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="social_accounts", db_index=False)
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    external_id = models.CharField(_("id on the network"), max_length=64)
    handle = models.CharField(_("handle"), max_length=120, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    picture_url = models.URLField(_("picture"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    last_error = models.TextField(_("last error"), blank=True)
    next_sync_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    # The Facebook Page an Instagram account is reached through (its token is the page's).
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "network", "external_id"], name="social_account_unique_per_org"
            )
        ]
        indexes = [
            # The workspace page lists its accounts.
            models.Index(fields=["organization", "workspace"], name="social_account_workspace"),
            # Meta webhooks name a Page or Instagram id, not an organisation: they find the
            # accounts across every tenant (networks/webhooks/).
            models.Index(fields=["network", "external_id"], name="social_account_external"),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle or self.name or self.external_id}"

    @property
    def display_name(self) -> str:
        return self.name or self.handle or self.external_id


class AccountToken(models.Model):
    """An encrypted credential of an account. Never shown: no repr, admin list or API field
    carries ``ciphertext`` (or what it decrypts to)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access token")
        REFRESH = "refresh", _("Refresh token")
        USER = "user", _("User token")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="tokens", db_index=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ciphertext = models.BinaryField()
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "account", "kind"], name="account_token_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · account {self.account_id}"

    def __repr__(self) -> str:
        # Never the ciphertext: a repr ends up in logs and tracebacks.
        return f"<AccountToken {self.kind} account={self.account_id} expires_at={self.expires_at}>"


# --- Sync engine (issue 4) ----------------------------------------------------------------------


class SyncKind(models.TextChoices):
    BACKFILL = "backfill", _("History backfill")
    DAILY = "daily", _("Daily account metrics")
    POSTS = "posts", _("New posts")
    POST_METRICS = "post_metrics", _("Post metrics")
    CONVERSATIONS = "conversations", _("Comments, mentions and messages")


class SyncSchedule(models.Model):
    """When one kind of sync of one account is due next (the database is the source of truth for
    what runs: the dispatcher reads ``due_at``, never the broker's queue), with the attempt count
    for backoff and the state a run resumes from (cursors)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="sync_schedules", db_index=False)
    kind = models.CharField(max_length=16, choices=SyncKind.choices)
    due_at = models.DateTimeField(null=True, blank=True)  # None: not scheduled (e.g. backfill done)
    attempts = models.PositiveIntegerField(default=0)  # consecutive failures, for backoff
    state = models.JSONField(default=dict, blank=True)  # e.g. {"cursor": …} to resume a backfill
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "account", "kind"], name="sync_schedule_unique_kind")
        ]
        indexes = [
            # The dispatcher scans every tenant for due work: due_at leads on purpose (a
            # platform-wide query, not a tenant's).
            models.Index(fields=["due_at"], name="sync_schedule_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · account {self.account_id}"


class SyncClaim(models.Model):
    """One account's sync lease: a worker takes it with a conditional UPDATE (``lease_until`` in
    the past), so two workers never sync one account at once and a duplicate delivery does
    nothing; a worker killed mid-sync leaves a lease that expires, then the dispatcher re-queues."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.OneToOneField(SocialAccount, on_delete=models.CASCADE, related_name="sync_claim")
    lease_until = models.DateTimeField(null=True, blank=True)
    owner = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Per-account "blocked until" of each endpoint family (sync kind): {kind: iso datetime}.
    blocked = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(organization="organization")

    def __str__(self) -> str:
        return f"claim · account {self.account_id}"


class SyncRun(models.Model):
    """One run of one kind of sync of one account: what users and admins see."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        PARTIAL = "partial", _("Partial")
        FAILED = "failed", _("Failed")
        RATE_LIMITED = "rate_limited", _("Rate limited")
        NEEDS_REAUTH = "needs_reauth", _("Needs reconnecting")
        SKIPPED = "skipped", _("Skipped")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        CONNECT = "connect", _("Connection")
        MANUAL = "manual", _("Sync now")
        REPLAY = "replay", _("Demo replay")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="sync_runs", db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=SyncKind.choices)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    calls = models.PositiveIntegerField(_("calls"), default=0)
    error = models.TextField(_("error"), blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            # The account page lists its latest runs.
            models.Index(fields=["organization", "account", "-started_at"], name="sync_run_account_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()} · account {self.account_id}"

    @property
    def progress_percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class AppRateLimit(models.Model):
    """The whole app's "blocked until" on a network (Meta code 4, X app limits), and the usage
    announced last. A platform table: no tenant's data lives here."""

    network = models.CharField(max_length=16, choices=Network.choices)
    scope = models.CharField(max_length=32, blank=True)  # "" = every endpoint of the network
    blocked_until = models.DateTimeField(null=True, blank=True)
    usage_percent = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "scope"], name="app_rate_limit_unique")]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.scope or '*'}"


class XReadBudget(models.Model):
    """The monthly cap of X reads (billed per post/user read) a platform admin grants an
    organisation. No row, or no cap: unlimited."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="x_read_budget")
    monthly_cap = models.PositiveIntegerField(_("monthly cap of X reads"), null=True, blank=True)

    objects = ScopedManager(organization="organization")

    def __str__(self) -> str:
        return f"X budget · {self.organization_id}: {self.monthly_cap if self.monthly_cap is not None else '∞'}"


class XReadUsage(models.Model):
    """X reads metered per organisation per calendar month (UTC), from what each call returned."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # first day of the month
    reads = models.PositiveBigIntegerField(default=0)
    calls = models.PositiveBigIntegerField(default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="x_read_usage_unique_month")]

    def __str__(self) -> str:
        return f"X reads {self.month:%Y-%m} · {self.organization_id}: {self.reads}"


# --- Webhooks and compliance (issue 4) ----------------------------------------------------------


class MetaUserGrant(models.Model):
    """Which Facebook user's login gave a Facebook or Instagram account its tokens.

    Meta's deauthorisation and data-deletion callbacks name only that user (their app-scoped id),
    so the connect flow records it here; the callbacks then find the accounts to disconnect or
    erase. One row per (organisation, account, Facebook user); the latest ``granted_at`` of an
    account is the grant its current tokens come from."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="meta_grants", db_index=False)
    facebook_user_id = models.CharField(_("Facebook user id (app-scoped)"), max_length=64)
    granted_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "account", "facebook_user_id"], name="meta_user_grant_unique"
            )
        ]
        indexes = [
            # The callbacks look a Facebook user up across every tenant (a platform-wide query).
            models.Index(fields=["facebook_user_id"], name="meta_user_grant_user"),
        ]

    def __str__(self) -> str:
        return f"Facebook user {self.facebook_user_id} · account {self.account_id}"


class WebhookEvent(models.Model):
    """One change Meta delivered to /webhooks/meta/ (one ``changes[]`` or ``messaging[]`` item of
    one entry), stored before it is processed so nothing is lost when processing fails.

    A platform table, not a tenant's: an event arrives before we know which organisation(s)
    connected the page it is about (possibly several), and only platform admins see it. Processing
    acts inside each organisation's scope."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    object = models.CharField(max_length=32)  # "page", "instagram", …
    entry_id = models.CharField(max_length=64)  # the Page or Instagram account id
    field = models.CharField(max_length=64)  # "feed", "comments", "mentions", "messages", …
    payload = models.JSONField()  # {"time": entry time, "value": the change or messaging item}
    # sha256 of the canonical JSON of (object, entry id, entry time, field, item): a redelivery of
    # the same change is the same row.
    dedup_key = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(max_length=255, blank=True)  # what was done with it, in plain words
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The sweeper re-queues events still pending a while after they arrived.
            models.Index(fields=["status", "received_at"], name="webhook_event_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.object}/{self.field} · {self.entry_id} · {self.get_status_display()}"


class DataDeletionRequest(models.Model):
    """A data-deletion request Meta forwarded for one Facebook user, and what it deleted.

    A platform table. It keeps no personal data: the user is identified by a keyed hash (enough
    to recognise a repeated request), the summary holds counts only, and the public status page
    shows just these counts and dates."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        COMPLETED = "completed", _("Completed")

    confirmation_code = models.CharField(max_length=32, unique=True)
    user_hash = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    summary = models.JSONField(default=dict, blank=True)  # {"tokens_deleted": n, …}

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Data deletion {self.confirmation_code} · {self.get_status_display()}"
