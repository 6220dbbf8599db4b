"""``python -m networks.simulator --port 8900 --now 2026-11-30T06:00:00Z --seed 1``."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from networks.simulator.clock import parse_instant
from networks.simulator.server import Simulator, SimulatorServer
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
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def serve(argv: list[str] | None = None) -> None:
    options = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.INFO, format="%(asctime)s %(message)s")
    sim = Simulator(seed=options.seed, now=parse_instant(options.now), running_clock=options.running_clock)
    server = SimulatorServer((options.host, options.port), sim)
    logging.getLogger("networks.simulator").info(
        "Network simulator on %s (seed %s, now %s)", sim.base_url, sim.seed, sim.clock.as_json()["now"]
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    serve(sys.argv[1:])
