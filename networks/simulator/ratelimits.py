"""Rate-limit bookkeeping: X's per-endpoint 15-minute windows and Meta's usage percentages.

Windows run on the wall clock, not the simulated one, so a client that sleeps until the announced
``x-rate-limit-reset`` (epoch seconds) or backs off on Meta's usage headers really gets through.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

X_WINDOW = 15 * 60
# Per-user limits per 15 minutes (NETWORK_APIS.md §2.7, current self-serve limits).
X_USER_LIMITS = {
    "/2/users/me": 75,
    "/2/users/:id": 900,
    "/2/users/:id/tweets": 900,
    "/2/users/:id/mentions": 300,
    "/2/tweets/search/recent": 300,
    "/2/tweets": 5000,
    "/2/tweets/:id": 900,
}
# Meta: calls per rolling hour before 100 % (app-level, and per business object for BUC).
GRAPH_APP_CALLS_PER_HOUR = 200_000
GRAPH_BUC_CALLS_PER_HOUR = 4_800


class XLimits:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}

    def hit(self, endpoint: str, token: str) -> tuple[int, int, int]:
        """Count one call; returns (limit, remaining, reset epoch). remaining < 0 means refused."""
        limit = X_USER_LIMITS.get(endpoint, 900)
        now = int(time.time())
        with self._lock:
            start, used = self._windows.get((endpoint, token), (now, 0))
            if now >= start + X_WINDOW:
                start, used = now, 0
            used += 1
            self._windows[(endpoint, token)] = (start, used)
        return limit, limit - used, start + X_WINDOW

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


class GraphUsage:
    """Rolling one-hour call counts per app and per business object (page or IG user)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            calls = self._calls[key]
            calls.append(now)
            while calls and calls[0] < now - 3600:
                calls.popleft()
            return len(calls)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
