"""Campaigns in a real browser: the CM picks the photo of the day on a phone (the credit line is
ready), then a resident votes on the public contest page (htmx swaps the button, no login), and a
second click on the same photo is refused. Both pages stay within the strict CSP and the phone's
width."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from campaigns.models import DailyPick, Vote
from campaigns.tests.factories import granted, make_campaign
from tests.browser.pages import CSP_PROBE, serious_accessibility_problems, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(tenancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.now()
    campaign = make_campaign(
        tenancy.a1,
        name="InstaBoulogne",
        contest_opens_at=now - dt.timedelta(days=1),
        contest_closes_at=now + dt.timedelta(days=7),
    )
    granted(campaign, author="marie.b92", in_contest=True, likes=50)
    granted(campaign, author="paul_photo", in_contest=True, likes=1)  # fewer likes, whatever the factory count
    return campaign


def test_it_picks_the_photo_of_the_day_then_a_resident_votes(tenancy, campaign, new_page, screenshot):
    page = new_page("phone", user=tenancy.alice)
    page.add_init_script(CSP_PROBE)
    day = timezone.localdate() + dt.timedelta(days=1)
    picks = reverse("campaign_picks", kwargs={"org": tenancy.org_a.slug, "campaign_id": campaign.pk})
    page.goto(f"{picks}?day={day.isoformat()}")
    page.locator("[data-testid=pick]").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=credit]").inner_text() == "📷 @marie.b92 — #InstaBoulogne"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(page) == []
    screenshot(page, "campaign-photo-of-the-day-phone")
    with scope(organization=tenancy.org_a):
        assert DailyPick.objects.get(campaign=campaign).day == day

    resident = new_page("phone")  # no login
    resident.add_init_script(CSP_PROBE)
    resident.goto(reverse("contest_vote_page", kwargs={"key": campaign.public_key}))
    # The photo is served by our own route (the network's URL expired long ago).
    wait_until(resident, "document.querySelector('.vote-card img').naturalWidth > 0")
    resident.locator(".vote-button").first.click()
    resident.get_by_text("Thank you, your vote counts!").wait_for()
    assert resident.locator(".vote-card .voted").count() == 1
    # The same browser coming back sees its vote, and cannot vote for that photo again.
    resident.reload()
    assert resident.locator(".vote-card .voted").count() == 1 and resident.locator(".vote-button").count() == 1
    assert resident.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert resident.evaluate("window.__cspViolations") == []
    assert serious_accessibility_problems(resident) == []
    screenshot(resident, "campaign-contest-vote-phone")
    with scopes_disabled():
        assert Vote.objects.filter(campaign=campaign).count() == 1
