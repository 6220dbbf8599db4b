"""The community manager's day, end to end, through the UI only, against the live app served with
the network simulator, at a desktop and a phone viewport, in French and in English (4 runs).

A CM who belongs to two organisations switches the interface's language with the header's buttons,
logs in through the form, switches organisation, connects a Facebook page (the real OAuth round
trip through the simulator's consent screen), reads the statistics (charts drawn, figures shown),
answers a comment from the inbox (the answer reaches the simulator), picks the photo of the day,
builds a report and downloads its PDF; a resident then votes on the public contest page, without
an account. After every step: no Content-Security-Policy violation, no script error, and nothing
scrolls sideways at the phone's width.

Arranged outside the UI, because no user makes them: the people and organisations, the simulated
network's content and the campaign's collected Instagram photos. Celery runs inline: the history
sync that connecting queues, and the report's build, are done before the next page shows.

``SCREENSHOTS=1`` saves each step's screen, docs/screenshots/flows/<step>-<viewport>.jpg (French
runs only: one set per size, linked from the README)."""

import datetime as dt
import io
import os
import subprocess
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled
from PIL import Image, ImageDraw

from accounts.models import Role
from analytics.factstore import DatabaseFactStore
from campaigns.models import DailyPick, Vote
from campaigns.tests.factories import granted, make_campaign
from conftest import PASSWORD, add_member
from networks.simulator.world import BOULOGNE, VIRGINIE
from networks.sync.clock import set_network_now
from networks.sync.factstore import register_fact_store
from tests.browser.conftest import SCREENSHOTS_DIR
from tests.browser.pages import CSP_PROBE, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOW_SCREENSHOTS = SCREENSHOTS_DIR / "flows"
INLINE_TASK_TIMEOUT_MS = 60_000
# A French town's browser; the organisation's language is English (tenancy): whatever the run's
# language, some pages show the other one until the switch is used.
BROWSER_LANGUAGE = "fr"
ANSWER = "Merci, nous transmettons au service concerné."


class Flow:
    """One person's browser tab, checked after every step."""

    def __init__(self, page, viewport: str, language: str) -> None:
        self.page, self.viewport, self.language = page, viewport, language
        self.errors: list[str] = []
        self.csp: list[str] = []
        page.add_init_script(CSP_PROBE)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Violations are reported on the console too: this catches one on a page left before its check.
        page.on("console", lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None)

    def t(self, text: str) -> str:
        with translation.override(self.language):
            return translation.gettext(text)

    def check(self, step: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], step
        assert self.csp == [], step
        assert self.errors == [], step
        assert page.get_attribute("html", "lang") == self.language, step
        if self.viewport == "phone":
            # Charts redraw at the page's width after the first paint: poll until they have.
            wait_until(page, "document.documentElement.scrollWidth <= window.innerWidth", 3)
        if os.environ.get("SCREENSHOTS") == "1" and self.language == "fr":
            FLOW_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = FLOW_SCREENSHOTS / f"{step}-{self.viewport}.jpg"
            page.screenshot(path=str(path), type="jpeg", quality=72, scale="css")

    def menu(self, href: str) -> None:
        """Open the header's menu (a burger on a phone) and follow one of its links."""
        self.page.locator("details.nav-menu > summary").click()
        self.page.locator(f"details.nav-menu a[href='{href}']").click()
        self.page.wait_for_load_state()


def landscape(sky: tuple[int, int, int], ground: tuple[int, int, int]) -> bytes:
    """A small picture for the contest (a sky, a sun, hills), so the screenshots show photos."""
    image = Image.new("RGB", (480, 480), sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((330, 60, 410, 140), fill=(255, 220, 110))
    draw.polygon([(0, 330), (160, 250), (320, 320), (480, 240), (480, 480), (0, 480)], fill=ground)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def quick_reports(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")  # the same charts, without a second browser


@pytest.fixture
def day(tenancy, simulated_networks, settings, live_server):
    """Alice, owner of organisation A, is also an admin of organisation B, where she was last; A1
    runs a photo campaign with two contest entries."""
    settings.SITE_URL = live_server.url  # the OAuth callbacks come back to the live server
    register_fact_store(DatabaseFactStore())
    set_network_now(simulated_networks.now, frozen=True)
    add_member(tenancy.org_b, tenancy.alice, Role.ADMIN)
    with scopes_disabled():
        tenancy.alice.last_organization = tenancy.org_b
        tenancy.alice.save(update_fields=["last_organization"])
    now = timezone.now()
    campaign = make_campaign(
        tenancy.a1,
        name="InstaBoulogne",
        contest_opens_at=now - dt.timedelta(days=1),
        contest_closes_at=now + dt.timedelta(days=7),
    )
    for author, likes, sky, ground in (
        ("marie.b92", 50, (120, 170, 230), (70, 140, 80)),
        ("paul_photo", 1, (240, 170, 120), (150, 110, 80)),
    ):
        media = granted(campaign, author=author, in_contest=True, likes=likes, with_file=False)
        with scope(organization=campaign.organization):
            media.file.save(f"{media.key}.jpg", ContentFile(landscape(sky, ground)), save=False)
            media.file_type = "image/jpeg"
            media.save()
    yield SimpleNamespace(campaign=campaign, network=simulated_networks)
    set_network_now(None)


@pytest.fixture(params=["fr", "en"])
def language(request) -> str:
    return request.param


@pytest.mark.usefixtures("celery_eager", "quick_reports")
def test_a_community_managers_day(tenancy, day, new_page, viewport, language):
    campaign, simulated_networks, org_a = day.campaign, day.network, tenancy.org_a
    flow = Flow(new_page(viewport, language=BROWSER_LANGUAGE), viewport, language)
    page = flow.page

    # Language, then log in.
    page.goto(reverse("account_login"))
    page.locator(f"form.lang button[value={language}]").click()
    page.wait_for_url("**/accounts/login/")
    assert page.locator("main form button[type=submit]").inner_text().strip() == flow.t("Sign In")
    page.fill("input[name=login]", tenancy.alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/o/{tenancy.org_b.slug}/")
    flow.check("login")

    # Switch organisation with the header's switcher.
    page.locator("details.switcher > summary").click()
    page.locator(f"details.switcher a[href='{reverse('organization_home', kwargs={'org': org_a.slug})}']").click()
    page.wait_for_url(f"**/o/{org_a.slug}/")
    assert page.locator("h1").inner_text() == org_a.name
    assert page.get_by_role("heading", name=flow.t("Next steps")).is_visible()
    flow.check("organization")

    # Connect the town's Facebook page: our button, the simulator's consent screen, back to us.
    in_a1 = {"org": org_a.slug, "workspace_id": tenancy.a1.pk}
    workspace_url = reverse("workspace_home", kwargs=in_a1)
    page.locator(f"main a[href='{workspace_url}']").click()
    page.get_by_role("button", name=flow.t("Connect Facebook & Instagram")).click()
    page.wait_for_url(f"{simulated_networks.url}/**")
    page.check(f"input[name=user][value='{VIRGINIE.id}']")
    page.locator("button[value=allow]").click()
    page.wait_for_url("**" + reverse("networks_facebook_choose", kwargs={"org": org_a.slug}))
    assert page.locator("h1").inner_text() == flow.t("Choose what to connect")
    page.select_option(f"#page_{BOULOGNE.fb_page_id}", str(tenancy.a1.pk))
    page.select_option(f"#ig_{BOULOGNE.fb_page_id}", "")  # the page only: one sync to arrange
    # The worker's first sync runs inline (Celery eager): the session's first one warms the simulator up.
    page.get_by_role("button", name=flow.t("Connect"), exact=True).click(timeout=INLINE_TASK_TIMEOUT_MS)
    page.wait_for_url("**" + workspace_url, timeout=INLINE_TASK_TIMEOUT_MS)
    card = page.locator(".card.account[data-network=facebook]")
    assert BOULOGNE.name in card.inner_text() and card.get_attribute("data-status") == "active"
    flow.check("connect")

    # Read the statistics: figures and drawn charts.
    page.get_by_role("link", name=flow.t("Open the statistics")).click()
    page.wait_for_url("**/dashboard/")
    audience = page.locator("[data-kpi=audience] .kpi-value").inner_text()
    assert any(c.isdigit() for c in audience), audience
    charts = page.locator(".chart")
    assert charts.count() >= 2
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        page.locator(".chart").nth(index).locator(".main-svg").first.wait_for()
    assert page.locator(".chart:not([data-drawn=true])").count() == 0
    page.evaluate("window.scrollTo(0, 0)")
    flow.check("dashboard")

    # Answer a comment from the inbox.
    flow.menu(reverse("inbox_home", kwargs={"org": org_a.slug}))
    page.locator(f"a[href='{reverse('inbox_threads', kwargs=in_a1)}']").click()
    page.select_option("select[name=kind]", "comment")
    page.locator("form.inbox-filters button[type=submit]").click()
    page.wait_for_url("**kind=comment**")
    flow.check("inbox")
    page.locator(".inbox-list .inbox-item a").first.click()
    page.locator("#reply-text").fill(ANSWER)
    page.locator("button[value=reply]").click()
    page.get_by_text(flow.t("Answer sent.")).wait_for()
    assert ANSWER in page.locator(".inbox-message.out").last.inner_text()
    assert [s.text for s in simulated_networks.sim.inbox.sent] == [ANSWER]
    flow.check("inbox-answer")

    # Plan tomorrow's photo of the day.
    flow.menu(reverse("campaign_list", kwargs={"org": org_a.slug}))
    page.get_by_role("link", name=campaign.name).click()
    page.locator("nav.tabs").get_by_role("link", name=flow.t("Photo of the day")).click()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.locator(f"a.cal-day[href='?day={tomorrow.isoformat()}']").click()
    page.wait_for_url(f"**day={tomorrow.isoformat()}")
    page.locator("[data-testid=pick]").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=credit]").inner_text() == "📷 @marie.b92 — #InstaBoulogne"
    with translation.override(language):
        assert date_format(tomorrow) in page.locator(".messages").inner_text()  # "1 décembre 2026", not ISO
    flow.check("photo-of-the-day")
    page.locator("nav.tabs").get_by_role("link", name=flow.t("Contest")).click()
    public_url = page.locator("main a[href^='http'][href*='/contest/']").get_attribute("href")

    # Build a report, then download its PDF.
    page.goto(workspace_url)
    page.locator(f"a[href='{reverse('reports_home', kwargs=in_a1)}']").click()
    page.select_option("#id_language", language)
    page.get_by_role("button", name=flow.t("Build the report")).click(timeout=INLINE_TASK_TIMEOUT_MS)
    download_button = page.get_by_role("link", name=flow.t("Download the PDF"))
    download_button.wait_for(timeout=INLINE_TASK_TIMEOUT_MS)
    flow.check("report")
    with page.expect_download() as info:
        download_button.click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert flow.t("Executive summary") in text and "facebook.com/VilledeBoulogneBillancourt/posts/" in text

    # A resident votes on the public page: no account, another browser.
    resident = Flow(new_page(viewport, language=BROWSER_LANGUAGE), viewport, language)
    resident.page.goto(public_url)  # in the organisation's language, until the resident picks theirs
    resident.page.locator(f"form.lang button[value={language}]").click()
    resident.page.wait_for_load_state()
    wait_until(resident.page, "document.querySelector('.vote-card img').naturalWidth > 0")
    resident.page.locator(".vote-button").first.click()
    resident.page.get_by_text(resident.t("Thank you, your vote counts!")).wait_for()
    resident.check("contest-vote")

    with scope(organization=org_a):
        assert DailyPick.objects.get(campaign=campaign).day == tomorrow
        assert Vote.objects.filter(campaign=campaign).count() == 1
