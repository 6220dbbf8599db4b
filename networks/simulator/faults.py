"""Fault switches (``/_sim/faults``): latency, 429 storms, 5xx, timeouts, malformed JSON, revoked tokens."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field, fields

NETWORKS = ("x", "graph")


@dataclass
class Faults:
    latency_ms: int = 0
    rate_limit_storm: bool = False
    # The Graph code a storm answers with: 4 (app), 17 (user), 32 (page), 613, 80001 (Pages BUC), 80002 (IG BUC).
    graph_throttle_code: int = 4
    error_5xx_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_seconds: float = 35.0  # past the usual 30 s client timeout
    malformed_json_rate: float = 0.0
    # Tokens, persona keys ("boulogne") or object ids (page, IG user, X user) — or "all".
    revoked_tokens: list[str] | str = field(default_factory=list)
    # Restrict the faults to some networks ("x", "graph"); empty = every network.
    networks: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


class FaultSwitches:
    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self.current = Faults()
        # Seeded so a test with a rate between 0 and 1 sees the same sequence on every run.
        self._random = random.Random(seed)  # noqa: S311 — fault injection, not security

    def reset(self) -> None:
        with self._lock:
            self.current = Faults()
            self._random = random.Random(self._seed)  # noqa: S311

    def update(self, changes: dict) -> Faults:
        allowed = {f.name for f in fields(Faults)}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"unknown fault switch(es): {', '.join(sorted(unknown))}")
        with self._lock:
            values = {**asdict(self.current), **changes}
            values["latency_ms"] = int(values["latency_ms"])
            for name in ("error_5xx_rate", "timeout_rate", "malformed_json_rate", "timeout_seconds"):
                values[name] = float(values[name])
            values["rate_limit_storm"] = bool(values["rate_limit_storm"])
            values["graph_throttle_code"] = int(values["graph_throttle_code"])
            if values["graph_throttle_code"] not in {4, 17, 32, 613, 80001, 80002}:
                raise ValueError("graph_throttle_code must be one of 4, 17, 32, 613, 80001, 80002")
            if values["revoked_tokens"] != "all" and not isinstance(values["revoked_tokens"], list):
                raise ValueError('revoked_tokens must be a list or "all"')
            self.current = Faults(**values)
            return self.current

    def applies(self, network: str) -> bool:
        return not self.current.networks or network in self.current.networks

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._random.random() < rate

    def is_revoked(self, token: str, *names: str | None) -> bool:
        revoked = self.current.revoked_tokens
        if revoked == "all":
            return True
        return token in revoked or any(name and name in revoked for name in names)
