"""What every analytics query is asked: a period (inclusive days in the organisation's time zone)
and filters. Parsing lives here once, so pages and API reject the same bad input with the same
message."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

PRESETS = ("7d", "28d", "90d", "this_month", "last_month", "custom")
# A custom period longer than this is refused: three years of history is what we keep in the
# benchmark tenant, and an unbounded range would let one request scan a tenant's whole history.
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included, in the organisation's time zone."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(_("The period starts after it ends."))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range(self.days)]


def _parse_date(value: str | dt.date | None, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not value:
        raise ValueError(_("A custom period needs %(name)s (YYYY-MM-DD).") % {"name": name})
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(_("%(name)s must be a date as YYYY-MM-DD.") % {"name": name}) from None


def period_from_request(
    preset: str | None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    *,
    today: dt.date,
) -> Period:
    """The period a page or API request asks for. ``today`` is the organisation's local date; the
    rolling presets end yesterday (today is not over, its numbers are still moving)."""
    preset = preset or "28d"
    if preset not in PRESETS:
        raise ValueError(
            _("Unknown period %(preset)s: use one of %(presets)s.") % {"preset": preset, "presets": ", ".join(PRESETS)}
        )
    yesterday = today - dt.timedelta(days=1)
    if preset in ("7d", "28d", "90d"):
        days = int(preset[:-1])
        return Period(yesterday - dt.timedelta(days=days - 1), yesterday)
    if preset == "this_month":
        return Period(today.replace(day=1), today)
    if preset == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    start_date, end_date = _parse_date(start, "start"), _parse_date(end, "end")
    if start_date > end_date:
        raise ValueError(_("The period starts after it ends."))
    if (end_date - start_date).days + 1 > MAX_PERIOD_DAYS:
        raise ValueError(_("A period may cover at most %(days)d days.") % {"days": MAX_PERIOD_DAYS})
    return Period(start_date, end_date)


@dataclass(frozen=True)
class Filters:
    """Narrow a query; every field left empty means "all" (within what the member may see)."""

    workspace_id: int | None = None
    account_ids: tuple[int, ...] = ()
    network: str | None = None
    kinds: tuple[str, ...] = ()
    content_types: tuple[str, ...] = ()
    theme_ids: tuple[int, ...] = ()
    hashtag: str | None = None  # without "#", matched case-insensitively
