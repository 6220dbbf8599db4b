"""Verifying what Meta sends us, in constant time, with the app secret.

* Webhook deliveries carry ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``,
  computed over the exact bytes received (re-serialising the JSON would change them).
  https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
* The deauthorisation and data-deletion callbacks POST a ``signed_request``:
  ``base64url(signature).base64url(JSON payload)``, the signature being HMAC-SHA256 of the
  encoded payload (as sent, ASCII) keyed with the app secret; the payload names its algorithm.
  https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token/#signed-request
  https://developers.facebook.com/docs/development/create-an-app/app-dashboard/data-deletion-callback
"""

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import time

SIGNATURE_PREFIX = "sha256="
SIGNED_REQUEST_ALGORITHM = "HMAC-SHA256"
# Meta calls the deauthorisation and deletion callbacks when the person acts; a signed_request
# older than this is a replay (it would otherwise stay valid forever), and one from the future
# beyond clock skew is forged or broken.
SIGNED_REQUEST_MAX_AGE = dt.timedelta(days=1)
CLOCK_SKEW = dt.timedelta(minutes=5)


class InvalidSignedRequestError(ValueError):
    """A signed_request that is malformed, signed with another key or another algorithm."""


def body_signature(body: bytes, secret: str) -> str:
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid_body_signature(body: bytes, header: str | None, secret: str) -> bool:
    """Whether ``header`` is the app secret's signature of these exact bytes. An empty secret
    never validates: an unconfigured app must not accept unsigned events."""
    if not secret or not header:
        return False
    # Meta sends lower-case hex; compare_digest runs in time independent of where bytes differ.
    return hmac.compare_digest(body_signature(body, secret).encode(), header.strip().lower().encode())


def _b64url_decode(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidSignedRequestError("not base64url") from error


def signed_request_encode(payload: dict, secret: str) -> str:
    """The signed_request Meta would send for ``payload`` (tests and docs examples)."""
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    signature = hmac.new(secret.encode(), encoded.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode() + "." + encoded


def signed_request_decode(signed_request: str, secret: str, *, now: float | None = None) -> dict:
    """The verified, fresh payload of a signed_request, or InvalidSignedRequestError. ``now``:
    epoch seconds (tests)."""
    if not secret:
        raise InvalidSignedRequestError("META_APP_SECRET is not configured")
    encoded_signature, _, encoded_payload = (signed_request or "").strip().partition(".")
    if not encoded_signature or not encoded_payload:
        raise InvalidSignedRequestError("expected signature.payload")
    signature = _b64url_decode(encoded_signature)
    try:
        payload = json.loads(_b64url_decode(encoded_payload))
    except ValueError as error:
        raise InvalidSignedRequestError("payload is not JSON") from error
    if not isinstance(payload, dict):
        raise InvalidSignedRequestError("payload is not an object")
    # Checked before the signature, as Meta's own example does: a payload naming another algorithm
    # was not made for this verification.
    if str(payload.get("algorithm", "")).upper() != SIGNED_REQUEST_ALGORITHM:
        raise InvalidSignedRequestError("unexpected algorithm")
    expected = hmac.new(secret.encode(), encoded_payload.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise InvalidSignedRequestError("bad signature")
    issued_at = payload.get("issued_at")
    if not isinstance(issued_at, int) or isinstance(issued_at, bool):
        raise InvalidSignedRequestError("no issued_at")
    age = (time.time() if now is None else now) - issued_at
    if age > SIGNED_REQUEST_MAX_AGE.total_seconds() or age < -CLOCK_SKEW.total_seconds():
        raise InvalidSignedRequestError("stale or future issued_at (a replay?)")
    return payload
