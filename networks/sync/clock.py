"""The networks' "now" as the sync engine sees it.

In production it is the wall clock. The demo replays a year of daily syncs against the simulator
with its clock moved back (DESIGN.md "Running it"): the engine then dates what it reads by the
simulator's time, through an offset set here, so a replayed day is stored as that day. Leases and
backoff always use the wall clock (``django.utils.timezone.now``): they are about real workers.
"""

import datetime as dt
import threading

from django.utils import timezone

_lock = threading.Lock()
_offset = dt.timedelta(0)
_frozen: dt.datetime | None = None


def network_now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now() + _offset


def network_today() -> dt.date:
    return network_now().astimezone(dt.UTC).date()


def set_network_now(moment: dt.datetime | None, *, frozen: bool = False) -> None:
    """Make ``network_now()`` read ``moment`` from now on, moving with the wall clock or ``frozen``
    (like the simulator's clock in the replay and tests). None: back to the wall clock."""
    global _offset, _frozen  # noqa: PLW0603 — one process-wide clock, set by the replay and tests only
    with _lock:
        _offset = dt.timedelta(0) if moment is None else moment - timezone.now()
        _frozen = moment if frozen else None
