"""The facts cache (analytics/factcache.py): a page or an API answer served from the cache is the
one the database gives — after a write through the fact store, a deletion, an account moved or
disconnected, a theme renamed — and never another organisation's or another client's."""

import re
import uuid
from unittest import mock

import pytest
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from accounts.models import Role
from analytics import factcache
from analytics.models import Theme
from analytics.services import themes as theme_services
from analytics.tests.query_fixtures import at, seed
from conftest import add_member, make_user
from networks.models import SocialAccount
from networks.providers.base import Post as ProviderPost
from networks.providers.base import PostMetrics
from networks.services.accounts import account_disconnect

pytestmark = pytest.mark.django_db
CUSTOM = {"period": "custom", "start": "2026-11-01", "end": "2026-11-10"}


@pytest.fixture(autouse=True)
def facts_cache(settings):
    """The cache on, in memory and empty for each test (CI's Redis outlives the test database,
    whose ids SQLite reuses)."""
    settings.FACTS_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


def overview(client, org, **params) -> dict:
    response = client.get(reverse("api_overview", kwargs={"org": org.slug}), {**CUSTOM, **params})
    assert response.status_code == 200
    return response.json()


def engagements(client, org, **params):
    return overview(client, org, **params)["total"]["engagements"]["current"]


def statements(client, url, params=CUSTOM) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def kpi(html: str, name: str) -> str:
    match = re.search(rf'data-kpi="{name}">.*?<p class="kpi-value">([^<]*)</p>', html, re.S)
    assert match, f"no {name} card"
    return match.group(1).strip()


def dashboard(client, workspace):
    url = reverse("analytics_dashboard", kwargs={"org": workspace.organization.slug, "workspace_id": workspace.pk})
    return client.get(url, CUSTOM)


def test_it_serves_the_second_request_from_the_cache(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    url = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    first, second = statements(alice, url), statements(alice, url)
    assert second == first - 1  # the overview's statement; the visible accounts are read to key it
    assert engagements(alice, tenancy.org_a) == 50
    page = reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    first, second = statements(alice, page), statements(alice, page)
    assert second < first


def test_it_shows_a_write_through_the_fact_store_on_the_next_request(
    tenancy, login, accounts, store, django_capture_on_commit_callbacks
):
    seed(accounts)
    alice = login(tenancy.alice)
    assert engagements(alice, tenancy.org_a) == 50
    assert kpi(dashboard(alice, tenancy.a1).content.decode(), "posts") == "3"
    new = ProviderPost("n1", at(8, 9), "original", "text", metrics=PostMetrics(likes=100, views=2000))
    with django_capture_on_commit_callbacks(execute=True):
        store.save_posts(accounts.a, [new], at(9))
    assert engagements(alice, tenancy.org_a) == 150
    assert kpi(dashboard(alice, tenancy.a1).content.decode(), "posts") == "4"
    with django_capture_on_commit_callbacks(execute=True):
        store.save_post_metrics(accounts.a, {"n1": PostMetrics(likes=200)}, at(10))
    assert engagements(alice, tenancy.org_a) == 250


def test_it_shows_a_post_deletion_on_the_next_request(
    tenancy, login, accounts, store, django_capture_on_commit_callbacks
):
    seed(accounts)
    alice = login(tenancy.alice)
    assert engagements(alice, tenancy.org_a) == 50
    assert kpi(dashboard(alice, tenancy.a1).content.decode(), "posts") == "3"
    with django_capture_on_commit_callbacks(execute=True):
        store.delete_posts(accounts.a, ["o1"])
    assert engagements(alice, tenancy.org_a) == 34
    assert kpi(dashboard(alice, tenancy.a1).content.decode(), "posts") == "2"
    with django_capture_on_commit_callbacks(execute=True):
        store.delete_account_facts(accounts.a2)
    assert engagements(alice, tenancy.org_a) == 4


def test_it_shows_an_account_moved_to_another_workspace_on_the_next_request(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    assert engagements(alice, tenancy.org_a, workspace=tenancy.a1.pk) == 20
    assert engagements(alice, tenancy.org_a, workspace=tenancy.a2.pk) == 30
    assert kpi(dashboard(alice, tenancy.a2).content.decode(), "posts") == "1"
    # No write of facts, no invalidation: the accounts' rows are part of every key.
    with scope(organization=tenancy.org_a):
        SocialAccount.objects.filter(pk=accounts.a.pk).update(workspace=tenancy.a2)
    assert engagements(alice, tenancy.org_a, workspace=tenancy.a1.pk) is None
    assert engagements(alice, tenancy.org_a, workspace=tenancy.a2.pk) == 50
    page = dashboard(alice, tenancy.a2).content.decode()
    assert kpi(page, "posts") == "4"
    assert accounts.a.handle in page


def test_it_reads_again_after_an_account_disconnection(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    url = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    uncached = statements(alice, url)
    assert statements(alice, url) == uncached - 1
    with scope(organization=tenancy.org_a):
        account_disconnect(account=accounts.a)
    assert statements(alice, url) == uncached  # a new key: the account's status is part of it
    assert engagements(alice, tenancy.org_a) == 50  # the history stays after a disconnection


def test_it_never_shares_an_entry_between_organisations(tenancy, login, accounts):
    seed(accounts)
    alice, charlie = login(tenancy.alice), login(tenancy.charlie)
    assert engagements(alice, tenancy.org_a) == 50
    assert engagements(charlie, tenancy.org_b) == 999
    assert engagements(alice, tenancy.org_a) == 50
    a1, b1 = dashboard(alice, tenancy.a1).content.decode(), dashboard(charlie, tenancy.b1).content.decode()
    assert (kpi(a1, "engagements"), kpi(b1, "engagements")) == ("20", "999")
    # Every entry's key starts with its organisation.
    keys = [key for key in factcache.cache._cache if ":og:facts:" in key]
    assert {key.split(":og:facts:")[1].split(":")[0] for key in keys} == {str(tenancy.org_a.pk), str(tenancy.org_b.pk)}


def test_it_never_shows_a_client_another_workspace_s_numbers(tenancy, login, accounts):
    seed(accounts)
    alice, dana = login(tenancy.alice), login(tenancy.dana)  # dana: client of A, granted A1 only
    assert engagements(alice, tenancy.org_a) == 50  # A1 and A2, now cached for alice
    assert engagements(dana, tenancy.org_a) == 20  # A1 only
    assert dashboard(alice, tenancy.a2).status_code == 200
    assert dashboard(dana, tenancy.a2).status_code == 404
    assert kpi(dashboard(dana, tenancy.a1).content.decode(), "engagements") == "20"


def test_it_shows_a_renamed_theme_on_the_next_request(tenancy, login, accounts, django_capture_on_commit_callbacks):
    seed(accounts)
    with django_capture_on_commit_callbacks(execute=True), scope(organization=tenancy.org_a):
        theme = theme_services.theme_create(organization=tenancy.org_a, name="Sport", hashtags=["sport"])
        theme_services.themes_apply(organization=tenancy.org_a)
    alice = login(tenancy.alice)
    url = reverse("api_theme_breakdown", kwargs={"org": tenancy.org_a.slug})
    assert [row["name"] for row in alice.get(url, CUSTOM).json()["themes"]] == ["Sport"]
    with django_capture_on_commit_callbacks(execute=True), scope(organization=tenancy.org_a):
        theme_services.theme_update(theme=theme, name="Sports")
    assert [row["name"] for row in alice.get(url, CUSTOM).json()["themes"]] == ["Sports"]
    assert "Sports" in dashboard(alice, tenancy.a1).content.decode()


def test_it_renders_the_label_forms_live(tenancy, login, accounts):
    """The posts tables carry a CSRF token when the member may label: never one cached for
    another member."""
    seed(accounts)
    with scope(organization=tenancy.org_a):
        Theme.objects.create(organization=tenancy.org_a, name="Sport")
    erin = make_user("erin@example.com")
    add_member(tenancy.org_a, erin, Role.MANAGER)
    url = reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": accounts.a.pk})
    for user in (tenancy.alice, erin):
        client = login(user)
        html = client.get(url, CUSTOM).content.decode()
        tokens = re.findall(r'class="label-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S)
        assert tokens
        # Each form's token unmasks to this member's own secret (the CSRF cookie).
        assert {_unmask_cipher_token(token) for token in tokens} == {client.cookies["csrftoken"].value}


def test_it_changes_the_version_once_the_write_commits(tenancy, django_capture_on_commit_callbacks):
    before = factcache.facts_version(tenancy.org_a.pk)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        factcache.facts_changed(tenancy.org_a.pk)
        assert factcache.facts_version(tenancy.org_a.pk) == before
    assert factcache.facts_version(tenancy.org_a.pk) == before
    for callback in callbacks:
        callback()
    assert factcache.facts_version(tenancy.org_a.pk) not in (before, None)
    assert factcache.facts_version(tenancy.org_b.pk) not in (before, None)


def test_it_serves_the_numbers_when_the_cache_is_unreachable(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    assert engagements(alice, tenancy.org_a) == 50
    with (
        mock.patch.object(factcache.cache, "get", side_effect=ConnectionError),
        mock.patch("analytics.templatetags.factcache.cache.get_many", side_effect=ConnectionError),
    ):
        assert engagements(alice, tenancy.org_a) == 50
        assert kpi(dashboard(alice, tenancy.a1).content.decode(), "engagements") == "20"
