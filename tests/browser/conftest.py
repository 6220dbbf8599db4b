"""Browser tests: Playwright (from PyPI) driving Debian's Chromium against pytest-django's live server.

Mark tests ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)`` (the live server
runs in another thread: it only sees committed rows). They are skipped when /usr/bin/chromium is
missing (``apt-get install chromium``; `.ci/run` installs it). Playwright's own browser downloads
are never used.

Fixtures:

* ``new_page(viewport="desktop" | "phone", user=None, language="en")`` opens a page in a fresh
  browser context (desktop 1280x800; phone 390x844, touch, mobile) whose relative URLs go to the
  live server; with ``user`` it is already logged in (session cookie, no form).
* ``viewport``: parametrises a test over both viewports.
* ``log_in(page, email, password)`` goes through the real login form.
* ``screenshot(page, name)`` saves ``docs/screenshots/<name>.png`` only when ``SCREENSHOTS=1``
  (CI must not rewrite tracked files).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told it is safe (it is: the loop only waits on the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium's background lookups of Google hosts would fail anyway (no internet): fail them at once.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


def session_cookie_for(user, url: str) -> dict:
    """A logged-in session for ``user``, made by Django's test client, as a Playwright cookie."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def new_page(browser, live_server, browser_context_args) -> Iterator[Callable]:
    contexts = []

    def _new_page(viewport: str = "desktop", *, user=None, language: str = "en"):
        context = browser.new_context(
            **{**browser_context_args, **VIEWPORTS[viewport]},
            base_url=live_server.url,
            locale=language,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie_for(user, live_server.url)])
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def log_in() -> Callable:
    def _log_in(page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    return _log_in


@pytest.fixture
def screenshot() -> Callable:
    def _screenshot(page, name: str) -> Path | None:
        if os.environ.get("SCREENSHOTS") != "1":
            return None
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _screenshot
