"""What the browser tests ask of any page: no Content-Security-Policy violation, no sideways scroll,
no serious accessibility problem, and a way to wait for a condition that the CSP allows."""

import time

from axe_playwright_python.sync_playwright import Axe

CSP_PROBE = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def open_page(new_page, viewport, user, url):
    page = new_page(viewport, user=user)
    page.add_init_script(CSP_PROBE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical findings (colour contrast, names, landmarks…)."""
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in violations if v["impact"] in ("serious", "critical")]


def wait_until(page, expression: str, seconds: float = 10.0) -> None:
    """Poll a JavaScript expression from here until it is true. Playwright's wait_for_function
    re-evaluates its predicate with eval() after the first try, which our script-src 'self' forbids:
    it passes only when the condition already holds on the first try."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds:.0f} s: {expression}")
        page.wait_for_timeout(100)
