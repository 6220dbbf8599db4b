"""The simulator's clock: a settable "now" that stands still unless told to move (or to follow real time)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


def parse_instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("the simulator's time must carry a time zone (e.g. 2026-11-30T06:00:00Z)")
    return moment.astimezone(UTC)


class Clock:
    """``now()`` = the set instant, plus real elapsed time when ``running`` (the demo's live mode)."""

    def __init__(self, now: datetime, *, running: bool = False) -> None:
        self._lock = threading.Lock()
        self._base = now
        self._started = time.monotonic()
        self.running = running

    def now(self) -> datetime:
        with self._lock:
            if not self.running:
                return self._base
            return self._base + timedelta(seconds=time.monotonic() - self._started)

    def set(self, now: datetime) -> None:
        with self._lock:
            self._base, self._started = now, time.monotonic()

    def advance(self, seconds: float) -> None:
        self.set(self.now() + timedelta(seconds=seconds))

    def as_json(self) -> dict:
        return {"now": self.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "running": self.running}
