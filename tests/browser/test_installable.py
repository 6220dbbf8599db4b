"""Over-Graph installs as an app: Chromium finds nothing missing (manifest, icons, service worker),
the service worker registers for the whole site, keeps only the app shell (never a page with
someone's data), shows the offline page without a network, and forgets everything at logout."""

import json

import pytest

from conftest import PASSWORD
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.browser.pages import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_FOR_WORKER = "navigator.serviceWorker.ready.then((registration) => registration.scope)"
CACHED_URLS = """async () => {
  const urls = [];
  for (const key of await caches.keys()) {
    for (const request of await (await caches.open(key)).keys()) { urls.push(new URL(request.url).pathname); }
  }
  return urls;
}"""


@pytest.fixture
def profile_page(browser_type, live_server, tmp_path):
    """A page of a browser with a real profile on disk: Chromium never offers to install from an
    incognito context, which is what ``browser.new_context()`` makes."""
    context = browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        **VIEWPORTS["phone"],
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def test_it_is_installable_and_registers_its_service_worker(tenancy, profile_page, live_server):
    # live_server is http://localhost:<port>: a secure context, as HTTPS is in production.
    page = profile_page
    page.goto("/accounts/login/")
    scope = page.evaluate(WAIT_FOR_WORKER)
    assert scope == f"{live_server.url}/"

    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert json.loads(manifest["data"])["name"] == "Over-Graph"


def test_it_caches_only_the_shell_and_falls_back_offline(tenancy, new_page, log_in):
    page = new_page("phone")
    log_in(page, tenancy.alice.email, PASSWORD)
    page.evaluate(WAIT_FOR_WORKER)
    page.reload()  # now controlled by the worker
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.goto(f"/o/{tenancy.org_a.slug}/")
    page.goto(f"/api/v1/organizations/{tenancy.org_a.slug}/")

    page.goto("/profile/")
    cached = page.evaluate(CACHED_URLS)
    assert "/offline/" in cached and "/static/css/app.css" in cached
    assert all(url.startswith("/static/") or url == "/offline/" for url in cached), cached

    page.context.set_offline(True)
    page.goto(f"/o/{tenancy.org_a.slug}/")
    assert page.locator("h1").inner_text() in ("You are offline", "Vous êtes hors ligne")
    assert tenancy.org_a.name not in page.content()
    page.context.set_offline(False)

    page.goto("/profile/")
    page.locator("details.nav-menu > summary").click()
    page.locator("form[data-logout] button").click()
    page.wait_for_load_state()
    wait_until(page, "caches.keys().then((keys) => keys.length === 0)")
