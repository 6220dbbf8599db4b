"""The simulator's HTTP layer: a threading standard-library server, a small router, faults and headers.

No Django here on purpose: the server starts in a fraction of a second, alone (``python -m
networks.simulator``), inside the test process (``testing.py``) or under the demo's supervisor.
Each request runs in its own daemon thread, so injected latency never blocks other calls.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from networks.simulator.clock import Clock, parse_instant
from networks.simulator.faults import FaultSwitches
from networks.simulator.ratelimits import GraphUsage, XLimits
from networks.simulator.tokens import TokenVault
from networks.simulator.world import (
    BENCH_COUNT,
    BENCH_USER,
    DEFAULT_NOW,
    DEFAULT_SEED,
    FACEBOOK_USERS,
    PERSONAS,
    Persona,
    bench_persona,
    facebook_user,
    persona_by_key,
)

logger = logging.getLogger("networks.simulator")
GRAPH_PREFIX = re.compile(r"^/v\d+\.\d+(/.*)$")


@dataclass
class Reply:
    status: int = 200
    payload: Any = None  # JSON-able, or str (HTML), or bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"


class HttpError(Exception):
    """Raised by handlers to answer with a ready-made error reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


@dataclass
class Request:
    sim: Simulator
    method: str
    path: str  # without the Graph version prefix
    raw_path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    network: str = ""

    @property
    def now(self) -> datetime:
        return self.sim.clock.now()

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, self.form.get(name, default))

    def url_with(self, **changes: str | None) -> str:
        """This request's full URL on the simulator with some query parameters changed (None removes)."""
        query = {**self.query, **changes}
        query = {k: v for k, v in query.items() if v is not None}
        # The address the client used (e.g. a container name), not necessarily the one bound.
        base = f"http://{self.headers['host']}" if self.headers.get("host") else self.sim.base_url
        return f"{base}{urlsplit(self.raw_path).path}?{urlencode(query)}"


Handler = Callable[[Request], Reply]


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Handler, str]] = []

    def add(self, method: str, pattern: str, handler: Handler, name: str = "") -> None:
        self.routes.append((method, re.compile(pattern), handler, name or pattern))

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str], str] | None:
        for route_method, pattern, handler, name in self.routes:
            found = pattern.match(path)
            if found and route_method == method:
                return handler, found.groupdict(), name
        return None


class Simulator:
    """All the simulator's state: seed, clock, faults, tokens, rate limits, searched hashtags."""

    def __init__(self, *, seed: int = DEFAULT_SEED, now: datetime | None = None, running_clock: bool = False) -> None:
        from networks.simulator import cdn, graph_api, oauth, x_api  # the routes need the Simulator type

        self.seed = seed
        self.clock = Clock(now or parse_instant(DEFAULT_NOW), running=running_clock)
        self.faults = FaultSwitches(seed)
        self.vault = TokenVault(seed)
        self.x_limits = XLimits()
        self.graph_usage = GraphUsage()
        self.hashtag_lock = threading.Lock()
        self.hashtag_names: dict[str, str] = {}  # hashtag id -> name (ids are hashes of names)
        self.hashtag_searches: dict[str, dict[str, datetime]] = {}  # IG user -> {hashtag id: first search}
        # Tweets "deleted on X" (``/_sim/deleted``): they answer resource-not-found everywhere.
        self.deleted_tweets: set[int] = set()
        self.base_url = ""
        self.router = Router()
        for module in (oauth, x_api, graph_api, cdn):
            module.register(self.router)
        # The inbox's writes (replies, messages, hidden and deleted comments), kept until a reset.
        from networks.simulator import inbox

        self.inbox = inbox.InboxWrites()
        inbox.register(self.router)

    def reset(self) -> None:
        self.faults.reset()
        self.x_limits.reset()
        self.graph_usage.reset()
        with self.hashtag_lock:
            self.hashtag_searches.clear()
        self.deleted_tweets = set()
        self.inbox.reset()


def json_error(status: int, payload: dict, headers: dict[str, str] | None = None) -> HttpError:
    return HttpError(Reply(status, payload, headers or {}))


def _control(sim: Simulator, request: Request) -> Reply:
    """``/_sim/clock``, ``/_sim/faults``, ``/_sim/reset``: never subject to faults."""
    body = request.form
    if request.path == "/_sim/clock":
        if request.method == "POST":
            if "now" in body:
                sim.clock.set(parse_instant(str(body["now"])))
            if "advance" in body:
                sim.clock.advance(float(body["advance"]))
            if "running" in body:
                sim.clock.set(sim.clock.now())
                sim.clock.running = bool(body["running"])
        return Reply(200, sim.clock.as_json())
    if request.path == "/_sim/faults":
        if request.method == "POST":
            sim.faults.update(body)
        return Reply(200, sim.faults.current.as_json())
    if request.path == "/_sim/reset" and request.method == "POST":
        sim.reset()
        return Reply(200, {"reset": True, **sim.clock.as_json()})
    if request.path == "/_sim/deleted":
        return deleted_tweets(sim, request)
    if request.path == "/_sim/world":
        return Reply(200, world_json())
    if request.path == "/_sim/tokens" and request.method == "POST":
        return Reply(200, mint_tokens(sim, body))
    if request.path == "/_sim/health":
        return Reply(200, {"ok": True, "seed": sim.seed, **sim.clock.as_json()})
    return Reply(404, {"error": "unknown control endpoint"})


def deleted_tweets(sim: Simulator, request: Request) -> Reply:
    """``POST {"tweet_ids": [...]}``: these tweets are deleted on X from now on (X compliance)."""
    if request.method == "POST":
        sim.deleted_tweets |= {int(value) for value in request.form.get("tweet_ids") or []}
    return Reply(200, {"tweet_ids": sorted(str(value) for value in sim.deleted_tweets)})


def world_json() -> dict:
    def describe(persona: Persona) -> dict:
        return {
            "key": persona.key,
            "name": persona.name,
            "kind": persona.kind,
            "language": persona.language,
            "facebook_page_id": persona.fb_page_id,
            "instagram_user_id": persona.ig_user_id,
            "instagram_username": persona.ig_username,
            "x_user_id": persona.x_user_id,
            "x_username": persona.x_username,
        }

    return {
        "personas": [describe(p) for p in PERSONAS.values()],
        "facebook_users": [{"id": u.id, "name": u.name, "pages": list(u.page_keys)} for u in FACEBOOK_USERS.values()],
        "bench": {"count": BENCH_COUNT, "first": describe(bench_persona(1)), "facebook_user_id": BENCH_USER.id},
    }


def mint_tokens(sim: Simulator, body: dict) -> dict:
    """Tokens as the OAuth flows would issue them, for tools that seed accounts without the screens."""
    now = int(sim.clock.now().timestamp())
    answer: dict[str, str | int] = {}
    if "persona" in body:
        persona = persona_by_key(str(body["persona"]))
        if persona is None:
            raise ValueError(f"unknown persona {body['persona']!r}")
        if persona.fb_page_id:
            answer["page_token"] = sim.vault.mint("fbp", persona.key)
        if persona.x_user_id:
            expires_in = int(body.get("x_expires_in", 7200))
            scope = "tweet.read users.read follows.read like.read offline.access tweet.write dm.read dm.write"
            answer["x_access_token"] = sim.vault.mint("xat", persona.key, now + expires_in)
            answer["x_refresh_token"] = sim.vault.mint("xrt", f"{persona.key}~{scope.encode().hex()}")
            answer["x_expires_in"] = expires_in
    if "facebook_user" in body:
        user = facebook_user(str(body["facebook_user"]))
        if user is None:
            raise ValueError(f"unknown Facebook user {body['facebook_user']!r}")
        answer["user_token"] = sim.vault.mint("fbu", user.id, now + 5183944)
    return answer


def _injected_fault(sim: Simulator, network: str, node: str = "") -> Reply | None:
    faults = sim.faults.current
    if not sim.faults.applies(network):
        return None
    if faults.latency_ms:
        time.sleep(faults.latency_ms / 1000)
    if sim.faults.roll(faults.timeout_rate):
        time.sleep(faults.timeout_seconds)
        return Reply(504, {"error": "simulated timeout"})
    if sim.faults.roll(faults.error_5xx_rate):
        if network == "x":
            return Reply(
                503,
                {"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503},
            )
        return Reply(
            500,
            {
                "error": {
                    "message": "An unknown error has occurred.",
                    "type": "OAuthException",
                    "code": 1,
                    "is_transient": True,
                    "fbtrace_id": "SimTrace5xx",
                }
            },
        )
    if faults.rate_limit_storm:
        if network == "x":
            reset = str(int(time.time()) + 60)
            headers = {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
            body = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
            return Reply(429, body, headers)
        return _graph_throttle(faults.graph_throttle_code, node)
    return None


GRAPH_THROTTLES = {
    4: (403, "(#4) Application request limit reached"),
    17: (403, "(#17) User request limit reached"),
    32: (400, "(#32) Page request limit reached"),
    613: (400, "(#613) Calls to this api have exceeded the rate limit."),
    80001: (400, "(#80001) There have been too many calls to this Page account. Wait a bit and try again."),
    80002: (400, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."),
}


def _graph_throttle(code: int, node: str) -> Reply:
    """A Graph throttling answer with the usage header that goes with it (the storm's code is a switch)."""
    status, message = GRAPH_THROTTLES[code]
    full = {"call_count": 100, "total_cputime": 100, "total_time": 100}
    headers = {"x-app-usage": json.dumps(full if code == 4 else {**full, "call_count": 40})}
    if code in {32, 80001, 80002}:
        kind = "instagram" if code == 80002 else "pages"
        headers["x-business-use-case-usage"] = json.dumps(
            {node: [{"type": kind, **full, "estimated_time_to_regain_access": 1}]}
        )
    error = {"message": message, "type": "OAuthException", "is_transient": True, "code": code}
    return Reply(status, {"error": {**error, "fbtrace_id": "SimTraceStorm"}}, headers)


CREDENTIAL_IN_QUERY = re.compile(
    r"\b(access_token|appsecret_proof|client_secret|refresh_token|code|input_token|fb_exchange_token)=[^&\s\"]+"
)


class SimulatorHandler(BaseHTTPRequestHandler):
    server: SimulatorServer
    protocol_version = "HTTP/1.1"  # keep-alive: a sync run makes thousands of calls
    # Headers and body leave in two writes; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms a call.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        # The request line carries Graph API credentials in its query (access_token=…): the
        # simulator's log is the demo's log too, and no token may be written there.
        line = CREDENTIAL_IN_QUERY.sub(r"\1=[redacted]", format % args)
        logger.debug("%s %s", self.address_string(), line)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:  # X: PUT /2/tweets/:id/hidden
        self._handle("PUT")

    def _handle(self, method: str) -> None:
        sim = self.server.sim
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        form: dict[str, Any] = {}
        if raw_body:
            if "json" in (self.headers.get("Content-Type") or ""):
                try:
                    form = json.loads(raw_body)
                except ValueError:
                    form = {}
            else:
                form = dict(parse_qsl(raw_body.decode("utf-8", "replace"), keep_blank_values=True))
        path = split.path
        network = ""
        graph = GRAPH_PREFIX.match(path)
        if graph:
            path, network = graph.group(1), "graph"
        elif path.startswith(("/2/", "/i/oauth2")):
            network = "x"
        request = Request(
            sim,
            method,
            path,
            self.path,
            dict(parse_qsl(split.query, keep_blank_values=True)),
            form,
            {k.lower(): v for k, v in self.headers.items()},
            network=network,
        )
        try:
            reply = self._dispatch(sim, request)
        except HttpError as error:
            reply = error.reply
        except ValueError as error:
            reply = Reply(400, {"error": str(error)})
        self._send(sim, reply, network)

    def _dispatch(self, sim: Simulator, request: Request) -> Reply:
        if request.path.startswith("/_sim/"):
            return _control(sim, request)
        consent_page = request.method == "GET" and request.path in {"/i/oauth2/authorize", "/dialog/oauth"}
        if request.network and not consent_page:
            fault = _injected_fault(sim, request.network, request.path.split("/")[1])
            if fault is not None:
                return fault
        found = sim.router.match(request.method, request.path)
        if found is None:
            if request.network == "graph":
                return Reply(
                    400,
                    {
                        "error": {
                            "message": "Unknown path components: " + request.path,
                            "type": "OAuthException",
                            "code": 2500,
                            "fbtrace_id": "SimTrace",
                        }
                    },
                )
            return Reply(404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]})
        handler, params, name = found
        request.params = params
        request.params["_route"] = name
        return handler(request)

    def _send(self, sim: Simulator, reply: Reply, network: str) -> None:
        payload = reply.payload
        if isinstance(payload, bytes):
            body = payload
        elif isinstance(payload, str):
            body = payload.encode()
        else:
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
            faults = sim.faults.current
            if network and sim.faults.applies(network) and sim.faults.roll(faults.malformed_json_rate):
                body = body[: max(1, len(body) // 2)]
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout fired during a simulated timeout): nothing to answer.
            self.close_connection = True


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a sync benchmark opens dozens of connections at once

    def __init__(self, address: tuple[str, int], sim: Simulator, *, reuse_port: bool = False) -> None:
        self.sim = sim
        # Several processes may listen on one port (``--processes``): the kernel spreads the
        # connections among them, so one process's GIL stops being the benchmark's ceiling.
        self.allow_reuse_port = reuse_port
        super().__init__(address, SimulatorHandler)
        host, port = self.server_address[:2]
        sim.base_url = f"http://{host}:{port}"


def start_in_thread(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> tuple[SimulatorServer, threading.Thread]:
    server = SimulatorServer((host, port), sim)
    thread = threading.Thread(target=server.serve_forever, name="network-simulator", daemon=True)
    thread.start()
    return server, thread


def serve_one(
    *,
    host: str,
    port: int,
    seed: int,
    now: str,
    running_clock: bool = False,
    latency_ms: int = 0,
    reuse_port: bool = False,
) -> None:
    """One simulator process serving until interrupted (``python -m networks.simulator``)."""
    sim = Simulator(seed=seed, now=parse_instant(now), running_clock=running_clock)
    if latency_ms:
        sim.faults.update({"latency_ms": latency_ms})
    server = SimulatorServer((host, port), sim, reuse_port=reuse_port)
    logger.info("Network simulator on %s (seed %s, now %s)", sim.base_url, sim.seed, sim.clock.as_json()["now"])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
