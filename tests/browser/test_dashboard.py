"""The statistics pages in a real browser, at a desktop and a phone width: the numbers read right,
Plotly's partial bundle draws the charts after the page shows, nothing breaks the
Content-Security-Policy, and nothing scrolls sideways.

``SCREENSHOTS=1`` saves docs/screenshots/dashboard-<viewport>.png and account-<viewport>.png."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from analytics.models import Post
from analytics.tests.test_views import make_daily, make_post
from networks.tests.factories import make_account
from tests.browser.pages import has_horizontal_scroll, open_page, serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "?period=custom&start=2026-10-09&end=2026-11-07"


@pytest.fixture
def history(tenancy):
    """Sixty days of an X account and a Facebook page in workspace A1, posts every day or two."""
    x = make_account(tenancy.a1, network="x", external_id="100", name="Ville de Boulogne", handle="boulogne")
    fb = make_account(tenancy.a1, network="facebook", external_id="200", name="Boulogne-Billancourt", handle="bb")
    start = dt.date(2026, 9, 9)
    for n in range(60):
        day = start + dt.timedelta(days=n)
        make_daily(x, day, followers=20_000 + 15 * n + (n % 7) * 3, views=4_000 + 90 * (n % 9))
        make_daily(
            fb,
            day,
            followers=31_000 + 22 * n,
            follows=30 + n % 5,
            unfollows=8 + n % 3,
            views=9_000 + 140 * (n % 6),
            reach=6_500 + 100 * (n % 4),
        )
        published = dt.datetime.combine(day, dt.time(8 + n % 11), tzinfo=dt.UTC)
        make_post(
            x,
            f"x{n}",
            published,
            likes=20 + n % 13,
            comments=n % 4,
            shares=3 + n % 5,
            views=2_000 + 37 * n,
            hashtags=["Boulogne", "Sport"] if n % 3 == 0 else ["Boulogne"],
            text=f"Le point travaux n°{n} #Boulogne",
            content_type=("photo", "text", "video")[n % 3],
        )
        if n % 2:
            make_post(x, f"rt{n}", published + dt.timedelta(hours=3), kind="repost", original_metrics={"likes": 500})
            make_post(
                fb,
                f"fb{n}",
                published + dt.timedelta(hours=1),
                likes=80 + n,
                comments=5 + n % 6,
                shares=4,
                views=5_000 + 50 * n,
                reach=3_800 + 40 * n,
                clicks=30 + n % 10,
                text=f"Agenda du week-end {n}",
                content_type=("photo", "link", "carousel")[n % 3],
            )
    return x, fb


def wait_for_charts(page) -> None:
    """Charts draw when they come near the screen: bring each one there and wait for all."""
    charts = page.locator(".chart")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        page.wait_for_selector(f".chart >> nth={index} >> .main-svg")
    assert page.locator(".chart:not([data-drawn=true])").count() == 0


def test_it_reads_the_dashboard(tenancy, new_page, screenshot, viewport, history):
    url = reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    page, errors = open_page(new_page, viewport, tenancy.alice, url + PERIOD)
    assert page.locator("h1").inner_text() == "Statistics of A1"
    reach = page.locator("[data-kpi=reach] .kpi-value").inner_text()
    assert reach.replace(",", "").isdigit()  # Facebook reports reach; X alone would say "not available"
    clicks = page.locator("[data-kpi=clicks]")
    assert clicks.is_visible()
    wait_for_charts(page)
    assert not has_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"dashboard-{viewport}")
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    assert errors == []


def test_it_changes_the_period_without_reloading(tenancy, new_page, history):
    url = reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    page, errors = open_page(new_page, "desktop", tenancy.alice, url + PERIOD)
    page.evaluate("window.__marker = 1")
    page.select_option("#id_period", "7d")
    page.wait_for_url("**period=7d**")
    assert page.evaluate("window.__marker") == 1  # htmx swapped the body: no full page load
    assert page.input_value("#id_start") != "2026-10-09"  # the form came with the new body
    wait_for_charts(page)  # and the new figures were drawn
    # Typing a date makes the period custom.
    page.fill("#id_start", "2026-10-20")
    page.wait_for_url("**start=2026-10-20**")
    assert page.input_value("#id_period") == "custom"
    assert errors == []


def test_it_filters_and_sorts_the_posts_without_reloading(tenancy, new_page, history):
    x, _fb = history
    url = reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": x.pk})
    page, errors = open_page(new_page, "desktop", tenancy.alice, url + PERIOD)
    page.evaluate("window.__marker = 1")
    page.select_option("#id_type", "video")
    page.locator("#posts form.filters button[type=submit]").click()
    page.wait_for_url("**type=video**")
    assert page.locator("#posts tbody tr").count() == 10
    page.locator("#posts thead a").nth(1).click()  # most engagements first
    page.wait_for_url("**sort=-engagements**")
    assert "type=video" in page.url
    assert page.evaluate("window.__marker") == 1
    assert errors == []


def test_it_reads_the_account_page(tenancy, new_page, screenshot, viewport, history):
    x, _fb = history
    url = reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": x.pk})
    # Photos only: a shorter posts table keeps the full-page screenshot small.
    page, errors = open_page(new_page, viewport, tenancy.alice, url + PERIOD + "&type=photo")
    assert "Ville de Boulogne" in page.locator("h1").inner_text()
    assert page.locator("table.heatmap td.heat-5").count() >= 1
    assert page.locator("#top-posts tbody tr").count() == 5
    wait_for_charts(page)
    assert not has_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"account-{viewport}")
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    assert errors == []


def test_it_draws_a_posts_curve(tenancy, new_page, history):
    x, _fb = history
    with scope(organization=tenancy.org_a):
        post = Post.objects.get(organization=tenancy.org_a, account=x, external_id="x3")
        for hours, likes in ((1, 3), (24, 20), (168, 26)):
            post.snapshots.create(
                organization=tenancy.org_a, captured_at=post.published_at + dt.timedelta(hours=hours), likes=likes
            )
    url = reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": post.pk})
    page, errors = open_page(new_page, "phone", tenancy.alice, url)
    wait_for_charts(page)
    assert not has_horizontal_scroll(page)
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
