"""Smoke: a person logs in through the real form, lands on their organisation, switches language,
and the pages fit a phone, under a Content-Security-Policy without inline scripts."""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django_scopes import scopes_disabled

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import Organization, User
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST_PHONE = {"width": 360, "height": 740}
# A string of the organisation home (for an owner) that the French catalogue translates, once it exists.
HOME_STRING = "Next steps"


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_it_logs_in_and_switches_language(tenancy, new_page, log_in, viewport):
    page = new_page(viewport)
    log_in(page, tenancy.alice.email, PASSWORD)

    assert page.url.endswith(f"/o/{tenancy.org_a.slug}/")
    assert page.locator("h1").inner_text() == tenancy.org_a.name
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_text(HOME_STRING).is_visible()

    page.locator("form.lang button[value=fr]").click()
    page.wait_for_url(f"**/o/{tenancy.org_a.slug}/")
    assert page.get_attribute("html", "lang") == "fr"
    with translation.override("fr"):
        french = translation.gettext(HOME_STRING)
    # Until the French catalogue exists the text stays English; from then on it must show in French.
    assert page.get_by_text(french).is_visible()

    page.locator("form.lang button[value=en]").click()
    page.wait_for_url(f"**/o/{tenancy.org_a.slug}/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_text(HOME_STRING).is_visible()


def test_it_fits_the_narrowest_phone(tenancy, new_page):
    tenancy.org_a.name = "Ville de Boulogne-Billancourt"  # a real, long name for the header's switcher
    tenancy.org_a.save(update_fields=["name"])
    page = new_page("phone")
    page.set_viewport_size(NARROWEST_PHONE)
    page.goto("/accounts/login/")
    assert not has_horizontal_scroll(page)

    page = new_page("phone", user=tenancy.alice)
    page.set_viewport_size(NARROWEST_PHONE)
    page.goto(f"/o/{tenancy.org_a.slug}/")
    assert page.locator("h1").inner_text() == tenancy.org_a.name
    assert not has_horizontal_scroll(page)
    # One header row (the organisation name gives way), not a second row for the language buttons.
    assert page.locator("header.topbar").bounding_box()["height"] < 2 * 44
    page.locator("details.nav-menu > summary").click()  # the open menu must not widen the page either
    assert page.locator("details.nav-menu .menu-list").is_visible()
    assert not has_horizontal_scroll(page)


def test_it_forbids_inline_scripts_and_violates_no_csp(tenancy, new_page):
    page = new_page("desktop", user=tenancy.alice)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for path in ("/accounts/login/", f"/o/{tenancy.org_a.slug}/", "/profile/"):
        response = page.goto(path)
        assert response.ok, path
        policy = response.headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], path
    assert [text for text in console if "Content Security Policy" in text] == []


@pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="set SCREENSHOTS=1 to refresh docs/screenshots/")
def test_it_takes_the_readme_screenshots(new_page, log_in, screenshot):
    """The demo's agency, as its owner sees it (docs/screenshots/, linked from the README)."""
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        agency = Organization.objects.get(name="Agence LaRue")
        owner = User.objects.get(email="owner@agence.demo")
    for viewport in ("desktop", "phone"):
        page = new_page(viewport)
        page.goto("/accounts/login/")
        screenshot(page, f"login-{viewport}")
        log_in(page, owner.email, DEMO_PASSWORD)
        page.goto(f"/o/{agency.slug}/")
        screenshot(page, f"organization-home-{viewport}")
