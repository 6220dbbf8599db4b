"""Facebook Login for Business: code → user token → long-lived user token → managed Pages (with
their never-expiring Page tokens and linked Instagram professional accounts).
https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from django.conf import settings
from pyfacebook import GraphAPI

from networks.http import graph_session
from networks.providers.errors import Transient, from_requests, graph_error
from networks.providers.graph import graph_call, graph_client, next_cursor

# Asked once, for every later feature (inbox, moderation, DMs), so no account has to reconnect.
SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "read_insights",
    "pages_manage_metadata",
    "pages_manage_engagement",
    "pages_messaging",
    "instagram_basic",
    "instagram_manage_insights",
    "instagram_manage_comments",
    "instagram_manage_messages",
)
ACCOUNTS_FIELDS = "id,name,access_token,category,tasks,instagram_business_account{id,username}"


@dataclass(frozen=True)
class UserToken:
    access_token: str = field(repr=False)
    expires_at: dt.datetime | None = None


@dataclass(frozen=True)
class ManagedPage:
    """A Page the person manages, with its Page token and its linked Instagram account, if any."""

    id: str
    name: str
    access_token: str = field(repr=False)
    category: str = ""
    tasks: tuple[str, ...] = ()
    instagram_id: str = ""
    instagram_username: str = ""


def dialog_url(*, state: str, redirect_uri: str) -> str:
    params = {
        "client_id": settings.META_APP_ID,
        "redirect_uri": redirect_uri,
        "state": state,
        "scope": ",".join(SCOPES),
        "response_type": "code",
    }
    return f"{settings.FACEBOOK_DIALOG_URL}/{settings.GRAPH_API_VERSION}/dialog/oauth?{urlencode(params)}"


def _expiry(body: dict) -> dt.datetime | None:
    expires_in = body.get("expires_in")
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=int(expires_in)) if expires_in else None


def exchange_code(*, code: str, redirect_uri: str) -> UserToken:
    """The short-lived user token. A plain GET on our boundary: pyfacebook's own exchange goes
    through requests-oauthlib, which refuses plain-http hosts such as the local simulator."""
    session = graph_session()
    url = f"{settings.GRAPH_API_BASE_URL}{settings.GRAPH_API_VERSION}/oauth/access_token"
    params = {
        "client_id": settings.META_APP_ID,
        "redirect_uri": redirect_uri,
        "client_secret": settings.META_APP_SECRET,
        "code": code,
    }
    try:
        response = session.get(url, params=params)
        body = response.json()
    except requests.RequestException as error:
        raise from_requests(error) from error
    except ValueError as error:
        raise Transient("Graph token endpoint answered without JSON") from error
    if "error" in body or "access_token" not in body:
        raise graph_error(body, status=response.status_code, usage=session.last_usage)
    return UserToken(access_token=body["access_token"], expires_at=_expiry(body))


def long_lived(*, token: UserToken) -> UserToken:
    """Short-lived (hours) → long-lived user token (~60 days); its Page tokens never expire."""
    api = graph_client(GraphAPI, token.access_token)
    api.access_token_url = f"{settings.GRAPH_API_BASE_URL}{settings.GRAPH_API_VERSION}/oauth/access_token"
    body = graph_call(api, api.exchange_long_lived_user_access_token, token.access_token)
    return UserToken(access_token=body["access_token"], expires_at=_expiry(body))


def user_id(*, token: UserToken) -> str:
    """The app-scoped id of the person who logged in: Meta's deauthorisation and data-deletion
    callbacks name them by it (networks/webhooks/)."""
    api = graph_client(GraphAPI, token.access_token)
    return str(graph_call(api, api.get_object, "me", fields="id")["id"])


def managed_pages(*, token: UserToken, limit: int = 100) -> list[ManagedPage]:
    api = graph_client(GraphAPI, token.access_token)
    pages: list[ManagedPage] = []
    params: dict = {"fields": ACCOUNTS_FIELDS, "limit": limit}
    while True:
        body = graph_call(api, api.get_connection, "me", "accounts", **params)
        for item in body.get("data") or []:
            instagram = item.get("instagram_business_account") or {}
            pages.append(
                ManagedPage(
                    id=str(item["id"]),
                    name=item.get("name", ""),
                    access_token=item.get("access_token", ""),
                    category=item.get("category", ""),
                    tasks=tuple(item.get("tasks") or ()),
                    instagram_id=str(instagram.get("id", "")),
                    instagram_username=instagram.get("username", ""),
                )
            )
        cursor = next_cursor(body)
        if not cursor or len(pages) >= 1000:
            return pages
        params["after"] = cursor
