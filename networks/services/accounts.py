"""Connected accounts: connect (create or update with fresh tokens), mark for reconnection,
check, disconnect, delete."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Organization, Role, User, Workspace
from accounts.selectors import members_of
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from networks.models import AccountToken, SocialAccount
from networks.providers.base import Profile
from networks.providers.errors import AuthExpired, ProviderError
from networks.sync.schedules import account_sync_on_connect
from networks.vault import token_store, tokens_delete

logger = logging.getLogger(__name__)

# Who hears about an account that needs reconnecting: the roles that can reconnect it.
REAUTH_NOTIFIED_ROLES = (Role.OWNER, Role.ADMIN, Role.MANAGER)


@dataclass(frozen=True)
class NewToken:
    kind: str
    value: str
    expires_at: object = None  # datetime | None
    scopes: str = ""

    def __repr__(self) -> str:
        return f"<NewToken {self.kind} expires_at={self.expires_at}>"


@transaction.atomic
def account_connect(
    *,
    organization: Organization,
    workspace: Workspace,
    network: str,
    external_id: str,
    handle: str = "",
    name: str = "",
    picture_url: str = "",
    tokens: list[NewToken],
    connected_by: User | None,
    parent: SocialAccount | None = None,
) -> SocialAccount:
    """Create the account, or update it when it is already connected in this organisation (a
    reconnection: fresh tokens, active again, moved to ``workspace`` if another was chosen)."""
    account = (
        SocialAccount.objects.select_for_update()
        .filter(organization=organization, network=network, external_id=external_id)
        .first()
    )
    if account is None:
        account = SocialAccount(organization=organization, network=network, external_id=external_id)
    account.workspace = workspace
    account.handle = handle or account.handle
    account.name = name or account.name
    account.picture_url = picture_url or account.picture_url
    account.status = SocialAccount.Status.ACTIVE
    account.last_error = ""
    account.connected_by = connected_by
    account.connected_at = timezone.now()
    account.parent = parent
    if account.next_sync_at is None:
        account.next_sync_at = timezone.now()
    account.save()
    kinds = {token.kind for token in tokens}
    # Kinds not given this time (e.g. a refresh token X no longer issues) must not linger.
    AccountToken.objects.filter(organization=organization, account=account).exclude(kind__in=kinds).delete()
    for token in tokens:
        token_store(
            account=account, kind=token.kind, value=token.value, expires_at=token.expires_at, scopes=token.scopes
        )
    audit_record(
        organization=organization,
        action=AuditEvent.Action.ACCOUNT_CONNECTED,
        actor=connected_by,
        target=f"{account.get_network_display()} {account.display_name}",
        details={"workspace": workspace.name},
    )
    # History backfill and today's metrics, queued once this connection is committed.
    account_sync_on_connect(account=account)
    return account


@transaction.atomic
def account_mark_needs_reauth(*, account: SocialAccount, error: str) -> SocialAccount:
    """The network refused the account's token: ask the people who can reconnect it (once)."""
    locked = SocialAccount.objects.select_for_update().get(organization=account.organization_id, pk=account.pk)
    already = locked.status == SocialAccount.Status.NEEDS_REAUTH
    locked.status = SocialAccount.Status.NEEDS_REAUTH
    locked.last_error = error[:2000]
    locked.save(update_fields=["status", "last_error"])
    if not already:
        organization = locked.organization
        recipients = [m.user for m in members_of(organization).filter(role__in=REAUTH_NOTIFIED_ROLES)]
        notify(
            organization=organization,
            users=recipients,
            kind="account_needs_reauth",
            title=_("%(account)s needs reconnecting") % {"account": locked.display_name},
            body=_(
                "%(network)s no longer accepts Over-Graph's access to %(account)s, so its statistics "
                "stopped updating. Open the workspace and press Reconnect."
            )
            % {"network": locked.get_network_display(), "account": locked.display_name},
            url=reverse("workspace_home", kwargs={"org": organization.slug, "workspace_id": locked.workspace_id}),
        )
    account.status, account.last_error = locked.status, locked.last_error
    return locked


@transaction.atomic
def account_refresh_profile(*, account: SocialAccount, profile: Profile) -> SocialAccount:
    account.handle = profile.handle or account.handle
    account.name = profile.name or account.name
    account.picture_url = profile.picture_url or account.picture_url
    fields = ["handle", "name", "picture_url"]
    if account.status == SocialAccount.Status.NEEDS_REAUTH:
        # The token works again (e.g. the person fixed the app's access on the network).
        account.status = SocialAccount.Status.ACTIVE
        account.last_error = ""
        fields += ["status", "last_error"]
    account.save(update_fields=fields)
    return account


def account_check(*, account: SocialAccount) -> Profile | None:
    """One profile fetch through the account's provider. Returns the profile, or None when it
    failed (the reason is in ``account.last_error``; an expired token marks it for reconnecting)."""
    from networks.services.tokens import account_provider  # tokens imports this module

    try:
        profile = account_provider(account=account).profile()
    except AuthExpired as error:
        account_mark_needs_reauth(account=account, error=error.message)
        return None
    except ProviderError as error:
        SocialAccount.objects.filter(organization=account.organization_id, pk=account.pk).update(
            last_error=error.message[:2000]
        )
        account.last_error = error.message
        return None
    account_refresh_profile(account=account, profile=profile)
    return profile


@transaction.atomic
def account_disconnect(*, account: SocialAccount, actor: User | None = None, request=None) -> SocialAccount:
    """Forget the account's tokens; its history stays (status disabled)."""
    tokens_delete(account=account)
    account.status = SocialAccount.Status.DISABLED
    account.next_sync_at = None
    account.save(update_fields=["status", "next_sync_at"])
    audit_record(
        organization=account.organization,
        action=AuditEvent.Action.ACCOUNT_DISCONNECTED,
        actor=actor,
        target=f"{account.get_network_display()} {account.display_name}",
        request=request,
    )
    return account


@transaction.atomic
def account_delete(*, account: SocialAccount, actor: User | None = None, request=None, reason: str = "") -> None:
    """Delete the account, its tokens and every fact stored about it (foreign keys cascade)."""
    organization, target = account.organization, f"{account.get_network_display()} {account.display_name}"
    account.delete()
    audit_record(
        organization=organization,
        action=AuditEvent.Action.ACCOUNT_DELETED,
        actor=actor,
        target=target,
        details={"reason": reason} if reason else None,
        request=request,
    )
