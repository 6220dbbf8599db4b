"""Forecasts are recomputed by Celery once a new day of metrics has arrived.

Beat runs ``forecasts_refresh_dispatch`` every hour (overgraph/settings.py): it queues one
``forecasts_refresh_account`` per account whose stored forecasts predate its latest synced day or
are older than a day, so the daily sync (networks.sync, DAILY_AT) is followed within the hour by
fresh forecasts, without networks importing analytics. Both are idempotent: a duplicate delivery
recomputes the same rows.
"""

import datetime as dt

from celery import shared_task
from django.db.models import Max, Min
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Organization
from analytics.forecasting.models import Forecast
from analytics.forecasting.services import forecasts_compute
from analytics.models import AccountDailyMetrics
from networks.models import SocialAccount

STALE_AFTER = dt.timedelta(hours=24)


def accounts_due(now: dt.datetime) -> list[tuple[int, int]]:
    """(organization id, account id) of the accounts whose forecasts need computing."""
    with scopes_disabled():
        latest_day = dict(
            AccountDailyMetrics.objects.values("account_id").annotate(day=Max("date")).values_list("account_id", "day")
        )
        # The newest day a stored forecast starts after, and the oldest computation, per account.
        stored = {
            row["account_id"]: (row["last"], row["computed"])
            for row in Forecast.objects.values("account_id").annotate(
                last=Max("last_date"), computed=Min("computed_at")
            )
        }
        accounts = SocialAccount.objects.exclude(status=SocialAccount.Status.DISABLED).values_list(
            "organization_id", "pk"
        )
        due = []
        for organization_id, account_id in accounts:
            if account_id not in latest_day:
                continue
            last = stored.get(account_id)
            if last is None or last[1] < now - STALE_AFTER or (last[0] or dt.date.min) < latest_day[account_id]:
                due.append((organization_id, account_id))
    return due


@shared_task(acks_late=True)
def forecasts_refresh_dispatch() -> int:
    due = accounts_due(timezone.now())
    for organization_id, account_id in due:
        forecasts_refresh_account.delay(organization_id, account_id)
    return len(due)


@shared_task(acks_late=True)
def forecasts_refresh_account(organization_id: int, account_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    with scope(organization=organization):
        account = SocialAccount.objects.filter(organization=organization, pk=account_id).first()
        if account is None:
            return 0
        return len(forecasts_compute(account=account))
