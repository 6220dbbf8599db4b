"""Forecasts: the engine on synthetic series, the task that stores them, the page and the API that
serve them from the store."""

import datetime as dt
import math

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from analytics.forecasting import engine
from analytics.forecasting.models import Forecast
from analytics.forecasting.tasks import accounts_due, forecasts_refresh_account, forecasts_refresh_dispatch
from analytics.models import AccountDailyMetrics
from analytics.tests.factories import make_account

TODAY = dt.datetime.now(dt.UTC).date()


def weekly_series(days: int, seed: int = 1) -> np.ndarray:
    """Counts with a strong weekly cycle, slow growth and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    weekly = np.array([1.0, 1.1, 1.05, 1.0, 0.9, 0.5, 0.4])[t % 7]
    return np.round(1000 * weekly * (1 + 0.0005 * t) * np.exp(rng.normal(0, 0.08, days)))


# --- Engine -------------------------------------------------------------------------------------


def test_it_beats_the_naive_forecast_on_a_seasonal_series():
    y = weekly_series(300)
    backtest = engine.backtest(y, horizon=28, origins=3)
    naive_last_value = np.mean(
        [
            np.mean(np.abs(y[c : c + 28] - y[c - 1])) / engine.mase_scale(y[:c])
            for c in (len(y) - 84, len(y) - 56, len(y) - 28)
        ]
    )
    assert backtest.mase < naive_last_value
    assert backtest.mase < backtest.mase_seasonal_naive
    assert 0.5 <= backtest.coverage[80] <= 1


def test_it_refuses_a_short_history():
    with pytest.raises(engine.NotEnoughHistoryError) as error:
        engine.forecast(weekly_series(engine.MIN_HISTORY_DAYS - 1), 28)
    assert error.value.length == engine.MIN_HISTORY_DAYS - 1
    # Leading gaps are not history.
    padded = np.concatenate([np.full(30, np.nan), weekly_series(engine.MIN_HISTORY_DAYS - 1)])
    with pytest.raises(engine.NotEnoughHistoryError):
        engine.forecast(padded, 28)


def test_it_widens_the_intervals_with_the_horizon():
    result = engine.forecast(weekly_series(200), 90)
    width80 = result.upper[80] - result.lower[80]
    width95 = result.upper[95] - result.lower[95]
    # Same weekday, one week and eleven weeks ahead (the weekly cycle changes the width by day).
    assert width80[77] > width80[0]
    assert np.all(width95 >= width80)
    assert np.all(result.lower[95] <= result.mean) and np.all(result.mean <= result.upper[95])
    assert np.all(result.lower[95] >= 0)  # a count never goes below zero
    assert len(result.mean) == 90


def test_it_fills_gaps_and_rejects_a_bad_horizon():
    y = weekly_series(120)
    y[50:53] = np.nan
    result = engine.forecast(y, 7)
    assert np.all(np.isfinite(result.mean))
    with pytest.raises(ValueError):
        engine.forecast(y, 0)
    with pytest.raises(ValueError):
        engine.forecast(y, engine.MAX_HORIZON + 1)


def test_it_forecasts_a_flat_series():
    result = engine.forecast(np.full(100, 42.0), 14)
    assert np.allclose(result.mean, 42.0)


def test_it_uses_the_annual_cycle_of_a_long_history():
    t = np.arange(3 * 365)
    y = np.round(500 * np.exp(0.5 * np.sin(2 * np.pi * t / 365.25)) * np.array([1, 1, 1, 1, 1, 0.7, 0.7])[t % 7])
    result = engine.forecast(y[:-60], 60)
    actual = y[-60:]
    assert np.mean(np.abs(result.mean - actual)) < np.mean(np.abs(engine.seasonal_naive(y[:-60], 60) - actual))


# --- Stored by the task -------------------------------------------------------------------------


def make_history(account, days: int, *, end: dt.date = TODAY) -> None:
    values = weekly_series(days)
    with scope(organization=account.organization):
        AccountDailyMetrics.objects.bulk_create(
            AccountDailyMetrics(
                organization_id=account.organization_id,
                account=account,
                date=end - dt.timedelta(days=days - i),
                followers=10_000 + 3 * i,
                views=int(values[i]),
                engagements=int(values[i] // 20),
            )
            for i in range(days)
        )


@pytest.fixture
def forecast_account(tenancy):
    account = make_account(tenancy.a1, external_id="f1")
    make_history(account, 120)
    return account


def stored(account) -> dict[str, Forecast]:
    with scopes_disabled():
        return {f.metric: f for f in Forecast.objects.filter(account=account)}


def test_it_stores_forecasts_after_a_sync(forecast_account, celery_eager):
    assert forecasts_refresh_dispatch.delay().get() >= 1
    rows = stored(forecast_account)
    assert set(rows) == {"followers", "views", "engagements"}  # reach and posts not reported: no row
    views = rows["views"]
    assert views.status == Forecast.Status.READY
    assert views.horizon == 90 and len(views.points) == 90
    assert views.last_date == TODAY - dt.timedelta(days=1)
    assert views.points[0]["date"] == TODAY.isoformat()
    first = views.points[0]
    assert first["lo95"] <= first["lo80"] <= first["mean"] <= first["hi80"] <= first["hi95"]
    assert views.backtest_origins == 2 and views.backtest_horizon == 28
    assert views.mase_relative is not None and views.mase_relative < 1.2
    assert 0 <= views.backtest_coverage80 <= 1
    assert views.model


def test_it_says_not_enough_history(tenancy, celery_eager):
    account = make_account(tenancy.a1, external_id="short")
    make_history(account, 30)
    forecasts_refresh_account.delay(account.organization_id, account.pk)
    rows = stored(account)
    assert rows["views"].status == Forecast.Status.NOT_ENOUGH_HISTORY
    assert rows["views"].points == [] and rows["views"].history_days == 30


def test_it_recomputes_only_when_a_new_day_arrived(forecast_account, celery_eager):
    from django.utils import timezone

    forecasts_refresh_account.delay(forecast_account.organization_id, forecast_account.pk)
    now = timezone.now()
    assert (forecast_account.organization_id, forecast_account.pk) not in accounts_due(now)
    with scope(organization=forecast_account.organization):
        AccountDailyMetrics.objects.create(
            organization_id=forecast_account.organization_id, account=forecast_account, date=TODAY, views=900
        )
    assert (forecast_account.organization_id, forecast_account.pk) in accounts_due(now)
    assert (forecast_account.organization_id, forecast_account.pk) in accounts_due(now + dt.timedelta(days=2))


# --- Served from the store ----------------------------------------------------------------------


def test_it_serves_forecasts_in_the_api(forecast_account, celery_eager, tenancy, login):
    forecasts_refresh_account.delay(forecast_account.organization_id, forecast_account.pk)
    client = login(tenancy.bob)
    url = reverse("api_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": forecast_account.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"horizon": 7})
    assert response.status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries]
    body = response.json()
    views = next(f for f in body["forecasts"] if f["metric"] == "views")
    assert len(views["points"]) == 7
    assert set(views["points"][0]) == {"date", "mean", "lo80", "hi80", "lo95", "hi95"}
    assert views["backtest"]["mase_relative"] == pytest.approx(
        views["backtest"]["mase"] / views["backtest"]["mase_seasonal_naive"]
    )
    only = client.get(url, {"metric": "followers"}).json()
    assert [f["metric"] for f in only["forecasts"]] == ["followers"]
    assert client.get(url, {"horizon": 3}).status_code == 400
    assert client.get(url, {"horizon": "abc"}).status_code == 400
    assert client.get(url, {"metric": "likes"}).status_code == 400


def test_it_draws_the_band_and_the_backtest_on_the_account_page(forecast_account, celery_eager, tenancy, login):
    forecasts_refresh_account.delay(forecast_account.organization_id, forecast_account.pk)
    client = login(tenancy.alice)
    url = reverse("analytics_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": forecast_account.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"horizon": 7})
    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]
    page = response.content.decode()
    assert "forecast-views-figure" in page and '"fill": "toself"' in page
    assert "Backtest on the last 2" in page and "80 % band" in page
    csv = client.get(url, {"download": "forecast-views", "format": "csv", "horizon": 7})
    assert csv.status_code == 200
    assert b"".join(csv.streaming_content).decode().strip().count("\n") == 7  # header + 7 days
    account_page = client.get(
        reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": forecast_account.pk})
    )
    assert url in account_page.content.decode()


def test_it_says_when_no_forecast_was_computed(tenancy, login):
    account = make_account(tenancy.a1, external_id="new")
    client = login(tenancy.alice)
    url = reverse("analytics_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    assert "No forecast yet" in client.get(url).content.decode()
    api = client.get(reverse("api_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}))
    assert api.json()["forecasts"] == []


def test_it_keeps_nan_out_of_the_store(forecast_account, celery_eager):
    forecasts_refresh_account.delay(forecast_account.organization_id, forecast_account.pk)
    for forecast in stored(forecast_account).values():
        for point in forecast.points:
            assert all(v is None or math.isfinite(v) for k, v in point.items() if k != "date")
