"""What people write, from the apps that store it: a registry like the spike series' one.

The inbox registers its received messages, listening its hits; analytics reads them only through
the registered callables (dependencies point one way) to draw the "What people say" page:
sentiment over time, negative share, topics with example messages, the most negative messages.

``rows(organization, workspace, start, end, limit)`` returns the newest ``limit`` rows written
between the local dates ``start`` and ``end`` (inclusive), newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TextRow:
    day: dt.date  # local date (organisation's time zone)
    text: str
    sentiment: str | None  # "negative" | "neutral" | "positive", None when not analysed
    score: float | None  # -1..1 when the analyser gave one
    author: str = ""
    url: str = ""  # where the CM opens it (the thread in the inbox, the post on the network)


@dataclass(frozen=True)
class TextSource:
    key: str  # "inbox.messages", "listening.hits"
    label: str  # gettext_lazy label
    rows: Callable[..., list[TextRow]]


_SOURCES: dict[str, TextSource] = {}


def register_text_source(source: TextSource) -> None:
    _SOURCES[source.key] = source


def unregister_text_source(key: str) -> None:
    _SOURCES.pop(key, None)


def text_sources() -> list[TextSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def text_source(key: str) -> TextSource | None:
    return _SOURCES.get(key)


# What people wrote about one object (an account, a post), for the sentiment on its own page.
# ``rows(organization, object_id, start, end, limit)`` returns the newest ``limit`` rows about that
# object written between the local dates ``start`` and ``end`` (inclusive), newest first; a row's
# ``url`` is the thread it belongs to (the most negative threads are grouped by it).
SCOPES = ("account", "post")


@dataclass(frozen=True)
class ScopedTextSource:
    key: str  # "inbox.account", "inbox.post"
    scope: str  # one of SCOPES
    label: str
    rows: Callable[..., list[TextRow]]


_SCOPED: dict[str, ScopedTextSource] = {}


def register_scoped_text_source(source: ScopedTextSource) -> None:
    if source.scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {source.scope!r}")
    _SCOPED[source.key] = source


def unregister_scoped_text_source(key: str) -> None:
    _SCOPED.pop(key, None)


def scoped_text_sources(scope: str) -> list[ScopedTextSource]:
    return sorted((s for s in _SCOPED.values() if s.scope == scope), key=lambda s: s.key)


def rows_of(sources, organization, about, start: dt.date, end: dt.date, *, limit: int) -> tuple[list[TextRow], bool]:
    """Every source's rows about one object (a workspace, an account, a post), at most ``limit``
    each, and whether a source had more (the figures are then on the newest rows)."""
    rows: list[TextRow] = []
    truncated = False
    for source in sources:
        found = list(source.rows(organization, about, start, end, limit))
        truncated |= len(found) >= limit
        rows.extend(found)
    return rows, truncated
