"""Connect the demo's social accounts and bring in their history through the sync engine.

Runs after ``seed_demo`` (accounts' organisations and people). Against the network simulator at
``SIMULATOR_URL`` (started here for the duration when it is not running and ``--start-simulator``
is given): the accounts are connected through the simulator's OAuth screens and the real connect
services, then ``demo_backfill`` replays the past ``--days`` days of syncs. Safe to run again:
accounts are reconnected in place and a replay already done is not redone (``--force`` redoes it).
"""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from networks.management.demo_simulator import demo_simulator
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


class Command(BaseCommand):
    help = "Connect the demo's accounts through the simulator's OAuth screens and replay their history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=365, help="days of history to replay (default 365)")
        parser.add_argument("--start-simulator", action="store_true", help="start the simulator if it is not up")
        parser.add_argument("--force", action="store_true", help="replay again even if it was done")

    def handle(self, *args, **options) -> None:
        with demo_simulator(start=options["start_simulator"], needed_for="the demo's accounts") as sim:
            self._seed(sim, options)

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
