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

from analytics.forecasting import engine, nowcast, slots
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
    assert client.get(url, {"horizon": "²"}).status_code == 400
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
    assert 'id="forecast-views-figure"' in page and "toself" in page  # the bands
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


# --- Expected engagement by slot, nowcast -------------------------------------------------------


def test_it_shrinks_a_slot_with_few_posts_towards_the_account_mean():
    rng = np.random.default_rng(3)
    rows = [(0, 9, "photo", float(v)) for v in np.round(100 * rng.lognormal(0, 0.6, 30))]  # well known
    rows += [(2, 18, "video", float(v)) for v in np.round(400 * rng.lognormal(0, 0.6, 30))]  # better
    rows += [(4, 12, "text", 5000.0)]  # one viral post alone in its slot
    table = slots.expected_by_slot(rows)
    by_key = {(s.weekday, s.hour, s.content_type): s for s in table.slots}
    lone = by_key[(4, 12, "text")]
    assert lone.expected < lone.observed  # pulled back towards the account's mean
    assert lone.high - lone.low > by_key[(2, 18, "video")].high - by_key[(2, 18, "video")].low
    assert table.best is not None and (table.best.weekday, table.best.hour) == (2, 18)
    assert table.best.low > table.account_expected


def test_it_names_no_best_slot_without_evidence():
    rows = [(d % 7, 10, "photo", 100.0 + (d % 3)) for d in range(20)]
    assert slots.expected_by_slot(rows).best is None
    assert slots.expected_by_slot([]).slots == []


def test_it_nowcasts_final_engagement_and_measures_its_error():
    start = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
    curves = []
    for i in range(20):
        final = 100.0 + 10 * i
        # A post gets half its final engagement in its first three hours.
        points = [(1.0, final * 0.3), (3.0, final * 0.5), (24.0, final * 0.9), (7 * 24 + 1.0, final)]
        curves.append(nowcast.Curve(start + dt.timedelta(days=i), points))
    models = nowcast.fit(curves)
    assert models[3].multiplier == pytest.approx(2.0, rel=0.05)
    assert models[3].mdape is not None and models[3].mdape < 0.05
    young = nowcast.Curve(start + dt.timedelta(days=40), [(1.0, 30.0), (3.0, 50.0)])
    guess = nowcast.nowcast(young, models, start + dt.timedelta(days=40, hours=4))
    assert guess.age == 3 and guess.expected == pytest.approx(100, rel=0.05)
    assert guess.low <= guess.expected <= guess.high
    assert nowcast.nowcast(young, models, start + dt.timedelta(days=40, minutes=30)) is None  # too young


def test_it_shows_slots_and_nowcasts_from_the_posts(tenancy, login):
    from analytics.tests.query_fixtures import make_post, make_snapshot

    account = make_account(tenancy.a1, external_id="posts")
    now = dt.datetime.now(dt.UTC)
    for i in range(8):
        published = now - dt.timedelta(days=20 + i, hours=i)
        post = make_post(account, f"old{i}", published, likes=100 + i, content_type="photo")
        for hours, likes in ((1, 30 + i), (3, 50 + i), (24 * 8, 100 + i)):
            make_snapshot(post, published + dt.timedelta(hours=hours), likes=likes)
    young = make_post(account, "young", now - dt.timedelta(hours=4), likes=40, text="Fresh news")
    make_snapshot(young, young.published_at + dt.timedelta(hours=3), likes=40)
    client = login(tenancy.alice)
    url = reverse("analytics_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    page = client.get(url).content.decode()
    assert "Known after" in page and "Fresh news" in page and "expected after 7 days" in page
    api = client.get(reverse("api_account_forecasts", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}))
    body = api.json()
    assert [a["age"] for a in body["nowcast"]["ages"]] == [1, 3, 6, 12, 24]
    assert body["nowcast"]["posts"][0]["post"] == young.pk
    assert body["slots"]["posts"] == 9


def test_it_computes_every_due_account_from_the_command(forecast_account):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("forecasts_refresh", stdout=out)
    assert "3 stored for 1 accounts" in out.getvalue()
    assert len(stored(forecast_account)) == 3
