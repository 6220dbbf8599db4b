"""Statistics served from the cache, as fresh as the facts (docs/performance.md "Load").

Every write of an organisation's facts — posts, their counters and snapshots, daily account rows,
themes and post labels (``analytics.services.ingest`` and ``analytics.services.themes``, which
the sync engine, webhooks, X compliance deletions and the pages' labelling all go through) —
calls :func:`facts_changed`, which gives the organisation a new *facts version* once the
transaction commits. Cached query results and rendered fragments are keyed by that version, so
the first request after a sync computes the new numbers and every later one reads them.

A key holds, besides the version, everything else the value was computed from, as this request
reads it: the organisation, the rows of the accounts the value covers (id, network, workspace,
name, handle, status, last sync — so moving, renaming, disconnecting or deleting an account gives
a new key without any invalidation), the member's visible workspaces (a client granted one
workspace never shares a key with a manager or with another client), the period, filters and
parameters, the time zone and the language. :func:`digest` hashes them; two organisations never
share a key (the organisation's id starts it).

Keys also carry :func:`release`, a digest of the code, templates and translations that compute
and render the values: a deployment starts with new keys, so new code never unpickles an old
result nor serves an old fragment.

The version is a random token, not a counter: if the cache loses it (eviction, a Redis restart),
the next token matches none of the entries computed before. Entries expire after
``FACTS_CACHE_SECONDS`` (0 turns the cache off), which also bounds what a version change lost
while the cache was unreachable can leave behind. An unreachable cache never fails a page or a
sync: the page computes its numbers, the write logs it.
"""

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from accounts.models import Membership
from accounts.roles import sees_every_workspace

logger = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "og:facts"


def enabled() -> bool:
    return settings.FACTS_CACHE_SECONDS > 0


def _version_key(organization_id: int) -> str:
    return f"{PREFIX}:{organization_id}:version"


def _new_version() -> str:
    return secrets.token_hex(8)


def facts_version(organization_id: int) -> str | None:
    """The organisation's current facts version; None when the cache is off or unreachable (the
    caller then computes without caching)."""
    if not enabled():
        return None
    key = _version_key(organization_id)
    try:
        version = cache.get(key)
        if version is None:
            # The first reader sets it; readers racing it all read the one that won.
            cache.add(key, _new_version(), timeout=None)
            version = cache.get(key)
    except Exception:  # a cache outage must not fail a page: compute instead
        logger.warning("facts cache unreachable: serving uncached statistics", exc_info=True)
        return None
    return version


def facts_changed(organization_id: int) -> None:
    """The organisation's facts changed: from the commit on, cached statistics are recomputed.

    Called inside the writing transaction: the version changes once it commits (a request
    reading between the write and the commit would otherwise cache the old numbers under the new
    version). Outside a transaction it changes at once."""

    def bump() -> None:
        try:
            cache.set(_version_key(organization_id), _new_version(), timeout=None)
        except Exception:  # the facts are written; the entries expire (FACTS_CACHE_SECONDS)
            logger.exception("facts cache unreachable: organisation %s's entries expire on their own", organization_id)

    if enabled():
        transaction.on_commit(bump)


def digest(parts: Iterable[Any]) -> str:
    """A short, stable hash of the values a cached entry depends on (their ``repr``: ints, strings,
    dates, tuples and frozen dataclasses, whose repr is deterministic)."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()


@functools.cache
def release() -> str:
    """A digest of what computes and renders cached values (analytics' code, its templates, the
    compiled translations), read once per process."""
    root = Path(settings.BASE_DIR)
    patterns = ("analytics/**/*.py", "templates/analytics/*.html", "templates/networks/*.html", "locale/*/*/*.mo")
    files = sorted({path for pattern in patterns for path in root.glob(pattern)})
    content = hashlib.blake2b(digest_size=8)
    for path in files:
        content.update(str(path.relative_to(root)).encode())
        content.update(path.read_bytes())
    return content.hexdigest()


def entry_key(organization_id: int, version: str, parts: Iterable[Any]) -> str:
    return f"{PREFIX}:{organization_id}:{version}:{release()}:{digest(parts)}"


def visible_scope(membership: Membership, shared: dict | None = None) -> tuple:
    """What the member may see, as a key part: every workspace for the roles that see them all
    (the accounts in the key then say which), else the granted workspaces' ids (one small
    statement, once per request through ``shared``)."""
    if sees_every_workspace(membership.role):
        return ("every",)
    key = ("visible_scope", membership.pk)
    if shared is not None and key in shared:
        return shared[key]
    from accounts.models import WorkspaceGrant

    granted = tuple(
        sorted(
            WorkspaceGrant.objects.filter(
                organization_id=membership.organization_id, membership_id=membership.pk
            ).values_list("workspace_id", flat=True)
        )
    )
    scope = ("granted", *granted)
    if shared is not None:
        shared[key] = scope
    return scope


def cached(organization_id: int, parts: Iterable[Any], compute: Callable[[], T], *, version: str | None = None) -> T:
    """``compute()``, served from the cache while the organisation's facts and ``parts`` are the
    same (``version``: the facts version when the caller already read it)."""
    version = version or facts_version(organization_id)
    if version is None:
        return compute()
    key = entry_key(organization_id, version, parts)
    try:
        hit = cache.get(key)
    except Exception:  # a cache outage must not fail a page
        logger.warning("facts cache unreachable: serving uncached statistics", exc_info=True)
        return compute()
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value, timeout=settings.FACTS_CACHE_SECONDS)
    except Exception:  # the value is computed: serve it uncached
        logger.warning("facts cache unreachable: not stored", exc_info=True)
    return value
