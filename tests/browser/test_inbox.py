"""The inbox in a real browser at a phone's width: a manager opens a waiting private message,
picks a saved reply, sends it through the network (the simulator), and sees it in the thread."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from analytics.factstore import DatabaseFactStore
from inbox.models import Direction, Message, Thread, ThreadKind
from inbox.services.threads import saved_reply_create
from inbox.tests.conftest import sim_account
from networks.models import SyncKind
from networks.sync.clock import set_network_now
from networks.sync.engine import account_sync
from networks.sync.factstore import register_fact_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting_message(tenancy, simulated_networks, settings):
    register_fact_store(DatabaseFactStore())
    set_network_now(simulated_networks.now, frozen=True)
    account = sim_account(tenancy.a1, simulated_networks, "facebook")
    account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=[SyncKind.CONVERSATIONS])
    with scope(organization=tenancy.org_a):
        saved_reply_create(workspace=tenancy.a1, language="fr", title="Transmis", text="Nous transmettons au service.")
        thread = (
            Thread.objects.filter(
                organization=tenancy.org_a,
                kind=ThreadKind.MESSAGE,
                last_inbound_at__gte=simulated_networks.now - dt.timedelta(hours=20),
            )
            .order_by("-last_inbound_at")
            .first()
        )
    yield thread
    set_network_now(None)


def test_it_answers_a_thread_from_a_phone(tenancy, new_page, waiting_message, screenshot):
    page = new_page("phone", user=tenancy.alice)
    page.goto(
        reverse("inbox_threads", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}) + "?status=all"
    )
    page.locator(
        f"a[href='{reverse('inbox_thread', kwargs={'org': tenancy.org_a.slug, 'thread_id': waiting_message.pk})}']"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text()
    page.select_option("select.saved-reply", label="[fr] Transmis")
    assert page.locator("#reply-text").input_value() == "Nous transmettons au service."
    page.locator("button[value=reply]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Answer sent.").is_visible()
    assert page.locator(".inbox-message.out").last.inner_text().count("Nous transmettons au service.") == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "inbox-thread-phone")
    with scope(organization=tenancy.org_a):
        sent = Message.objects.get(
            organization=tenancy.org_a, thread=waiting_message, direction=Direction.OUT, sent_by=tenancy.alice
        )
    assert sent.text == "Nous transmettons au service."
