"""Listening in a real browser, at a desktop and a phone width: a CM creates a watch for new
residents (X and Instagram, from the simulator), reads what it found and its cost, sees the
listening dashboard's charts drawn, and answers from the "to welcome" queue — one post on X from
the app, one Instagram post copied by hand — under the Content-Security-Policy, without scrolling
sideways."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from listening.models import WelcomeItem
from listening.tests.factories import ig_account, x_account
from tests.browser.pages import CSP_PROBE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_listens_and_welcomes_new_residents(tenancy, new_page, viewport, simulated_networks, celery_eager):
    x_account(tenancy.a1, simulated_networks)
    ig_account(tenancy.a1, simulated_networks)
    org = tenancy.org_a.slug
    page = new_page(viewport, user=tenancy.alice)
    page.add_init_script(CSP_PROBE)

    page.goto(reverse("listening_home", kwargs={"org": org}))
    assert page.get_by_text("Facebook has no public search").first.is_visible()
    page.goto(reverse("listening_watch_create", kwargs={"org": org, "workspace_id": tenancy.a1.pk}))
    page.fill("#id_name", "Nouveaux habitants")
    page.fill("#id_rule", "#Déménagement AND (Boulogne OR Boulbi)")
    page.check("input[name=networks][value=x]")
    page.check("input[name=networks][value=instagram]")
    page.check("#id_welcome")
    page.fill("#id_reply_fr", "Bienvenue à Boulogne-Billancourt {author} !")
    page.fill("#id_reply_en", "Welcome to Boulogne-Billancourt {author}!")
    page.get_by_role("button", name="Create the watch").click()
    # The first collection ran on commit (Celery eager): the watch page lists what it found.
    page.wait_for_selector("h1:has-text('Nouveaux habitants')")
    assert page.locator(".hit").count() > 0
    assert page.get_by_text("What this watch costs").is_visible()
    assert no_sideways_scroll(page)

    page.goto(reverse("listening_dashboard", kwargs={"org": org, "workspace_id": tenancy.a1.pk}))
    page.wait_for_selector("#volume .chart[data-drawn=true]", timeout=20_000)
    assert no_sideways_scroll(page)

    page.goto(reverse("listening_welcome", kwargs={"org": org}))
    reply = page.locator(".welcome-list li:has(button:has-text('Reply on X'))").first
    item_id = reply.get_attribute("id")
    reply.get_by_role("button", name="Reply on X").click()
    page.wait_for_selector("text=Reply posted on X and marked done.")
    manual = page.locator(".welcome-list li:has(button:has-text('Copy the reply'))").first
    assert (
        "Instagram does not allow comments" in manual.inner_text() or "X only lets the app reply" in manual.inner_text()
    )
    assert manual.get_by_role("link", name="Open on the network").get_attribute("target") == "_blank"
    manual.get_by_role("button", name="Mark done").click()
    page.wait_for_load_state()
    assert no_sideways_scroll(page)
    assert page.evaluate("window.__cspViolations") == []

    with scopes_disabled():
        replied = WelcomeItem.objects.get(pk=int(item_id.removeprefix("item-")))
        assert replied.status == WelcomeItem.Status.DONE and replied.reply_external_id
        assert WelcomeItem.objects.filter(status=WelcomeItem.Status.DONE).count() == 2
    assert simulated_networks.sim.inbox.replies_to(replied.hit.external_id)
