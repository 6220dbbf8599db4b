"""Errors classified once, here, with their fate (STYLE.md rule 15; DESIGN.md "Talking to the
networks"):

* ``RateLimited`` — wait until ``reset_at`` (what the API announced), then retry;
* ``AuthExpired`` — the token is expired or revoked: the account needs reconnecting;
* ``Transient`` — 5xx, timeouts, connection errors, malformed JSON: retry with backoff and jitter;
* ``Permanent`` — the request itself is wrong (invalid metric, missing object): record and stop.

Providers translate library exceptions (tweepy, pyfacebook, requests) with ``from_x`` /
``from_graph`` / ``from_requests``; nothing outside ``networks/providers`` sees a library exception.
"""

import datetime as dt

import requests


class ProviderError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class RateLimited(ProviderError):  # noqa: N818 (names say the fate, as DESIGN.md does)
    def __init__(self, message: str, *, reset_at: dt.datetime | None, scope: str = "account") -> None:
        super().__init__(message, permanent=False)
        self.reset_at = reset_at
        self.scope = scope  # "app" (the whole app is throttled) or "account" (this token/object)


class AuthExpired(ProviderError):  # noqa: N818 (names say the fate, as DESIGN.md does)
    def __init__(self, message: str) -> None:
        # Permanent for this token: retrying cannot help until a person reconnects the account.
        super().__init__(message, permanent=True)


class Transient(ProviderError):  # noqa: N818 (names say the fate, as DESIGN.md does)
    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=False)


class Permanent(ProviderError):  # noqa: N818 (names say the fate, as DESIGN.md does)
    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


class Unsupported(Permanent):
    """The network has no such capability (e.g. hashtag search on Facebook Pages)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- requests (network-level failures, from any client) ----------------------------------------


def from_requests(error: requests.RequestException) -> ProviderError:
    # Timeouts and connection errors say nothing about the request itself: try again later.
    if isinstance(error, requests.JSONDecodeError | ValueError):
        return Transient(f"malformed response: {type(error).__name__}")
    if isinstance(error, requests.Timeout | requests.ConnectionError):
        return Transient(f"network error: {type(error).__name__}")
    return Transient(f"HTTP error: {type(error).__name__}")


# --- X (tweepy) --------------------------------------------------------------------------------


def from_x(error: Exception) -> ProviderError:
    """Classify a tweepy exception (or a requests one raised through tweepy)."""
    import tweepy

    if isinstance(error, tweepy.TooManyRequests):
        # X announces the end of the 15-minute window in x-rate-limit-reset (epoch seconds).
        # https://docs.x.com/x-api/fundamentals/rate-limits
        reset = error.response.headers.get("x-rate-limit-reset") if error.response is not None else None
        reset_at = dt.datetime.fromtimestamp(int(reset), tz=dt.UTC) if reset and reset.isdigit() else None
        return RateLimited("X rate limit reached", reset_at=reset_at or _utc_now() + dt.timedelta(minutes=15))
    if isinstance(error, tweepy.Unauthorized):
        # 401: the OAuth 2.0 user token expired (2 h) or was revoked; a refresh may fix the former.
        return AuthExpired("X refused the token (401)")
    if isinstance(error, tweepy.TwitterServerError):
        return Transient(f"X server error ({error.response.status_code})")
    if isinstance(error, tweepy.Forbidden | tweepy.NotFound | tweepy.BadRequest):
        # 400/403/404 describe the request (bad parameter, protected or missing user, plan limit).
        return Permanent(f"X refused the request ({error.response.status_code}): {'; '.join(error.api_messages)}")
    if isinstance(error, tweepy.HTTPException):
        return Transient(f"X HTTP error ({error.response.status_code})")
    if isinstance(error, requests.RequestException | ValueError):
        return from_requests(error) if isinstance(error, requests.RequestException) else Transient("malformed JSON")
    return Transient(f"X client error: {type(error).__name__}")


# --- Graph API (pyfacebook) --------------------------------------------------------------------

# https://developers.facebook.com/docs/graph-api/guides/error-handling/
GRAPH_AUTH_CODES = {102, 190, 463, 467}  # session/token invalid or expired
GRAPH_AUTH_SUBCODES = {458, 459, 460, 463, 464, 467, 492}
# Throttling: 4 app, 17 user, 32 page, 613 custom, 80001 Pages BUC, 80002 Instagram BUC (and other
# 8000x business-use-case codes). https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
GRAPH_APP_THROTTLE_CODES = {4}
GRAPH_ACCOUNT_THROTTLE_CODES = {17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014}
GRAPH_TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable"


def graph_error(payload: dict, *, status: int | None = None, usage=None) -> ProviderError:
    """Classify a Graph API error body ``{"error": {"message", "code", "error_subcode", ...}}``.
    ``usage`` (networks.http.Usage) gives the announced time to regain access when throttled."""
    error = payload.get("error") if isinstance(payload.get("error"), dict) else payload
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = f"Graph API error {code}: {error.get('message', '')}"[:500]
    if code in GRAPH_APP_THROTTLE_CODES or code in GRAPH_ACCOUNT_THROTTLE_CODES:
        scope = "app" if code in GRAPH_APP_THROTTLE_CODES else "account"
        return RateLimited(message, reset_at=_graph_reset_at(usage), scope=scope)
    if code in GRAPH_AUTH_CODES or subcode in GRAPH_AUTH_SUBCODES:
        return AuthExpired(message)
    if error.get("is_transient") or code in GRAPH_TRANSIENT_CODES or (status is not None and status >= 500):
        return Transient(message)
    # Everything else (100 invalid parameter or metric, 10 permission, 200 permissions, 803 alias…)
    # describes the request: retrying the same call gives the same answer.
    return Permanent(message)


def _graph_reset_at(usage) -> dt.datetime:
    """The end of a Graph throttle: the largest ``estimated_time_to_regain_access`` (minutes) in the
    business-use-case header, else one hour (Meta's rolling window)."""
    minutes = 0.0
    for items in ((usage.business_usage if usage else None) or {}).values():
        for item in items if isinstance(items, list) else []:
            value = item.get("estimated_time_to_regain_access")
            if isinstance(value, int | float | str) and str(value).replace(".", "", 1).isdigit():
                minutes = max(minutes, float(value))
    return _utc_now() + (dt.timedelta(minutes=minutes) if minutes else dt.timedelta(hours=1))


def from_graph(error: Exception, *, usage=None) -> ProviderError:
    """Classify a pyfacebook exception (or a requests one raised through it)."""
    from pyfacebook import FacebookError, LibraryError

    if isinstance(error, FacebookError):
        return graph_error(getattr(error, "_data", {}) or {}, usage=usage)
    if isinstance(error, requests.RequestException):
        return from_requests(error)
    if isinstance(error, ValueError | KeyError):
        # Body not JSON (json.JSONDecodeError is a ValueError) or no Content-Type header.
        return Transient(f"malformed Graph API response: {type(error).__name__}")
    if isinstance(error, LibraryError):
        return Transient(f"Graph client error: {getattr(error, 'message', '')}")
    return Transient(f"Graph client error: {type(error).__name__}")
