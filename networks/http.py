"""The one outbound HTTP boundary of the networks app (STYLE.md rule 14).

Every call to X, the Graph API or their OAuth endpoints goes through a :class:`BoundarySession`:

* it owns the timeouts (connect, read) so no call can hang a worker;
* it rewrites hard-coded hosts (tweepy always calls https://api.twitter.com) to the configured base
  URL — the real host in production, the simulator in the demo and tests;
* it records each call (network, method, path without the query string, status, duration) and the
  usage headers the networks announce (X ``x-rate-limit-*``; Meta ``x-app-usage`` and
  ``x-business-use-case-usage``) for the sync engine's rate-limit bookkeeping.

Recording is a per-process list of callbacks (``add_recorder``); ``recording()`` collects calls
for a test or a command. Query strings are never recorded: Graph calls carry ``access_token`` there.
"""

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """Rate-limit state a response announced. Percentages for Meta, counts for X."""

    x_limit: int | None = None
    x_remaining: int | None = None
    x_reset: int | None = None  # epoch seconds
    app_usage: dict | None = None  # {"call_count": %, "total_cputime": %, "total_time": %}
    business_usage: dict | None = None  # {object_id: [{"type", "call_count", …, "estimated_time_to_regain_access"}]}

    @property
    def max_percent(self) -> float | None:
        """The highest Meta usage percentage announced (app or business use case), if any."""
        values: list[float] = []
        if self.app_usage:
            values += [v for v in self.app_usage.values() if isinstance(v, int | float)]
        for items in (self.business_usage or {}).values():
            for item in items if isinstance(items, list) else []:
                values += [
                    item.get(k)
                    for k in ("call_count", "total_cputime", "total_time")
                    if isinstance(item.get(k), int | float)
                ]
        return max(values) if values else None


@dataclass(frozen=True)
class CallRecord:
    network: str
    method: str
    path: str
    status: int | None
    duration_ms: float
    usage: Usage = field(default_factory=Usage)
    error: str = ""


_recorders: list[Callable[[CallRecord], None]] = []


def add_recorder(callback: Callable[[CallRecord], None]) -> None:
    _recorders.append(callback)


def remove_recorder(callback: Callable[[CallRecord], None]) -> None:
    with contextlib.suppress(ValueError):
        _recorders.remove(callback)


@contextlib.contextmanager
def recording() -> Iterator[list[CallRecord]]:
    calls: list[CallRecord] = []
    add_recorder(calls.append)
    try:
        yield calls
    finally:
        remove_recorder(calls.append)


def _json_header(headers, name: str) -> dict | None:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _int_header(headers, name: str) -> int | None:
    raw = headers.get(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def usage_from_headers(headers) -> Usage:
    return Usage(
        x_limit=_int_header(headers, "x-rate-limit-limit"),
        x_remaining=_int_header(headers, "x-rate-limit-remaining"),
        x_reset=_int_header(headers, "x-rate-limit-reset"),
        app_usage=_json_header(headers, "x-app-usage"),
        business_usage=_json_header(headers, "x-business-use-case-usage"),
    )


def _record(record: CallRecord) -> None:
    for callback in list(_recorders):
        try:
            callback(record)
        except Exception:  # a faulty recorder must never break a network call
            logger.exception("HTTP call recorder failed")


# Tests mount a transport adapter here to serve recorded responses (the outside world) while
# everything above the transport — sessions, clients, parsers — runs for real.
_test_adapters: list[requests.adapters.BaseAdapter] = []


# One connection pool per process, mounted in every session: a worker syncing many accounts
# reuses its keep-alive connections to X's and Meta's hosts instead of opening new ones for each
# account's client. urllib3's pools are thread-safe; maxsize covers a worker's threads.
_shared_adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=64)


# What the environment says about an origin (proxies, CA bundle), read once per process and
# origin: requests reads it again at every call (scanning os.environ twice and the netrc file),
# about a tenth of a sync worker's CPU. A worker's environment does not change while it runs.
_environment: dict[str, tuple[dict[str, str], str | None]] = {}
_environment_lock = threading.Lock()


def _environment_of(url: str) -> tuple[dict[str, str], str | None]:
    parts = requests.utils.urlparse(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    found = _environment.get(origin)
    if found is None:
        proxies = requests.utils.get_environ_proxies(origin)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        with _environment_lock:
            found = _environment.setdefault(origin, (proxies, bundle))
    return found


class BoundarySession(requests.Session):
    """A requests.Session with our timeouts, host rewriting and call recording."""

    def __init__(self, *, network: str, rewrite: dict[str, str] | None = None) -> None:
        super().__init__()
        # The environment (proxies, CA bundle) is still honoured, read once per origin by
        # merge_environment_settings below; no netrc: every call carries its own credentials.
        self.trust_env = False
        self.network = network
        # Usage headers of the last response, for the error classifier (a throttled Graph call
        # announces its time to regain access there).
        self.last_usage = Usage()
        self.rewrite = {src.rstrip("/"): dst.rstrip("/") for src, dst in (rewrite or {}).items() if src != dst}
        self.mount("http://", _shared_adapter)
        self.mount("https://", _shared_adapter)
        for adapter in _test_adapters:
            self.mount("http://", adapter)
            self.mount("https://", adapter)

    def _rewritten(self, url: str) -> str:
        for src, dst in self.rewrite.items():
            if url == src or url.startswith(src + "/"):
                return dst + url[len(src) :]
        return url

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        env_proxies, bundle = _environment_of(url)
        if env_proxies:
            proxies = {**env_proxies, **(proxies or {})}
        if bundle and (verify is True or verify is None):
            verify = bundle
        return super().merge_environment_settings(url, proxies, stream, verify, cert)

    def request(self, method, url, *args, **kwargs):
        url = self._rewritten(url)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = (settings.NETWORK_CONNECT_TIMEOUT, settings.NETWORK_READ_TIMEOUT)
        path = requests.utils.urlparse(url).path
        started = time.monotonic()
        try:
            response = super().request(method, url, *args, **kwargs)
        except requests.RequestException as error:
            _record(
                CallRecord(
                    self.network, method, path, None, (time.monotonic() - started) * 1000, error=type(error).__name__
                )
            )
            raise
        self.last_usage = usage_from_headers(response.headers)
        _record(
            CallRecord(
                self.network, method, path, response.status_code, (time.monotonic() - started) * 1000, self.last_usage
            )
        )
        return response


def x_session() -> BoundarySession:
    """The session tweepy's Client uses: https://api.twitter.com → X_API_BASE_URL."""
    return BoundarySession(network="x", rewrite={"https://api.twitter.com": settings.X_API_BASE_URL})


def graph_session() -> BoundarySession:
    """The session pyfacebook uses (its base_url already points at GRAPH_API_BASE_URL)."""
    return BoundarySession(network="meta")
