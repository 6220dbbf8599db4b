"""X OAuth 2.0 Authorization Code with PKCE, and token refresh.
https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code

The authorization URL and the two token requests are built here on our HTTP boundary rather than
with tweepy's OAuth2UserHandler / requests-oauthlib: those hard-code X's hosts and oauthlib refuses
plain-http token URLs unless a process-wide OAUTHLIB_INSECURE_TRANSPORT switch is set, which the
local simulator would need. The flow itself is three standard requests.
"""

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from django.conf import settings

from networks.http import x_session
from networks.providers.errors import AuthExpired, Transient, from_requests

# Asked once, for every later feature (inbox replies, DMs), so no account has to reconnect.
SCOPES = (
    "tweet.read",
    "users.read",
    "follows.read",
    "like.read",
    "offline.access",
    "tweet.write",
    "dm.read",
    "dm.write",
)


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False, default="")
    expires_at: dt.datetime | None = None
    scope: str = ""


def new_code_verifier() -> str:
    """RFC 7636 §4.1: 43 to 128 characters from the unreserved set (token_urlsafe's alphabet)."""
    return secrets.token_urlsafe(96)[:128]


def code_challenge(verifier: str) -> str:
    """RFC 7636 §4.2, S256: BASE64URL(SHA256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def authorization_url(*, state: str, verifier: str, redirect_uri: str) -> str:
    params = {
        "response_type": "code",
        "client_id": settings.X_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": " ".join(SCOPES),
        "state": state,
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{settings.X_AUTHORIZE_URL}?{urlencode(params)}"


def _token_request(data: dict) -> TokenSet:
    session = x_session()
    try:
        response = session.post(
            settings.X_TOKEN_URL,
            data={**data, "client_id": settings.X_CLIENT_ID},
            # Confidential client: HTTP Basic with the client id and secret.
            auth=(settings.X_CLIENT_ID, settings.X_CLIENT_SECRET) if settings.X_CLIENT_SECRET else None,
        )
    except requests.RequestException as error:
        raise from_requests(error) from error
    try:
        body = response.json()
    except ValueError as error:
        raise Transient(f"X token endpoint answered {response.status_code} without JSON") from error
    if response.status_code >= 500:
        raise Transient(f"X token endpoint error {response.status_code}")
    if response.status_code != 200 or "access_token" not in body:
        # invalid_request / invalid_grant: the code or refresh token is used, expired or revoked.
        raise AuthExpired(f"X refused the grant: {body.get('error', response.status_code)}")
    expires_in = body.get("expires_in")
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token", ""),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=int(expires_in)) if expires_in else None,
        scope=body.get("scope", ""),
    )


def exchange_code(*, code: str, verifier: str, redirect_uri: str) -> TokenSet:
    return _token_request(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier}
    )


def refresh(*, refresh_token: str) -> TokenSet:
    """Refresh tokens ROTATE: the one passed here is invalid afterwards, so the caller must store
    the new pair before anything else can use the old one (networks/services/tokens.py locks)."""
    return _token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
