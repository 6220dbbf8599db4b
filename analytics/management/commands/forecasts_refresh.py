"""Compute the forecasts of every account whose stored forecasts are missing or stale, now, in this
process (the demo's seed runs it once; the hourly beat task does the same through the workers)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from analytics.forecasting.tasks import accounts_due, forecasts_refresh_account


class Command(BaseCommand):
    help = "Compute the missing or stale forecasts of every account (analytics/forecasting)."

    def handle(self, *args, **options) -> None:
        due = accounts_due(timezone.now())
        rows = sum(forecasts_refresh_account(organization_id, account_id) for organization_id, account_id in due)
        self.stdout.write(f"forecasts: {rows} stored for {len(due)} accounts")
