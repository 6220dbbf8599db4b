"""Replay the past days of syncs for the demo's connected accounts, through the sync engine.

The simulator at ``SIMULATOR_URL`` is moved back ``--days`` days (``/_sim/clock``), each account
backfills there (as on connect), then its daily syncs run step by step up to now — the path and
the code are the product's; only the clock is the simulator's (DESIGN.md "Running it").
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from networks.models import SocialAccount
from networks.sync.demo import Simulator, demo_replay


class Command(BaseCommand):
    help = "Replay the past days of syncs against the simulator for the connected accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--organization", action="append", help="organisation slug(s); default: all")

    def handle(self, *args, **options) -> None:
        if not settings.SIMULATOR_URL:
            raise CommandError("SIMULATOR_URL is not set: the replay runs against the network simulator.")
        sim = Simulator(settings.SIMULATOR_URL)
        with scopes_disabled():
            accounts = SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE).select_related("organization")
            if options["organization"]:
                accounts = accounts.filter(organization__slug__in=options["organization"])
            accounts = list(accounts.order_by("pk"))
        started = time.monotonic()
        until = dt.datetime.now(dt.UTC).replace(microsecond=0)
        runs = demo_replay(sim=sim, accounts=accounts, days=options["days"], until=until)
        sim.set_now(until)
        self.stdout.write(
            f"  Replayed {options['days']} days for {len(accounts)} accounts: {runs} sync runs "
            f"in {time.monotonic() - started:.0f} s."
        )
