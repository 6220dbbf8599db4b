"""Every main page (tests/walk.py, demo-like data) in a real browser, at a phone (390x844) and a
desktop width: axe-core finds no serious or critical accessibility problem, nothing scrolls sideways
at 360 px, and the primary controls are big enough for a thumb.

Touch-target rule checked (WCAG 2.5.8 asks 24 px; we hold the 44 px of WCAG 2.5.5 / Apple / Material
for primary controls): at the phone width, every visible link, button and menu summary of the header
and navigation, and every visible button, select, text field and submit of a form in the page, is at
least 44 px tall and 44 px wide. A checkbox or radio counts through its label (the label is the
target). Links inside running text and table cells are exempt, as WCAG's "inline" exception says.

``SCREENSHOTS=1`` saves what the screen shows of the main pages, docs/screenshots/pages/<page>-<viewport>.jpg
(linked from the README; JPEG at CSS pixels, to keep the repository small)."""

import os
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS_DIR, VIEWPORTS
from tests.walk import walk_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST_PHONE = {"width": 360, "height": 740}
TAP = 44
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
SMALL_TARGETS = """(tap) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const describe = (el, r) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40);
    return `${(el.closest('nav, form') || {}).className || ''} ${el.tagName.toLowerCase()} "${text}" `
      + `${Math.round(r.width)}x${Math.round(r.height)}`;
  };
  const selectors = [
    'header.topbar a', 'header.topbar button', 'header.topbar summary', 'nav a', 'nav button',
    'main form button', 'main form select', 'main form input[type=submit]',
    'main form input[type=text]', 'main form input[type=email]', 'main form input[type=search]',
    'main form input[type=password]', 'main form input[type=number]', 'main form input[type=date]',
    'main form textarea',
  ];
  const small = [];
  for (const el of document.querySelectorAll(selectors.join(','))) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < tap - 0.5 || r.width < tap - 0.5) small.push(describe(el, r));
  }
  for (const box of document.querySelectorAll('main form input[type=checkbox], main form input[type=radio]')) {
    if (!visible(box)) continue;
    const label = box.closest('label') || (box.id && document.querySelector(`label[for="${box.id}"]`));
    const r = (label || box).getBoundingClientRect();
    if (r.height < tap - 0.5) small.push(describe(label || box, r));
  }
  return small;
}"""


PAGE_SCREENSHOTS = SCREENSHOTS_DIR / "pages"
# The pages shown in the README (the walk visits more).
SCREENSHOT_PAGES = {
    "organization-home",
    "dashboard",
    "account",
    "post",
    "agency-overview",
    "inbox",
    "inbox-thread",
    "listening",
    "listening-welcome",
    "campaign-gallery",
    "campaign-picks",
    "contest",
    "reports",
    "report",
}


def screenshot(page, name: str, viewport: str) -> None:
    if os.environ.get("SCREENSHOTS") != "1" or name not in SCREENSHOT_PAGES:
        return
    PAGE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # charts drawn after the first paint
    page.screenshot(path=str(PAGE_SCREENSHOTS / f"{name}-{viewport}.jpg"), type="jpeg", quality=72, scale="css")


def fits_after_reflow(page, seconds: float = 3.0) -> bool:
    """No sideways scroll, once charts had the time to redraw at the new width (polled from here:
    the page's Content-Security-Policy forbids the eval behind Playwright's wait_for_function)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(FITS):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


def serious_accessibility_problems(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['html'][:160]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_it_walks_every_page_accessible_and_fitting(tenancy, new_page, viewport):
    walk = walk_data(tenancy)
    page = new_page(viewport, user=tenancy.alice)
    problems = {}
    for name, url in walk.pages.items():
        response = page.goto(url)
        assert response.ok, (name, url, response.status)
        page.wait_for_load_state("load")
        found = serious_accessibility_problems(page)
        if viewport == "phone":
            found += [f"touch target < {TAP}px: {t}" for t in page.evaluate(SMALL_TARGETS, TAP)]
            screenshot(page, name, viewport)
            # Narrower still: the page reflows and the charts follow (Plotly redraws on resize).
            page.set_viewport_size(NARROWEST_PHONE)
            if not fits_after_reflow(page):
                found.append("scrolls sideways at 360 px")
            page.set_viewport_size(VIEWPORTS["phone"]["viewport"])
        else:
            screenshot(page, name, viewport)
        if found:
            problems[name] = found
    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
