"""What Facebook Pages and Instagram share: the Graph API client (pyfacebook) and Meta's days.

**Meta's daily values are Pacific-time days.** A daily insight value carries an ``end_time`` at
midnight America/Los_Angeles that *closes* its day: 07:00 UTC in summer (PDT), 08:00 UTC in
winter (PST). ``{"value": 12, "end_time": "2026-11-02T08:00:00+0000"}`` is the value of Pacific day
2026-11-01. ``pacific_day`` is the one place that mapping happens; everything downstream works
with plain dates. https://developers.facebook.com/docs/graph-api/reference/insights/
"""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlparse

import requests
from django.conf import settings
from pyfacebook import FacebookError, GraphAPI, LibraryError, RateLimit

from networks.http import graph_session
from networks.providers.errors import ProviderError, from_graph

logger = logging.getLogger(__name__)

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
GRAPH_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

A = TypeVar("A", bound=GraphAPI)
R = TypeVar("R")


def parse_graph_time(value: str) -> dt.datetime:
    """``2026-11-01T09:00:00+0000`` → aware UTC datetime.

    ``fromisoformat`` (Python ≥ 3.11 reads Graph's ``+0000``) costs 0.4 µs where ``strptime``
    costs 12: a sync parses every post's and every daily value's time. A time without an offset
    is refused, as ``strptime``'s ``%z`` did."""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"time data {value!r} has no UTC offset (Graph's format: {GRAPH_TIME_FORMAT})")
    return moment.astimezone(dt.UTC)


def pacific_day(end_time: str) -> dt.date:
    """The Pacific day a daily value belongs to: the day its ``end_time`` (midnight Pacific) closes."""
    return (parse_graph_time(end_time).astimezone(PACIFIC) - dt.timedelta(seconds=1)).date()


def pacific_midnight(day: dt.date) -> int:
    """Unix time of the start of a Pacific day (for ``since`` / ``until``)."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=PACIFIC).timestamp())


class GuardedRateLimit(RateLimit):
    """pyfacebook's usage-header parser, minus its crash: a key it does not know inside a usage
    header raises TypeError (NETWORK_APIS.md §1.2), which would fail a call that succeeded. Such a
    header is skipped here; our own bookkeeping reads the raw headers in networks/http.py anyway."""

    def set_limit(self, headers) -> None:
        try:
            super().set_limit(headers)
        except (TypeError, KeyError, AttributeError):
            logger.debug("Graph usage header with unknown keys ignored by pyfacebook's parser")


def graph_client(api_class: type[A], access_token: str) -> A:
    """A pyfacebook client on our HTTP boundary, with the pinned version and base URL, and
    without pyfacebook's own sleeping (our sync engine decides when to wait)."""
    api = api_class(
        app_id=settings.META_APP_ID or None,
        app_secret=settings.META_APP_SECRET or None,  # enables appsecret_proof on every call
        access_token=access_token,
        version=settings.GRAPH_API_VERSION,
        base_url=settings.GRAPH_API_BASE_URL,
        sleep_on_rate_limit=False,
        timeout=(settings.NETWORK_CONNECT_TIMEOUT, settings.NETWORK_READ_TIMEOUT),
    )
    api.session = graph_session()
    api.rate_limit = GuardedRateLimit()
    return api


def graph_call(api: GraphAPI, method: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Run one pyfacebook call, translating its failures into our error classes."""
    try:
        return method(*args, **kwargs)
    except ProviderError:
        raise
    except (FacebookError, LibraryError, requests.RequestException, ValueError, KeyError) as error:
        raise from_graph(error, usage=getattr(api.session, "last_usage", None)) from error


def next_cursor(payload: dict) -> str | None:
    """The cursor of the next page: ``after`` when the response has a ``next`` link."""
    paging = payload.get("paging") or {}
    if not paging.get("next"):
        return None
    after = (paging.get("cursors") or {}).get("after")
    if after:
        return after
    # Time-based paging (feeds with since/until) has no cursors: carry the next link's "until".
    until = parse_qs(urlparse(paging["next"]).query).get("until")
    return f"until:{until[0]}" if until else None


def cursor_params(cursor: str | None) -> dict:
    if not cursor:
        return {}
    if cursor.startswith("until:"):
        return {"until": cursor.removeprefix("until:")}
    return {"after": cursor}


def insight_value(item: dict) -> Any:
    """The value of a lifetime or total_value insight (the first value), or None."""
    if isinstance(item.get("total_value"), dict):
        return item["total_value"].get("value")
    values = item.get("values") or []
    return values[0].get("value") if values else None


def daily_insight_values(payload: dict, names: dict[str, str]) -> dict[dt.date, dict[str, Any]]:
    """``{day: {our_name: value}}`` from a period=day time-series insights response."""
    days: dict[dt.date, dict[str, Any]] = {}
    for item in payload.get("data") or []:
        ours = names.get(item.get("name"))
        if ours is None or item.get("period") != "day":
            continue
        for value in item.get("values") or []:
            if "end_time" in value:
                days.setdefault(pacific_day(value["end_time"]), {})[ours] = value.get("value")
    return days


def as_int(value: Any) -> int | None:
    """An insight or count as int; None when absent or not a number (never 0 by default)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
