"""Time that counts for response times: all of it, or only business hours on working days, public
holidays excepted (French public holidays, computed here: the fixed ones and those that follow
Easter). Business hours are wall-clock hours in the organisation's time zone, so a day of a DST
change has 23 or 25 hours but its 9:00-18:00 window is still 9 hours.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 — the algorithm's name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def french_holidays(year: int) -> frozenset[dt.date]:
    """The eleven public holidays of metropolitan France (Code du travail L3133-1)."""
    easter = easter_sunday(year)
    movable = {easter + dt.timedelta(days=1), easter + dt.timedelta(days=39), easter + dt.timedelta(days=50)}
    return frozenset({dt.date(year, m, d) for m, d in FIXED_HOLIDAYS} | movable)


@dataclass(frozen=True)
class Clock:
    """How durations are counted: ``business_hours`` False counts every second."""

    time_zone: str = "UTC"
    business_hours: bool = False
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(18, 0)
    working_days: tuple[int, ...] = (1, 2, 3, 4, 5)
    holidays: bool = True

    def is_working_day(self, day: dt.date) -> bool:
        if day.isoweekday() not in self.working_days:
            return False
        return not (self.holidays and day in french_holidays(day.year))

    def seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        if end <= start:
            return 0.0
        if not self.business_hours:
            return (end - start).total_seconds()
        zone = zoneinfo.ZoneInfo(self.time_zone)
        day = start.astimezone(zone).date()
        last = end.astimezone(zone).date()
        total = 0.0
        while day <= last:
            if self.is_working_day(day):
                # In UTC: subtracting two datetimes of one tzinfo would ignore a DST change.
                window_start = dt.datetime.combine(day, self.opens, tzinfo=zone).astimezone(dt.UTC)
                window_end = dt.datetime.combine(day, self.closes, tzinfo=zone).astimezone(dt.UTC)
                overlap = min(end, window_end) - max(start, window_start)
                total += max(0.0, overlap.total_seconds())
            day += dt.timedelta(days=1)
        return total
