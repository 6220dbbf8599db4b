"""Connect the demo's social accounts and bring in their history through the sync engine.

Runs after ``seed_demo`` (accounts' organisations and people). Against the network simulator at
``SIMULATOR_URL`` (started here for the duration when it is not running and ``--start-simulator``
is given): the accounts are connected through the simulator's OAuth screens and the real connect
services, then ``demo_backfill`` replays the past ``--days`` days of syncs. Safe to run again:
accounts are reconnected in place and a replay already done is not redone (``--force`` redoes it).
"""

import datetime as dt
import subprocess
import sys
import time
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from networks.models import SyncRun
from networks.sync.demo import DemoAccounts, Simulator, demo_connect

CITY = DemoAccounts(
    organization="Ville de Boulogne-Billancourt",
    facebook_user="200000000000001",  # Virginie, who manages the city's page
    pages={"boulogne": ""},  # "": the organisation's first workspace
    x={"boulogne": ""},
)
AGENCY = DemoAccounts(
    organization="Agence LaRue",
    facebook_user="200000000000002",  # Camille, who manages the three clients' pages
    pages={
        "lemoine": "Pâtisserie Lemoine",
        "lumieres": "Festival des Lumières",
        "northwind": "Northwind Outdoor",
    },
    x={"lumieres": "Festival des Lumières", "northwind": "Northwind Outdoor"},
)


def _up(url: str) -> bool:
    try:
        return requests.get(f"{url}/_sim/health", timeout=2).ok
    except requests.RequestException:
        return False


class Command(BaseCommand):
    help = "Connect the demo's accounts through the simulator's OAuth screens and replay their history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=365, help="days of history to replay (default 365)")
        parser.add_argument("--start-simulator", action="store_true", help="start the simulator if it is not up")
        parser.add_argument("--force", action="store_true", help="replay again even if it was done")

    def handle(self, *args, **options) -> None:
        url = settings.SIMULATOR_URL
        if not url:
            raise CommandError("SIMULATOR_URL is not set: the demo's accounts live on the network simulator.")
        process = None
        if not _up(url):
            if not options["start_simulator"]:
                raise CommandError(f"No simulator answers at {url} (pass --start-simulator to start one).")
            port = str(urlparse(url).port or 8900)
            process = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments
                [sys.executable, "-m", "networks.simulator", "--port", port], stdout=subprocess.DEVNULL
            )
            for _ in range(100):
                if _up(url):
                    break
                time.sleep(0.1)
            else:
                process.terminate()
                raise CommandError(f"The simulator did not start on {url}.")
        try:
            self._seed(Simulator(url), options)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=10)

    def _seed(self, sim: Simulator, options: dict) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        sim.set_now(now)
        accounts = []
        for plan in (CITY, AGENCY):
            connected = demo_connect(sim=sim, plan=plan)
            self.stdout.write(f"  {plan.organization}: {', '.join(str(a) for a in connected)}")
            accounts += connected
        with scopes_disabled():
            replayed = SyncRun.objects.filter(trigger=SyncRun.Trigger.REPLAY, account__in=accounts).exists()
        if replayed and not options["force"]:
            self.stdout.write("  History already replayed (use --force to replay again).")
        else:
            call_command("demo_backfill", days=options["days"], stdout=self.stdout)
        sim.set_now(dt.datetime.now(dt.UTC).replace(microsecond=0))
