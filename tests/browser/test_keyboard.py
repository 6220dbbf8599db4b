"""Keyboard only (page.keyboard: Tab, Shift+Tab, Enter, Space, Escape, arrows), at a desktop and a
phone width: the skip link leads to the main content, the header's menu opens and closes, the
dashboard's period selector, table views and downloads work, the inbox's answer is typed and sent,
and the language switch changes the language.

After every Tab on a page with controls, focus sits on an element of the page (never lost to the
body) that shows it: an outline or a box shadow (WCAG 2.4.7, 2.4.11). Tabbing through a whole page
reaches its last control, in order, without being held anywhere (WCAG 2.1.2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from analytics.factstore import DatabaseFactStore
from analytics.tests.test_views import make_daily, make_post
from inbox.models import Direction, Message, Thread, ThreadKind
from inbox.tests.conftest import sim_account
from networks.models import SyncKind
from networks.sync.clock import set_network_now
from networks.sync.engine import account_sync
from networks.sync.factstore import register_fact_store
from networks.tests.factories import make_account
from tests.browser.pages import CSP_PROBE, open_page, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element, described, with whether it shows its focus; null when focus is on no element
# of the page (the body, or outside the document). Each element gets a number once, to spot cycles.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__kbIds = window.__kbIds || new WeakMap();
  if (!window.__kbIds.has(el)) window.__kbIds.set(el, (window.__kbNext = (window.__kbNext || 0) + 1));
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim();
  return {
    id: window.__kbIds.get(el),
    describe: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} "${label.slice(0, 40)}"`,
    shown: outline || shadow,
    sized: r.width > 0 && r.height > 0,
  };
}"""
# How many controls Tab can reach: shown, enabled, and not inside a closed <details> (its summary is).
TABBABLE = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
)].filter((el) => {
  if (el.disabled || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') return false;
  for (let d = el.closest('details:not([open])'); d; d = d.parentElement.closest('details:not([open])')) {
    if (!d.querySelector(':scope > summary').contains(el)) return false;
  }
  return true;
}).length"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab(page, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab): focus must land on an element of the page that shows it."""
    page.keyboard.press(key)
    now = focused(page)
    assert now is not None, f"{key}: focus lost (document.activeElement is the body)"
    assert now["shown"], f"{key}: focus not visible on {now['describe']}"
    assert now["sized"], f"{key}: focus on an invisible element {now['describe']}"
    return now


def tab_to(page, selector: str, limit: int = 60, key: str = "Tab") -> dict:
    """Tab until the element matching ``selector`` has focus, checking every stop on the way."""
    for _ in range(limit):
        now = tab(page, key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return now
    raise AssertionError(f"{selector} not reached in {limit} presses of {key}")


def tab_through(page) -> list[str]:
    """Tab from the top of the page to its last control: every stop visible, none repeated before
    the end (a cycle inside the page is a keyboard trap), and as many stops as the page has controls."""
    count = page.evaluate(TABBABLE)
    seen: dict[int, str] = {}
    last = None
    for _ in range(count + 20):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None and len(seen) >= count:
            return list(seen.values())  # past the last control: focus goes to the browser
        assert now is not None, f"focus lost after {list(seen.values())[-3:]}"
        assert now["shown"], f"focus not visible on {now['describe']}"
        if now["id"] == last:
            continue  # a date field's day, month, year and calendar button: one control, several stops
        assert now["id"] not in seen, f"keyboard trap: back to {now['describe']} after {len(seen)} stops"
        seen[now["id"]] = now["describe"]
        last = now["id"]
    raise AssertionError(f"{count} controls, {len(seen)} stops: {list(seen.values())[-5:]}")


@pytest.fixture
def dashboard(tenancy):
    """Thirty days of a Facebook page in workspace A1, a post a day."""
    account = make_account(tenancy.a1, network="facebook", external_id="kb1", name="Ville", handle="ville")
    today = dt.date(2026, 11, 30)
    for n in range(1, 31):
        day = today - dt.timedelta(days=n)
        make_daily(account, day, followers=30_000 + 20 * n, views=8_000 + 90 * (n % 7), reach=6_000 + 50 * (n % 5))
        published = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        make_post(account, f"kb{n}", published, likes=40 + n, comments=n % 5, shares=2, views=3_000 + 40 * n)
    return reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})


def open_dashboard(new_page, viewport, user, url):
    page, errors = open_page(new_page, viewport, user, url)
    page.wait_for_load_state("load")
    return page, errors


def test_it_skips_to_the_content_and_opens_the_menu(tenancy, new_page, viewport, dashboard):
    page, errors = open_dashboard(new_page, viewport, tenancy.alice, dashboard)
    skip = tab(page)
    assert page.evaluate("document.activeElement.matches('a.skip-link')"), skip
    assert page.locator("a.skip-link").bounding_box()["x"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    after = tab(page)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), after

    # Back up to the header's menu (a burger on a phone), open it, walk it, close it.
    tab_to(page, "details.nav-menu > summary", key="Shift+Tab")
    page.keyboard.press("Enter")
    assert page.locator("details.nav-menu .menu-list").is_visible()
    first = tab(page)
    assert page.evaluate("document.activeElement.closest('details.nav-menu .menu-list') !== null"), first
    page.keyboard.press("Escape")
    assert not page.locator("details.nav-menu .menu-list").is_visible()
    assert page.evaluate("document.activeElement.matches('details.nav-menu > summary')")
    page.keyboard.press(" ")  # Space opens it too
    assert page.locator("details.nav-menu .menu-list").is_visible()
    page.keyboard.press("Escape")
    assert page.evaluate("window.__cspViolations") == [] and errors == []


def test_it_reaches_every_dashboard_control_in_order(tenancy, new_page, viewport, dashboard):
    page, errors = open_dashboard(new_page, viewport, tenancy.alice, dashboard)
    stops = tab_through(page)
    assert any("id_period" in stop for stop in stops)
    assert '"API"' in stops[-1]  # the footer's last link
    assert errors == []


def test_it_operates_the_dashboard_and_switches_language(tenancy, new_page, viewport, dashboard):
    page, errors = open_dashboard(new_page, viewport, tenancy.alice, dashboard)
    # The period selector: arrows change it, htmx swaps the figures, focus stays on the selector.
    tab_to(page, "#id_period")
    page.evaluate("window.__marker = 1")
    before = page.input_value("#id_period")
    page.keyboard.press("ArrowDown")
    page.wait_for_url("**period=**")
    wait_until(page, "!document.querySelector('#stats-body.htmx-request, #stats-body.htmx-settling')")
    assert page.input_value("#id_period") != before
    assert page.evaluate("window.__marker") == 1  # swapped, not reloaded
    assert page.evaluate("document.activeElement.id") == "id_period", "focus lost by the swap"
    tab(page)
    tab(page, "Shift+Tab")

    # A chart's table view opens with Enter, and its scrolling table takes the focus next.
    tab_to(page, "details.chart-table > summary")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    tab(page)
    assert page.evaluate("document.activeElement.matches('.chart-table .table-scroll, .chart-table a')")

    # A download link works from the keyboard.
    tab_to(page, "p.downloads a[href*='format=csv']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")

    # The language switch, back up in the header.
    tab_to(page, "form.lang button[value=fr]", limit=120, key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.evaluate("window.__cspViolations") == [] and errors == []


@pytest.fixture
def message(tenancy, simulated_networks):
    register_fact_store(DatabaseFactStore())
    set_network_now(simulated_networks.now, frozen=True)
    account = sim_account(tenancy.a1, simulated_networks, "facebook")
    account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=[SyncKind.CONVERSATIONS])
    with scope(organization=tenancy.org_a):
        thread = (
            Thread.objects.filter(
                organization=tenancy.org_a,
                kind=ThreadKind.MESSAGE,
                last_inbound_at__gte=simulated_networks.now - dt.timedelta(hours=20),  # Messenger's window is open
            )
            .order_by("-last_inbound_at")
            .first()
        )
    yield thread
    set_network_now(None)


@pytest.mark.usefixtures("celery_eager")
def test_it_answers_from_the_inbox_with_the_keyboard(tenancy, new_page, message, simulated_networks):
    page = new_page("phone", user=tenancy.alice)
    page.add_init_script(CSP_PROBE)
    page.goto(reverse("inbox_thread", kwargs={"org": tenancy.org_a.slug, "thread_id": message.pk}))
    assert '"API"' in tab_through(page)[-1]
    tab_to(page, "#reply-text", limit=80, key="Shift+Tab")
    page.keyboard.type("Merci, c'est transmis.")
    tab_to(page, "button[value=reply]")
    page.keyboard.press("Enter")
    page.get_by_text("Answer sent.").wait_for()
    assert [s.text for s in simulated_networks.sim.inbox.sent] == ["Merci, c'est transmis."]
    with scope(organization=tenancy.org_a):
        assert Message.objects.filter(thread=message, direction=Direction.OUT, sent_by=tenancy.alice).count() == 1
    assert page.evaluate("window.__cspViolations") == []
