"""Spike alerts: the seasonal baseline, the stored and announced alerts, the page and the API."""

import datetime as dt
import math
import random
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from analytics import spikes
from analytics.models import SpikeAlert, SpikeSettings
from analytics.services.spikes import spikes_detect, spikes_detect_organization
from analytics.spikes_measured import FALSE_ALARMS

DAY = dt.date(2026, 11, 16)  # a Monday
SHARED_SERIES = Path(__file__).resolve().parents[3] / "shared" / "benchdata" / "forecast" / "all_daily_series.csv"


def weekly_series(end: dt.date, days: int = 70, *, seed: int = 1, weekend: float = 3.0, weekday: float = 20.0):
    """Messages per day: busy weekdays, quiet weekends, Poisson-like noise."""
    rng = random.Random(seed)
    series = {}
    for i in range(days):
        day = end - dt.timedelta(days=days - 1 - i)
        mean = weekend if day.weekday() >= 5 else weekday
        series[day] = float(max(0, round(rng.gauss(mean, math.sqrt(mean)))))
    return series


def test_it_expects_the_usual_level_of_the_weekday():
    series = weekly_series(DAY)
    monday = spikes.baseline(series, DAY)
    sunday = spikes.baseline(series, DAY - dt.timedelta(days=1))
    assert 15 < monday.expected < 25
    assert sunday.expected < 6


def test_it_alerts_on_a_day_far_above_its_baseline():
    series = weekly_series(DAY)
    series[DAY] = 80.0
    detection = spikes.detect(series, DAY)
    assert detection.is_spike
    assert detection.score > 4.5


def test_it_does_not_alert_on_a_busy_monday_after_a_quiet_weekend():
    series = weekly_series(DAY)
    series[DAY] = 24.0
    assert not spikes.detect(series, DAY).is_spike


def test_it_does_not_alert_on_falls():
    series = weekly_series(DAY)
    series[DAY] = 0.0
    assert not spikes.detect(series, DAY).is_spike


def test_it_says_nothing_without_three_weeks_of_history():
    series = weekly_series(DAY, days=15)
    series[DAY] = 500.0
    assert spikes.detect(series, DAY) is None
    assert spikes.detect({}, DAY) is None


def test_it_reads_negative_shares_with_an_absolute_margin():
    series = {DAY - dt.timedelta(days=i): 0.1 + 0.02 * (i % 3) for i in range(1, 60)}
    series[DAY] = 0.45
    assert spikes.detect(series, DAY, kind="share").is_spike
    series[DAY] = 0.17
    assert not spikes.detect(series, DAY, kind="share").is_spike


def test_it_follows_a_trend_instead_of_alerting_on_it():
    series = {DAY - dt.timedelta(days=i): 100.0 + 2 * (60 - i) for i in range(60)}
    assert not spikes.scan(series, start=DAY - dt.timedelta(days=20))


def test_it_is_more_sensitive_when_asked():
    series = weekly_series(DAY)
    series[DAY] = 36.0
    assert spikes.detect(series, DAY, sensitivity="high").is_spike
    assert not spikes.detect(series, DAY, sensitivity="low").is_spike


def test_it_counts_a_storm_of_several_days_once():
    series = weekly_series(DAY)
    for i in range(3):
        series[DAY - dt.timedelta(days=i)] = 90.0
    found = spikes.scan(series, start=DAY - dt.timedelta(days=5))
    assert len(found) >= 2
    assert len(spikes.incidents(found)) == 1


def test_it_rejects_an_unknown_series_kind():
    with pytest.raises(ValueError, match="unknown series kind"):
        spikes.register_series_source(spikes.SeriesSource("x", "X", dict, list, kind="ratio"))


@pytest.fixture
def storm_source():
    """A registered series with a storm on DAY, for workspace A1 only."""
    calls = []

    def daily(organization, workspace, start, end):
        calls.append((workspace.name, start, end))
        series = weekly_series(end, days=(end - start).days + 1)
        if workspace.name == "A1":
            series[DAY] = 120.0
        return series

    def drivers(organization, workspace, day):
        return [{"kind": "post", "label": "Fermeture de la piscine", "url": "https://example.com/p/1", "count": 64}]

    source = spikes.SeriesSource("test.inbound", "Messages received", daily, drivers)
    spikes.register_series_source(source)
    yield calls
    spikes.unregister_series_source("test.inbound")


def test_it_stores_an_alert_with_its_drivers_and_notifies_once(tenancy, storm_source):
    with scope(organization=tenancy.org_a):
        created = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=DAY)
        again = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=DAY)
        quiet = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a2, day=DAY)
    assert len(created) == 1 and again == [] and quiet == []
    alert = created[0]
    assert alert.source_key == "test.inbound" and alert.observed == 120.0
    assert alert.drivers[0]["label"] == "Fermeture de la piscine"
    with scopes_disabled():
        notifications = list(Notification.objects.filter(kind="spike"))
    # alice (owner) only: bob is an analyst and dana a client; they read the page.
    assert [n.user for n in notifications] == [tenancy.alice]
    assert "A1" in notifications[0].title
    assert notifications[0].url == reverse("analytics_spikes", args=[tenancy.org_a.slug, tenancy.a1.pk])


def test_it_ignores_a_negative_share_on_a_quiet_day(tenancy, storm_source):
    def share(organization, workspace, start, end):
        days = (end - start).days + 1
        return {**{start + dt.timedelta(days=i): 0.1 for i in range(days)}, DAY: 0.9}

    def few(organization, workspace, start, end):
        return {start + dt.timedelta(days=i): 3.0 for i in range((end - start).days + 1)}

    sources = [
        spikes.SeriesSource("test.few", "Few", few, lambda *args: []),
        spikes.SeriesSource(
            "test.busy_share", "Busy", share, lambda *args: [], kind="share", volume_key="test.inbound"
        ),
        spikes.SeriesSource("test.quiet_share", "Quiet", share, lambda *args: [], kind="share", volume_key="test.few"),
    ]
    for source in sources:
        spikes.register_series_source(source)
    try:
        with scope(organization=tenancy.org_a):
            created = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=DAY)
    finally:
        for source in sources:
            spikes.unregister_series_source(source.key)
    keys = {a.source_key for a in created}
    assert "test.busy_share" in keys  # 120 messages that day
    assert "test.quiet_share" not in keys  # 3 messages: a share of them means nothing


def test_it_keeps_going_when_a_source_fails(tenancy, storm_source):
    def broken(*args):
        raise RuntimeError("boom")

    spikes.register_series_source(spikes.SeriesSource("test.broken", "Broken", broken, broken))
    try:
        with scope(organization=tenancy.org_a):
            created = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=DAY)
    finally:
        spikes.unregister_series_source("test.broken")
    assert [a.source_key for a in created] == ["test.inbound"]


def test_it_checks_every_workspace_of_an_organisation(tenancy, storm_source):
    assert spikes_detect_organization(organization=tenancy.org_a, day=DAY) == 1
    assert {call[0] for call in storm_source} == {"A1", "A2"}


def test_it_uses_the_workspace_sensitivity(tenancy, storm_source):
    with scope(organization=tenancy.org_a):
        SpikeSettings.objects.create(organization=tenancy.org_a, workspace=tenancy.a1, sensitivity="low")
        [alert] = spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=DAY)
    assert alert.sensitivity == "low"


def test_it_lists_alerts_and_the_measured_false_alarm_rate(tenancy, login, storm_source, django_assert_max_num_queries):
    spikes_detect_organization(organization=tenancy.org_a, day=DAY)
    client = login(tenancy.bob)
    url = reverse("analytics_spikes", args=[tenancy.org_a.slug, tenancy.a1.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fermeture de la piscine" in body
    assert str(FALSE_ALARMS["medium"]["real_per_series_month"]) in body
    assert "Alert sensitivity" not in body  # bob reads only


def test_it_saves_the_sensitivity_from_the_page(tenancy, login):
    client = login(tenancy.alice)
    url = reverse("analytics_spikes", args=[tenancy.org_a.slug, tenancy.a1.pk])
    response = client.post(url, {"sensitivity": "high"})
    assert response.status_code == 302
    with scopes_disabled():
        assert SpikeSettings.objects.get(workspace=tenancy.a1).sensitivity == "high"
    assert client.post(url, {"sensitivity": "extreme"}).status_code == 200  # the form says why


def test_it_serves_alerts_and_sensitivity_in_the_api(tenancy, login, storm_source):
    spikes_detect_organization(organization=tenancy.org_a, day=DAY)
    client = login(tenancy.alice)
    url = reverse("api_workspace_spike_alerts", args=[tenancy.org_a.slug, tenancy.a1.pk])
    data = client.get(url).json()
    assert data["sensitivity"] == "medium"
    assert data["alerts"][0]["series"] == "test.inbound"
    assert data["alerts"][0]["drivers"][0]["count"] == 64
    assert data["false_alarms"] == FALSE_ALARMS["medium"]
    response = client.patch(url, {"sensitivity": "loud"}, content_type="application/json")
    assert response.status_code == 400
    assert client.patch(url, {"sensitivity": "low"}, content_type="application/json").json()["sensitivity"] == "low"


def test_it_states_the_measured_false_alarm_rates():
    """The simulator replay is deterministic: the numbers shown in the UI are the measured ones."""
    from analytics.spikes_evaluation import simulator_rates

    for rate in simulator_rates():
        measured = FALSE_ALARMS[rate.sensitivity]
        assert round(30 * rate.per_1000_days / 1000, 3) == measured["simulator_per_series_month"]
        assert round(100 * rate.events_found / rate.events, 1) == measured["simulator_recall_percent"]


@pytest.mark.skipif(not SHARED_SERIES.exists(), reason="../shared/benchdata is absent (real series not available)")
def test_it_measures_false_alarms_on_real_series():
    from analytics.spikes_evaluation import real_series_rates

    rates = {r.sensitivity: r for r in real_series_rates(SHARED_SERIES, last_days=365)}
    assert rates["low"].false_alarms <= rates["medium"].false_alarms <= rates["high"].false_alarms
    assert rates["low"].per_1000_days < 10


def test_it_replays_detection_for_the_demo(tenancy, storm_source, monkeypatch):
    from django.core.management import call_command

    from analytics.services import spikes as spike_services

    monkeypatch.setattr(spike_services, "local_yesterday", lambda organization, now=None: DAY)
    monkeypatch.setattr("analytics.management.commands.seed_demo_spikes.local_yesterday", lambda organization: DAY)
    call_command("seed_demo_spikes", "--days", "3")
    call_command("seed_demo_spikes", "--days", "3")  # idempotent
    with scopes_disabled():
        assert list(SpikeAlert.objects.values_list("workspace__name", "day")) == [("A1", DAY)]


def test_it_checks_each_organisation_early_in_its_local_morning(tenancy, storm_source, celery_eager, monkeypatch):
    from analytics import tasks
    from analytics.services import spikes as spike_services

    checked = []
    monkeypatch.setattr(
        spike_services,
        "spikes_detect_organization",
        lambda *, organization, day=None: checked.append(organization.slug) or 0,
    )
    # 02:30 in Paris (both organisations' zone): due.
    monkeypatch.setattr(tasks.timezone, "now", lambda: dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC))
    assert tasks.spikes_detect_dispatch() == 2
    assert sorted(checked) == sorted([tenancy.org_a.slug, tenancy.org_b.slug])
    # 15:00 in Paris: nobody is due.
    monkeypatch.setattr(tasks.timezone, "now", lambda: dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC))
    assert tasks.spikes_detect_dispatch() == 0
