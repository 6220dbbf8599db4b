"""``python -m networks.simulator --port 8900 --now 2026-11-30T06:00:00Z --seed 1``.

``--processes N`` runs N identical simulators on the same port (``SO_REUSEPORT``; the kernel
spreads connections among them) for load tests: one Python process answers a few hundred calls a
second at most. Each process keeps its own state (clock, faults, rate-limit counters, used refresh
tokens): the ``/_sim/`` control endpoints reach only the process that answers, so set faults at
start (``--latency-ms``) when running several. Tokens are stateless (tokens.py): any process
accepts any token.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys

from networks.simulator.server import serve_one
from networks.simulator.world import DEFAULT_NOW, DEFAULT_SEED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m networks.simulator", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("SIMULATOR_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SIMULATOR_PORT", "8900")))
    parser.add_argument(
        "--now",
        default=os.environ.get("SIMULATOR_NOW", DEFAULT_NOW),
        help="the simulated 'now' (ISO 8601 with zone), default %(default)s",
    )
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SIMULATOR_SEED", str(DEFAULT_SEED))))
    parser.add_argument(
        "--running-clock",
        action="store_true",
        help="let the simulated time flow with real time (default: frozen until told)",
    )
    parser.add_argument("--processes", type=int, default=1, help="processes sharing the port (load tests)")
    parser.add_argument("--latency-ms", type=int, default=0, help="the latency fault from the start")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def serve(argv: list[str] | None = None) -> None:
    options = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.INFO, format="%(asctime)s %(message)s")
    settings = {
        "host": options.host,
        "port": options.port,
        "seed": options.seed,
        "now": options.now,
        "running_clock": options.running_clock,
        "latency_ms": options.latency_ms,
    }
    if options.processes <= 1:
        serve_one(**settings)
        return
    if not options.port:
        raise SystemExit("--processes needs a fixed --port")
    # Spawned, not forked: each process imports the world itself (no state shared by accident).
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=serve_one, kwargs={**settings, "reuse_port": True}, daemon=True)
        for _ in range(options.processes)
    ]
    for child in children:
        child.start()
    # ``terminate()`` of this parent (SIGTERM) must stop the children too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(timeout=5)


if __name__ == "__main__":
    serve(sys.argv[1:])
