"""The sections a report can hold, in a registry other apps plug into.

A section is a key, a title, an order and a ``build(ctx)`` returning :class:`SectionContent` (or
``None`` when it has nothing for this workspace and period: the report then says "not available"
rather than drawing an empty chart or a false 0).

Analytics' sections are registered by ``reports.builtin`` (sentiment and forecasts included).
Listening and reactivity (inbox) are *announced* here with no builder: they appear in every report
as "not available" until their app registers a builder with the same key, in its
``<app>/reports.py`` (imported at start-up by ``reports.exports.autodiscover``; listening and inbox
do)::

    from reports.sections import SectionContent, register_section

    def _listening(ctx):  # ctx: reports.sections.ReportContext
        rows = ...  # read through your own selectors, for ctx.workspace and ctx.period
        if not rows:
            return None
        return SectionContent(numbers=[...], charts=[...], tables=[...])

    register_section("listening", gettext_lazy("Listening"), _listening, order=60)
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization, Workspace
from analytics.charts import Table
from analytics.queries.params import Filters, Period
from analytics.queries.results import Delta


@dataclass(frozen=True)
class KeyNumber:
    label: str
    delta: Delta
    glossary: str = ""
    rate: bool = False  # a fraction shown as a percentage, its change in points


@dataclass
class ReportChart:
    """A Plotly figure (dict) and the table that says the same in words. ``image`` (a data: URI
    of the PNG) is filled in when the report is rendered."""

    slug: str
    title: str
    figure: dict | None
    table: Table | None = None
    note: str = ""
    image: str = ""
    width: int = 900
    height: int = 380


@dataclass(frozen=True)
class PostCard:
    published_at: dt.datetime
    network: str
    text: str
    permalink: str
    image: str  # data: URI of the thumbnail fetched when the report was built, or ""
    engagements: Any
    engagement_rate: Any
    views: Any


@dataclass
class SectionContent:
    numbers: list[KeyNumber] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)
    posts: list[PostCard] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)
    # One sub-page per item (the per-network pages): (title, content).
    pages: list[tuple[str, "SectionContent"]] = field(default_factory=list)


@dataclass
class ReportContext:
    """What a section builder is given: the organisation, the workspace, the period, and a
    membership to run analytics queries as (the report's author, or an owner for schedules)."""

    organization: Organization
    workspace: Workspace
    membership: Membership
    period: Period
    comparison: str  # "previous" or "none"
    language: str
    shared: dict = field(default_factory=dict)  # one dict per report, passed to every query
    cache: dict = field(default_factory=dict)  # results several sections read (the overview)

    @property
    def compare(self) -> bool:
        return self.comparison != "none"

    def query_args(self, **filters) -> dict:
        return {
            "membership": self.membership,
            "period": self.period,
            "filters": Filters(workspace_id=self.workspace.pk, **filters),
            "shared": self.shared,
        }


Builder = Callable[[ReportContext], SectionContent | None]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    order: int
    build: Builder | None  # None: announced, provided by an app that is not there yet
    default: bool = True  # ticked in a new template
    always_last: bool = False


_SECTIONS: dict[str, Section] = {}


def register_section(
    key: str, title: str | Promise, build: Builder | None, *, order: int = 50, default: bool = True
) -> None:
    """Add (or replace) a report section. Registering a builder for an announced key (listening,
    reactivity, sentiment, forecasts) makes it real."""
    existing = _SECTIONS.get(key)
    _SECTIONS[key] = Section(key, title, order, build, default, existing.always_last if existing else False)


def announce_section(key: str, title: str | Promise, *, order: int) -> None:
    if key not in _SECTIONS:
        _SECTIONS[key] = Section(key, title, order, None, True)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_choices() -> list[tuple[str, str]]:
    return [(s.key, str(s.title)) for s in sections()]


def default_section_keys() -> list[str]:
    return [s.key for s in sections() if s.default]


def get_section(key: str) -> Section | None:
    return _SECTIONS.get(key)


# Announced sections (see the module's docstring). Orders leave room between the built-in ones.
announce_section("listening", _("Listening"), order=60)
announce_section("reactivity", _("Reactivity"), order=62)
announce_section("sentiment", _("Sentiment"), order=64)
announce_section("forecasts", _("Forecasts"), order=66)
