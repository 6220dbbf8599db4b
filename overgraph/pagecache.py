"""Whole pages kept in a cache and served to several people: what belongs to one reader is never
stored (docs/performance.md "Load").

A view rendering a page to store it sets ``request.render_for_cache``: :func:`csrf_context` (the
last context processor) then gives the template :func:`csrf_hole` instead of the reader's CSRF
token, and :func:`fill` puts each reader's own token in its place whenever the page is served.
Messages are shown once: a page with messages to show is never served from, nor stored in, a
cache (:func:`has_messages`). A page with a CSP nonce must not be cached (none of the cached
pages has one: their scripts are files).
"""

import functools
import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token


@functools.cache
def csrf_hole() -> str:
    """What a stored page holds where a CSRF token goes. Derived from the secret key: no text a
    page shows can contain it by chance or design."""
    mac = hmac.new(settings.SECRET_KEY.encode(), b"overgraph page cache csrf hole", hashlib.sha256)
    return f"og-csrf-hole-{mac.hexdigest()[:32]}"


def csrf_context(request: HttpRequest) -> dict:
    """Context processor, after Django's CSRF one: the hole while a page is rendered to be stored."""
    return {"csrf_token": csrf_hole()} if getattr(request, "render_for_cache", False) else {}


def fill(html: str, request: HttpRequest) -> str:
    """A stored page with this reader's CSRF token (masked anew, as Django renders it)."""
    hole = csrf_hole()
    return html.replace(hole, str(get_token(request))) if hole in html else html


def has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0
