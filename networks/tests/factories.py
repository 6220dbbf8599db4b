"""Factory-style helpers of the networks tests: every account is made for an explicit organisation."""

import datetime as dt

from django_scopes import scope

from accounts.models import Workspace
from networks.models import AccountToken, SocialAccount
from networks.vault import token_store


def make_account(
    workspace: Workspace,
    *,
    network: str = "x",
    external_id: str = "1100000000000000001",
    name: str = "Ville",
    handle: str = "ville",
    status: str = SocialAccount.Status.ACTIVE,
    access_token: str | None = "secret-access-token",  # noqa: S107 (a test value)
    refresh_token: str | None = None,
    expires_at: dt.datetime | None = None,
) -> SocialAccount:
    organization = workspace.organization
    with scope(organization=organization):
        account = SocialAccount.objects.create(
            organization=organization,
            workspace=workspace,
            network=network,
            external_id=external_id,
            name=name,
            handle=handle,
            status=status,
        )
        if access_token:
            token_store(account=account, kind=AccountToken.Kind.ACCESS, value=access_token, expires_at=expires_at)
        if refresh_token:
            token_store(account=account, kind=AccountToken.Kind.REFRESH, value=refresh_token)
    return account
