"""Statistics served from the cache, as fresh as the facts (docs/performance.md "Load").

Every write of an organisation's facts — posts, their counters and snapshots, daily account rows,
themes and post labels (``analytics.services.ingest`` and ``analytics.services.themes``, which
the sync engine, webhooks, X compliance deletions and the pages' labelling all go through) —
calls :func:`facts_changed`, which gives the organisation a new *facts version* once the
transaction commits. Cached query results and rendered fragments are keyed by that version, so
the first request after a sync computes the new numbers and every later one reads them.

What people wrote to the organisation (the inbox's received messages, which the account and post
pages' sentiment reads) is not a fact: it has its own *texts version*, changed the same way by
:func:`texts_changed` from every write of those rows — the inbox's ingest (the sync engine,
webhooks, the demo's sync), the text analysis, moderation, the admin, erasure requests and the
retention purge (``inbox/services``, ``inbox/admin.py``, ``inbox/privacy.py``). A value computed
from texts is keyed by the texts version, and only when every text source it reads promised to
follow it (:func:`texts_follow`). Deleting an account or an organisation cascades to its messages
without a change of version (``accounts`` and ``networks`` cannot call analytics): the pages that
showed them are gone with them, and ids are never reused. Deleting a workspace deletes the
threads it still holds of an account since reconnected into another workspace: that account's
sentiment shows it at the next change of its texts, or when its entries expire.

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


# The kinds of version an organisation has: its facts (what the networks report about its
# accounts and posts) and its texts (what people wrote to it: the inbox's received messages).
FACTS = "facts"
TEXTS = "texts"
KINDS = (FACTS, TEXTS)


def _version_key(organization_id: int, kind: str = FACTS) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    # The facts version keeps the key it had before there were kinds (no cold start on deploy).
    suffix = "version" if kind == FACTS else f"version:{kind}"
    return f"{PREFIX}:{organization_id}:{suffix}"


def _new_version() -> str:
    return secrets.token_hex(8)


def current_version(organization_id: int, kind: str = FACTS) -> str | None:
    """The organisation's current version of ``kind``; None when the cache is off or unreachable
    (the caller then computes without caching)."""
    if not enabled():
        return None
    key = _version_key(organization_id, kind)
    try:
        current = cache.get(key)
        if current is None:
            # The first reader sets it; readers racing it all read the one that won.
            cache.add(key, _new_version(), timeout=None)
            current = cache.get(key)
    except Exception:  # a cache outage must not fail a page: compute instead
        logger.warning("facts cache unreachable: serving uncached %s", kind, exc_info=True)
        return None
    return current


def version_changed(organization_id: int, kind: str = FACTS) -> None:
    """The organisation's ``kind`` changed: from the commit on, what was cached under its version
    is recomputed.

    Called inside the writing transaction: the version changes once it commits (a request
    reading between the write and the commit would otherwise cache the old values under the new
    version). Outside a transaction it changes at once."""
    key = _version_key(organization_id, kind)

    def bump() -> None:
        try:
            cache.set(key, _new_version(), timeout=None)
        except Exception:  # the rows are written; the entries expire (FACTS_CACHE_SECONDS)
            logger.exception(
                "facts cache unreachable: organisation %s's %s entries expire on their own", organization_id, kind
            )

    if enabled():
        transaction.on_commit(bump)


def facts_version(organization_id: int) -> str | None:
    """The organisation's current facts version (see :func:`current_version`)."""
    return current_version(organization_id, FACTS)


def facts_changed(organization_id: int) -> None:
    """The organisation's facts changed: from the commit on, cached statistics are recomputed."""
    version_changed(organization_id, FACTS)


def texts_version(organization_id: int) -> str | None:
    """The organisation's current texts version: what people wrote to it (see :func:`current_version`)."""
    return current_version(organization_id, TEXTS)


def texts_changed(organization_id: int) -> None:
    """What people wrote to the organisation changed (a message received, analysed, edited,
    hidden or deleted; an erasure; the retention purge): from the commit on, what was computed
    from it is recomputed."""
    version_changed(organization_id, TEXTS)


# The text sources (analytics/text/sources.py) whose every writer calls :func:`texts_changed`,
# by key: what is computed from them alone may be cached under the texts version. A source
# registered without that promise (a test's fake, a new app's) is always read live.
_TEXTS_FOLLOWED: set[str] = set()


def texts_follow(*keys: str) -> None:
    """Declare that every write of these text sources' rows calls :func:`texts_changed`."""
    _TEXTS_FOLLOWED.update(keys)


def texts_followed(keys: Iterable[str]) -> bool:
    return all(key in _TEXTS_FOLLOWED for key in keys)


def digest(parts: Iterable[Any]) -> str:
    """A short, stable hash of the values a cached entry depends on (their ``repr``: ints, strings,
    dates, tuples and frozen dataclasses, whose repr is deterministic)."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=16).hexdigest()


@functools.cache
def release() -> str:
    """A digest of what computes and renders cached values (analytics' code, the inbox's text
    source, their templates, the compiled translations), read once per process."""
    root = Path(settings.BASE_DIR)
    # inbox/texts.py: the rows behind the cached sentiment (its query, its links to the threads).
    patterns = (
        "analytics/**/*.py",
        "inbox/texts.py",
        "templates/analytics/*.html",
        "templates/networks/*.html",
        "locale/*/*/*.mo",
    )
    files = sorted({path for pattern in patterns for path in root.glob(pattern)})
    content = hashlib.blake2b(digest_size=8)
    for path in files:
        content.update(str(path.relative_to(root)).encode())
        content.update(path.read_bytes())
    return content.hexdigest()


@functools.cache
def page_release() -> str:
    """:func:`release` and what else a whole page is made of (analytics.views.base.page_key): every
    template (the header, the other apps' includes), the code that renders the frame (accounts'
    context processors, overgraph's) and the static files' manifest (the hashed asset names)."""
    root = Path(settings.BASE_DIR)
    content = hashlib.blake2b(release().encode(), digest_size=8)
    files = sorted({*root.glob("templates/**/*.html"), *root.glob("accounts/*.py"), *root.glob("overgraph/*.py")})
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        files.append(manifest)
    for path in files:
        content.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
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


def cached(
    organization_id: int,
    parts: Iterable[Any],
    compute: Callable[[], T],
    *,
    version: str | None = None,
    kind: str = FACTS,
) -> T:
    """``compute()``, served from the cache while the organisation's ``kind`` (its facts, or its
    texts) and ``parts`` are the same (``version``: that version when the caller already read it)."""
    version = version or current_version(organization_id, kind)
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
