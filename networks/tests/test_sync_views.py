"""Sync status, history and "Sync now": what people see, and the tenancy matrix for each page."""

import pytest
from django.urls import reverse
from django_scopes import scope

from networks.models import SyncClaim, SyncKind, SyncRun
from networks.sync.schedules import QUEUED, schedules_ensure
from networks.tests.factories import make_account

PAGES = ["networks_sync_history", "networks_sync_status"]


def url(name: str, account) -> str:
    return reverse(name, kwargs={"org": account.organization.slug, "account_id": account.pk})


def make_run(account, **fields) -> SyncRun:
    with scope(organization=account.organization):
        return SyncRun.objects.create(organization=account.organization, account=account, **fields)


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr("networks.tasks.sync_account.delay", lambda *args: sent.append(args))
    return sent


def test_it_shows_the_history_of_runs(tenancy, login):
    account = make_account(tenancy.a1)
    make_run(account, kind=SyncKind.POSTS, status=SyncRun.Status.OK, calls=3, counts={"posts_inserted": 7})
    make_run(account, kind=SyncKind.DAILY, status=SyncRun.Status.RATE_LIMITED, error="X rate limit reached")
    page = login(tenancy.bob).get(url("networks_sync_history", account))  # read-only may read
    assert page.status_code == 200
    assert b"posts_inserted: 7" in page.content and b"X rate limit reached" in page.content
    assert b"Sync now" not in page.content  # not for a read-only role


def test_it_shows_backfill_progress_while_it_runs_and_polls(tenancy, login):
    account = make_account(tenancy.a1)
    with scope(organization=account.organization):
        schedules_ensure(account=account)
        SyncClaim.objects.filter(account=account).update(owner="worker", lease_until="2100-01-01T00:00Z")
    make_run(account, kind=SyncKind.BACKFILL, status=SyncRun.Status.RUNNING, progress_done=40, progress_total=100)
    page = login(tenancy.alice).get(url("networks_sync_status", account))
    assert b'value="40"' in page.content and b"40 %" in page.content
    assert b'hx-trigger="every 2s"' in page.content  # keeps polling while running
    with scope(organization=account.organization):
        SyncClaim.objects.filter(account=account).update(owner="", lease_until=None)
        SyncRun.objects.filter(account=account).update(status=SyncRun.Status.OK, progress_done=100)
    page = login(tenancy.alice).get(url("networks_sync_status", account))
    assert b"every 2s" not in page.content


def test_it_queues_a_sync_now_and_answers_htmx_with_the_status(
    tenancy, login, queued, django_capture_on_commit_callbacks
):
    account = make_account(tenancy.a1)
    client = login(tenancy.alice)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url("networks_sync_now", account), HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and b"Queued" in page.content
    assert queued == [(account.organization_id, account.pk, SyncRun.Trigger.MANUAL, ["daily", "posts", "post_metrics"])]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("networks_sync_now", account), HTTP_HX_REQUEST="true")
    assert len(queued) == 1  # already queued: not twice
    with scope(organization=account.organization):
        assert SyncClaim.objects.get(account=account).owner == QUEUED


def test_it_redirects_a_sync_now_without_javascript(tenancy, login, queued):
    account = make_account(tenancy.a1)
    response = login(tenancy.alice).post(url("networks_sync_now", account))
    assert response.status_code == 302 and response["Location"] == url("networks_sync_history", account)


def test_it_loads_each_account_status_from_the_workspace_page(tenancy, login):
    account = make_account(tenancy.a1)
    page = login(tenancy.alice).get(
        reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    assert url("networks_sync_status", account).encode() in page.content


def test_it_sends_the_csrf_token_in_htmx_headers(tenancy, login):
    account = make_account(tenancy.a1)
    page = login(tenancy.alice).get(url("networks_sync_status", account))
    assert b"hx-headers='{&quot;X-CSRFToken&quot;" in page.content or b'hx-headers=\'{"X-CSRFToken"' in page.content


# --- Tenancy matrix (STYLE.md rule 8) --------------------------------------------------------------


@pytest.mark.parametrize("name", [*PAGES, "networks_sync_now"])
def test_it_checks_ownership(tenancy, login, queued, name):
    account = make_account(tenancy.a1)
    client = login(tenancy.charlie)
    response = client.post(url(name, account)) if name == "networks_sync_now" else client.get(url(name, account))
    assert response.status_code == 404
    assert queued == []


def test_it_requires_write_access(tenancy, login, queued):
    account = make_account(tenancy.a1)
    assert login(tenancy.bob).post(url("networks_sync_now", account)).status_code == 403
    assert queued == []
    with scope(organization=account.organization):
        assert not SyncClaim.objects.filter(account=account, owner=QUEUED).exists()


@pytest.mark.parametrize("name", [*PAGES, "networks_sync_now"])
def test_it_hides_other_clients(tenancy, login, queued, name):
    account = make_account(tenancy.a2, external_id="a2")
    client = login(tenancy.dana)
    response = client.post(url(name, account)) if name == "networks_sync_now" else client.get(url(name, account))
    assert response.status_code == 404
    assert queued == []
