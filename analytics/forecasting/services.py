"""Writes for forecasts: run the engine on an account's histories and store the results (one row
per metric, replaced each time)."""

import datetime as dt
import math

import numpy as np
from django.db import transaction
from django.utils import timezone

from analytics.forecasting import engine
from analytics.forecasting.models import Forecast
from analytics.forecasting.selectors import History, daily_histories
from networks.models import SocialAccount

# Stored horizon: the longest the page and the API offer (they cut it to what is asked).
HORIZON = engine.MAX_HORIZON
# The backtest shown next to the chart: three 28-day origins at the end of the history (fewer when
# the history is shorter).
BACKTEST_HORIZON = 28
BACKTEST_ORIGINS = 3
LEVELS = (80, 95)


def _clean(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 2)


def _forecast_fields(history: History) -> dict:
    """The columns of one Forecast row for ``history`` (status, points, backtest)."""
    values = np.array([math.nan if v is None else v for v in history.values], dtype=float)
    fields: dict = {"history_days": len(values), "last_date": history.end, "horizon": 0, "model": "", "points": []}
    fields.update(
        backtest_origins=None,
        backtest_horizon=None,
        backtest_mase=None,
        backtest_mase_snaive=None,
        backtest_coverage80=None,
        backtest_coverage95=None,
    )
    try:
        result = engine.forecast(values, HORIZON, LEVELS)
    except engine.NotEnoughHistoryError:
        fields["status"] = Forecast.Status.NOT_ENOUGH_HISTORY
        return fields
    fields["status"] = Forecast.Status.READY
    fields["horizon"] = HORIZON
    fields["model"] = result.model
    fields["points"] = [
        {
            "date": (history.end + dt.timedelta(days=step + 1)).isoformat(),
            "mean": _clean(result.mean[step]),
            "lo80": _clean(result.lower[80][step]),
            "hi80": _clean(result.upper[80][step]),
            "lo95": _clean(result.lower[95][step]),
            "hi95": _clean(result.upper[95][step]),
        }
        for step in range(HORIZON)
    ]
    try:
        backtest = engine.backtest(values, BACKTEST_HORIZON, BACKTEST_ORIGINS, LEVELS)
    except engine.NotEnoughHistoryError:
        return fields
    fields.update(
        backtest_origins=backtest.origins,
        backtest_horizon=backtest.horizon,
        backtest_mase=_clean_ratio(backtest.mase),
        backtest_mase_snaive=_clean_ratio(backtest.mase_seasonal_naive),
        backtest_coverage80=backtest.coverage[80],
        backtest_coverage95=backtest.coverage[95],
    )
    return fields


def _clean_ratio(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def forecasts_compute(*, account: SocialAccount, today: dt.date | None = None) -> list[Forecast]:
    """Forecast every metric ``account`` reports and store the results, replacing the previous
    ones; a metric the network does not report has no row. Call inside the account's scope."""
    today = today or timezone.now().date()
    computed = {}
    for metric, history in daily_histories(account, today=today).items():
        if history.reported:
            computed[metric] = _forecast_fields(history)
    # The engine runs outside the transaction: only the writes hold it.
    return _forecasts_store(account=account, computed=computed)


@transaction.atomic
def _forecasts_store(*, account: SocialAccount, computed: dict[str, dict]) -> list[Forecast]:
    stored = []
    now = timezone.now()
    for metric, fields in computed.items():
        forecast, _created = Forecast.objects.update_or_create(
            organization_id=account.organization_id,
            account_id=account.pk,
            metric=metric,
            defaults={**fields, "computed_at": now},
        )
        stored.append(forecast)
    Forecast.objects.filter(organization_id=account.organization_id, account_id=account.pk).exclude(
        metric__in=list(computed)
    ).delete()
    return stored
