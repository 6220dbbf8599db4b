"""A working access token for an account, refreshed when needed, and the provider built on it.

X access tokens live 2 hours and X refresh tokens ROTATE (a used one is invalid afterwards): two
concurrent refreshes would lock the account out, so a refresh happens under a row lock on the
account and re-reads the token after taking it (the other worker may have refreshed already).
Meta Page tokens do not expire; a revoked one surfaces as AuthExpired on the next call.
"""

import datetime as dt

from django.db import transaction

from networks.models import AccountToken, Network, SocialAccount
from networks.providers import registry
from networks.providers.base import Provider
from networks.providers.errors import AuthExpired
from networks.providers.x import oauth as x_oauth
from networks.services.accounts import account_mark_needs_reauth
from networks.vault import token_read, token_store

# Refresh this long BEFORE expiry, so a sync started near the end of a token's life finishes on it.
REFRESH_MARGIN = dt.timedelta(minutes=10)


def _refresh_x(account: SocialAccount) -> str:
    with transaction.atomic():
        # Lock the refresh token's row: only one worker may spend it (a used one is dead); the
        # others wait here, then find the access token the first one stored.
        AccountToken.objects.select_for_update().filter(
            organization=account.organization_id, account=account, kind=AccountToken.Kind.REFRESH
        ).first()
        access = token_read(account=account, kind=AccountToken.Kind.ACCESS)
        if access is not None and not access.expired(margin=REFRESH_MARGIN):
            return access.value  # refreshed by someone else while we waited for the lock
        refresh = token_read(account=account, kind=AccountToken.Kind.REFRESH)
        if refresh is None:
            raise AuthExpired("X access token expired and no refresh token is stored")
        tokens = x_oauth.refresh(refresh_token=refresh.value)
        token_store(
            account=account,
            kind=AccountToken.Kind.ACCESS,
            value=tokens.access_token,
            expires_at=tokens.expires_at,
            scopes=tokens.scope,
        )
        if tokens.refresh_token:
            token_store(account=account, kind=AccountToken.Kind.REFRESH, value=tokens.refresh_token)
        return tokens.access_token


def account_access_token(*, account: SocialAccount) -> str:
    """The account's access token, refreshed first if it expires within 10 minutes. Raises
    AuthExpired (and marks the account for reconnecting) when there is none or it cannot be renewed."""
    try:
        access = token_read(account=account, kind=AccountToken.Kind.ACCESS)
        if account.network == Network.X and (access is None or access.expired(margin=REFRESH_MARGIN)):
            return _refresh_x(account)
        if access is None:
            raise AuthExpired("no access token stored (disconnected)")
        return access.value
    except AuthExpired as error:
        if account.status == SocialAccount.Status.ACTIVE:
            account_mark_needs_reauth(account=account, error=error.message)
        raise


def account_provider(*, account: SocialAccount) -> Provider:
    return registry.provider_for(
        network=account.network, external_id=account.external_id, access_token=account_access_token(account=account)
    )
