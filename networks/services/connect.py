"""The OAuth connect flows' work: exchange the code, read who connected, create the accounts.

Network calls happen before any transaction opens (a slow network must not hold database locks);
the writes then go through ``account_connect`` atomically.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Organization, User, Workspace
from networks.models import AccountToken, Network, SocialAccount
from networks.providers.facebook import oauth as fb_oauth
from networks.providers.x import oauth as x_oauth
from networks.providers.x.provider import XProvider
from networks.services.accounts import NewToken, account_connect
from networks.webhooks.services import meta_user_grant_record


def x_connect_complete(
    *, organization: Organization, workspace: Workspace, user: User, code: str, verifier: str, redirect_uri: str
) -> SocialAccount:
    tokens = x_oauth.exchange_code(code=code, verifier=verifier, redirect_uri=redirect_uri)
    me = XProvider(external_id="me", access_token=tokens.access_token).me()
    new_tokens = [NewToken(AccountToken.Kind.ACCESS, tokens.access_token, tokens.expires_at, tokens.scope)]
    if tokens.refresh_token:
        new_tokens.append(NewToken(AccountToken.Kind.REFRESH, tokens.refresh_token))
    return account_connect(
        organization=organization,
        workspace=workspace,
        network=Network.X,
        external_id=me.external_id,
        handle=me.handle,
        name=me.name,
        picture_url=me.picture_url,
        tokens=new_tokens,
        connected_by=user,
    )


@dataclass(frozen=True)
class FacebookGrant:
    """What Facebook Login gave: the long-lived user token and the Pages it manages."""

    user_token: fb_oauth.UserToken
    pages: list[fb_oauth.ManagedPage]
    user_id: str = ""  # the Facebook user (app-scoped id) who logged in


def facebook_grant_fetch(*, code: str, redirect_uri: str) -> FacebookGrant:
    short = fb_oauth.exchange_code(code=code, redirect_uri=redirect_uri)
    long_lived = fb_oauth.long_lived(token=short)
    return FacebookGrant(
        user_token=long_lived,
        pages=fb_oauth.managed_pages(token=long_lived),
        user_id=fb_oauth.user_id(token=long_lived),
    )


@transaction.atomic
def facebook_pages_connect(
    *,
    organization: Organization,
    user: User,
    grant: FacebookGrant,
    page_workspaces: dict[str, Workspace],
    instagram_workspaces: dict[str, Workspace],
) -> list[SocialAccount]:
    """Connect the chosen Pages (page id → workspace) and linked Instagram accounts (page id →
    workspace). An Instagram account is read with its Page's token, so it keeps a copy of it and a
    link to the Page account when that Page is connected too."""
    connected: list[SocialAccount] = []
    for page in grant.pages:
        page_account = None
        page_tokens = [
            NewToken(AccountToken.Kind.ACCESS, page.access_token),  # Page tokens do not expire
            NewToken(AccountToken.Kind.USER, grant.user_token.access_token, grant.user_token.expires_at),
        ]
        if page.id in page_workspaces:
            page_account = account_connect(
                organization=organization,
                workspace=page_workspaces[page.id],
                network=Network.FACEBOOK,
                external_id=page.id,
                handle="",
                name=page.name,
                tokens=page_tokens,
                connected_by=user,
            )
            connected.append(page_account)
            _record_grant(page_account, grant)
        if page.instagram_id and page.id in instagram_workspaces:
            instagram_account = account_connect(
                organization=organization,
                workspace=instagram_workspaces[page.id],
                network=Network.INSTAGRAM,
                external_id=page.instagram_id,
                handle=page.instagram_username,
                name=page.instagram_username,
                tokens=page_tokens,
                connected_by=user,
                parent=page_account,
            )
            connected.append(instagram_account)
            _record_grant(instagram_account, grant)
    return connected


def _record_grant(account: SocialAccount, grant: FacebookGrant) -> None:
    # Meta's deauthorisation and data-deletion callbacks name only the Facebook user.
    if grant.user_id:
        meta_user_grant_record(account=account, facebook_user_id=grant.user_id)
