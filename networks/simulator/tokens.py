"""Stateless, verifiable tokens and authorization codes.

A token is ``sim-<kind>-<subject>-<expiry>-<nonce>-<signature>`` where the signature is an HMAC
of the rest under a key derived from the seed: a restarted simulator (same seed) still accepts
the demo's stored tokens. Only X refresh-token rotation needs memory (the set of used refresh
tokens): a restart forgets it, so a refresh token used before the restart works once more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass

KINDS = {"xat", "xrt", "fbu", "fbp", "xcode", "fbcode"}


@dataclass(frozen=True)
class Token:
    kind: str
    subject: str  # persona key (X, page tokens) or Facebook user id (user tokens, codes' payload)
    expiry: int  # epoch seconds of the simulator clock; 0 = never
    raw: str


class TokenVault:
    def __init__(self, seed: int) -> None:
        self._key = hashlib.sha256(f"overgraph-simulator-{seed}".encode()).digest()
        self._lock = threading.Lock()
        self._used: set[str] = set()

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()[:24]

    def mint(self, kind: str, subject: str, expiry: int = 0) -> str:
        body = f"sim-{kind}-{subject}-{expiry}-{secrets.token_hex(6)}"
        return f"{body}-{self._sign(body)}"

    def read(self, raw: str, *kinds: str) -> Token | None:
        """The token if it is genuine and of one of ``kinds`` (expiry is the caller's business)."""
        parts = raw.split("-")
        if len(parts) != 6 or parts[0] != "sim" or parts[1] not in KINDS or (kinds and parts[1] not in kinds):
            return None
        body, signature = raw.rsplit("-", 1)
        if not hmac.compare_digest(signature, self._sign(body)) or not parts[3].isdigit():
            return None
        return Token(parts[1], parts[2], int(parts[3]), raw)

    def use_once(self, raw: str) -> bool:
        """Mark a refresh token or code as used; False if it already was (X rotates refresh tokens)."""
        with self._lock:
            if raw in self._used:
                return False
            self._used.add(raw)
            return True

    def mint_code(self, kind: str, payload: dict) -> str:
        payload = {**payload, "n": secrets.token_hex(6)}  # two consents never yield the same single-use code
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{kind}.{body}.{self._sign(kind + body)}"

    def read_code(self, code: str, kind: str) -> dict | None:
        parts = code.split(".")
        if len(parts) != 3 or parts[0] != kind or not hmac.compare_digest(parts[2], self._sign(kind + parts[1])):
            return None
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        return json.loads(base64.urlsafe_b64decode(padded))
