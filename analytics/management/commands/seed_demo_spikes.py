"""The demo's spike alerts: replay the detector, day by day, over the last weeks of every
workspace's registered series (messages received, negative share, listening hits) through the same
service the periodic task calls, so the alerts page shows what the CM would have been told.

Runs after the inbox and listening seeds. Safe to run again: alerts are unique per series and day.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django_scopes import scope

from accounts.models import Organization, Workspace
from analytics import spikes
from analytics.services.spikes import local_yesterday, spikes_detect


class Command(BaseCommand):
    help = "Replay spike detection over the last days of every workspace (demo and backfill)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=60, help="how many past days to check (default 60)")

    def handle(self, *args, **options) -> None:
        if options["days"] < 1:
            self.stderr.write("--days must be at least 1")
            return
        if not spikes.series_sources():
            self.stdout.write("No series registered (inbox and listening not installed): nothing to check.")
            return
        created = 0
        for organization in Organization.objects.all():
            last = local_yesterday(organization)
            days = [last - dt.timedelta(days=n) for n in range(options["days"] - 1, -1, -1)]
            with scope(organization=organization):
                for workspace in Workspace.objects.filter(organization=organization):
                    for day in days:
                        created += len(spikes_detect(organization=organization, workspace=workspace, day=day))
        self.stdout.write(f"Spike alerts: {created} new over the last {options['days']} days.")
