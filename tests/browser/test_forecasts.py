"""The account page's forecasts in a real browser: the partial loads after the page, Plotly draws
the band (history, forecast, 80 % and 95 % areas) with the backtest error in the card, the horizon
changes without a reload, nothing breaks the Content-Security-Policy or scrolls sideways.

``SCREENSHOTS=1`` saves docs/screenshots/forecasts-<viewport>.png."""

import pytest
from django.urls import reverse

from analytics.forecasting.tasks import forecasts_refresh_account
from analytics.tests.factories import make_account
from analytics.tests.test_forecasting import make_history
from tests.browser.pages import has_horizontal_scroll, open_page, serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forecast_account(tenancy):
    account = make_account(tenancy.a1, external_id="fc")
    make_history(account, 150)
    forecasts_refresh_account(account.organization_id, account.pk)
    return account


def test_it_draws_the_forecast_band_on_the_account_page(tenancy, new_page, screenshot, viewport, forecast_account):
    url = reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": forecast_account.pk})
    page, errors = open_page(new_page, viewport, tenancy.alice, url)
    card = page.locator("#forecast-views")
    card.scroll_into_view_if_needed()
    page.wait_for_selector("#forecast-views .main-svg")
    assert "Backtest on the last" in card.inner_text()
    # History, the two bands and the forecast line.
    assert page.locator("#forecast-views .scatterlayer .trace").count() == 4
    assert not has_horizontal_scroll(page)
    screenshot(page, f"forecasts-{viewport}")
    page.evaluate("window.__marker = 1")
    page.locator("#forecasts-body a", has_text="7 days").click()
    page.wait_for_selector("#forecasts-body strong[aria-current]:has-text('7 days')")
    assert page.evaluate("window.__marker") == 1  # swapped by htmx, no reload
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    assert errors == []
