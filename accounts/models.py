"""Users, organisations (the tenants), client workspaces, memberships, invitations, audit log and
notifications.

Every tenant-owned table carries its own ``organization`` foreign key, first in its composite
indexes, and is reachable only through a scoped manager: querying it outside
``django_scopes.scope(organization=...)`` raises ``ScopeError`` (fail closed, as pretix does).
"""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with an email address; may belong to several organisations."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Empty: follow the organisation's language, then the browser's.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    last_organization = models.ForeignKey(
        "Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Organization(models.Model):
    """The tenant: a city, a brand or an agency."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single brand or city")
        AGENCY = "agency", _("Agency with client workspaces")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Paris")
    language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    require_mfa = models.BooleanField(_("require two-factor authentication for owners and admins"), default=False)
    # Messages, comments and listening hits of people (not the organisation's own posts) older than
    # this are deleted every day (accounts/privacy.py); empty: kept until someone erases them.
    people_data_retention_days = models.PositiveIntegerField(
        _("keep people's messages and listening hits for (days)"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_agency(self) -> bool:
        return self.kind == self.Kind.AGENCY


class Role(models.TextChoices):
    """Roles and their rights: DESIGN.md "Tenancy". Order matters: most powerful first."""

    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst (read-only)")
    CLIENT = "client", _("Client (read-only, chosen workspaces)")


class Workspace(models.Model):
    """A client or brand inside an organisation; social accounts belong to a workspace."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="workspaces", db_index=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["name"]
        # The unique constraint's index (organization, name) serves the organisation's listing too.
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="workspace_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["user__email"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user_per_org")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.role}"


class WorkspaceGrant(models.Model):
    """A workspace a client member may read. Other roles see every workspace of the organisation."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="grants")

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "membership", "workspace"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.workspace_id}"


class Invitation(models.Model):
    """An emailed, signed, expiring invitation to join an organisation with a role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations", db_index=False)
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    workspaces = models.ManyToManyField(Workspace, through="InvitationGrant", blank=True, related_name="+")
    # The link carries a signed form of this key; the key alone is useless without the secret.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_status_display(self) -> str:
        return {
            "accepted": _("Accepted"),
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "pending": _("Pending"),
        }[self.status]


class InvitationGrant(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "invitation", "workspace"], name="invitation_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} → {self.workspace_id}"


class AuditEvent(models.Model):
    """A security-relevant action, visible to the organisation's owners and admins.

    Events about a person (login, failed login) are written once into each organisation they
    belong to, so every tenant's log is complete on its own. A failed login for an unknown email
    has no organisation and is visible to platform admins only (Django admin).
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        ORGANIZATION_CREATED = "organization_created", _("Organisation created")
        SETTINGS_CHANGED = "settings_changed", _("Settings changed")
        WORKSPACE_CREATED = "workspace_created", _("Workspace created")
        WORKSPACE_RENAMED = "workspace_renamed", _("Workspace renamed")
        WORKSPACE_DELETED = "workspace_deleted", _("Workspace deleted")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        GRANTS_CHANGED = "grants_changed", _("Workspace access changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        OWNERSHIP_TRANSFERRED = "ownership_transferred", _("Ownership transferred")
        MFA_ENABLED = "mfa_enabled", _("Two-factor authentication enabled")
        MFA_DISABLED = "mfa_disabled", _("Two-factor authentication disabled")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        ACCOUNT_CONNECTED = "account_connected", _("Social account connected")
        ACCOUNT_DISCONNECTED = "account_disconnected", _("Social account disconnected")
        ACCOUNT_DELETED = "account_deleted", _("Social account deleted")
        COMMENT_HIDDEN = "comment_hidden", _("Comment hidden")
        COMMENT_UNHIDDEN = "comment_unhidden", _("Comment shown again")
        COMMENT_DELETED = "comment_deleted", _("Comment deleted")
        PERSON_DATA_EXPORTED = "person_data_exported", _("A person's data exported")
        PERSON_DATA_ERASED = "person_data_erased", _("A person's data erased")
        RETENTION_CHANGED = "retention_changed", _("Retention period changed")
        RETENTION_APPLIED = "retention_applied", _("Old messages deleted (retention)")
        WATCH_CREATED = "watch_created", _("Listening watch created")
        WATCH_CHANGED = "watch_changed", _("Listening watch changed")
        WATCH_DELETED = "watch_deleted", _("Listening watch deleted")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    target = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="audit_org_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class NotificationPreference(models.Model):
    """How a person wants to receive notifications by email (in-app ones are always recorded)."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("In a daily digest")
        OFF = "off", _("Never (in the app only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(_("email notifications"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class Notification(models.Model):
    """An in-app notification for one person in one organisation (the bell), maybe also emailed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by email, alone or in a digest; NULL while it waits.
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "user", "read_at"], name="notification_unread"),
            models.Index(fields=["organization", "user", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A person's API token (``Authorization: Token …`` or ``Bearer …``). It acts as that person:
    the organisations, workspaces and role of their memberships bound what it reads and writes
    (a client's token reads its granted workspaces only; analyst and client tokens are read-only).

    Only a SHA-256 of the token is stored: the token is 32 random bytes, so a fast hash is as safe
    as a slow one and keeps each API request at one indexed lookup. It is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The first characters, shown in the list so a person recognises a token without its secret.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… user={self.user_id}>"
