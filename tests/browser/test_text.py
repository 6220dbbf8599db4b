"""What people say and the spike alerts in a real browser, at desktop and phone widths: the
sentiment chart draws, topics show their example messages, the alerts table lists a storm with
its drivers and the measured false-alarm rate; no CSP violation, no sideways scroll, no serious
accessibility problem.

``SCREENSHOTS=1`` saves docs/screenshots/voice-<viewport>.png and spikes-<viewport>.png."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from analytics import spikes
from analytics.services.spikes import spikes_detect
from analytics.tests.test_spikes import weekly_series
from analytics.tests.test_voice import MESSAGES
from analytics.text import sources as text_sources
from analytics.text.sources import TextRow, TextSource
from analytics.views.base import local_today
from tests.browser.pages import has_horizontal_scroll, open_page, serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chatter(tenancy):
    def rows(organization, workspace, start, end, limit):
        today = local_today(organization)
        found = [
            TextRow(today - dt.timedelta(days=i % 5), text, sentiment, score, "Alex", "")
            for i, (text, sentiment, score) in enumerate(MESSAGES)
        ]
        return [r for r in found if start <= r.day <= end][:limit]

    text_sources.register_text_source(TextSource("test.messages", "Messages", rows))
    yield
    text_sources.unregister_text_source("test.messages")


@pytest.fixture
def storm(tenancy):
    day = dt.date(2026, 11, 16)

    def daily(organization, workspace, start, end):
        return {**weekly_series(end, days=(end - start).days + 1), day: 120.0}

    def drivers(organization, workspace, when):
        return [{"kind": "post", "label": "Fermeture de la piscine", "url": "", "count": 64}]

    spikes.register_series_source(spikes.SeriesSource("test.inbound", "Messages received", daily, drivers))
    with scope(organization=tenancy.org_a):
        spikes_detect(organization=tenancy.org_a, workspace=tenancy.a1, day=day)
    yield
    spikes.unregister_series_source("test.inbound")


def test_it_shows_what_people_say(tenancy, new_page, screenshot, viewport, chatter):
    url = reverse("analytics_voice", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    page, errors = open_page(new_page, viewport, tenancy.alice, url)
    page.locator("#sentiment").scroll_into_view_if_needed()
    page.wait_for_selector("#sentiment .main-svg")
    assert "piscine municipale" in page.locator("#topics-title + ul").inner_text()
    assert "inadmissible" in page.inner_text("body")
    assert not has_horizontal_scroll(page)
    screenshot(page, f"voice-{viewport}")
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    assert errors == []


def test_it_lists_spike_alerts(tenancy, new_page, screenshot, viewport, storm):
    url = reverse("analytics_spikes", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    page, errors = open_page(new_page, viewport, tenancy.alice, url)
    body = page.inner_text("body")
    assert "Fermeture de la piscine (64)" in body
    assert "per series per month" in body
    page.select_option("select[name=sensitivity]", "high")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Alert sensitivity saved.")
    assert not has_horizontal_scroll(page)
    screenshot(page, f"spikes-{viewport}")
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    assert errors == []
