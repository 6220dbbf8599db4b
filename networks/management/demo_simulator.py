"""The network simulator for the demo's seeding commands (networks, listening, inbox, campaigns):
the one running at SIMULATOR_URL, or, with ``--start-simulator``, one started for the duration of
the command and stopped after it."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.core.management.base import CommandError

from networks.sync.demo import Simulator


def simulator_up(url: str) -> bool:
    try:
        return requests.get(f"{url}/_sim/health", timeout=2).ok
    except requests.RequestException:
        return False


@contextmanager
def demo_simulator(*, start: bool, needed_for: str) -> Iterator[Simulator]:
    """``needed_for`` says what the command reads there, for the error when none is configured."""
    url = settings.SIMULATOR_URL
    if not url:
        raise CommandError(f"SIMULATOR_URL is not set: {needed_for} come from the network simulator.")
    process = None
    if not simulator_up(url):
        if not start:
            raise CommandError(f"No simulator answers at {url} (pass --start-simulator to start one).")
        port = str(urlparse(url).port or 8900)
        process = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments
            [sys.executable, "-m", "networks.simulator", "--port", port], stdout=subprocess.DEVNULL
        )
        for _ in range(100):
            if simulator_up(url):
                break
            time.sleep(0.1)
        else:
            process.terminate()
            raise CommandError(f"The simulator did not start on {url}.")
    try:
        yield Simulator(url)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
