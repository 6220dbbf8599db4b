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
