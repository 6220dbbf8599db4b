"""Whole statistics pages from the facts cache (``analytics.views.base.page_key``,
overgraph/pagecache.py): one rendering shared by the members who see the same page, each reader
with their own header state and CSRF token, messages never cached. Freshness after fact and text
writes is proven on the same pages by test_factcache.py and test_texts_version.py."""

import pickle
import re
import uuid
from contextlib import nullcontext
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django_scopes import scope

from accounts.models import Notification, Role
from analytics.tests.query_fixtures import seed
from conftest import PASSWORD, add_member, make_user
from overgraph.pagecache import csrf_hole

pytestmark = pytest.mark.django_db
CUSTOM = {"period": "custom", "start": "2026-11-01", "end": "2026-11-10"}


@pytest.fixture(autouse=True)
def facts_cache(settings):
    settings.FACTS_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


def page_entries() -> list[str]:
    from django.core.cache import cache

    return [pickle.loads(value) for key, value in cache._cache.items() if key.endswith(":page")]  # noqa: S301 — the test's own cache


def dashboard_url(workspace) -> str:
    return reverse("analytics_dashboard", kwargs={"org": workspace.organization.slug, "workspace_id": workspace.pk})


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_members_who_see_the_same_page_share_one_rendering_each_with_their_own_token(tenancy, login, accounts):
    seed(accounts)
    erin = make_user("erin@example.com")
    add_member(tenancy.org_a, erin, Role.OWNER)  # alice's header: owner of Org A only
    url = dashboard_url(tenancy.a1)
    pages = {}
    for user in (tenancy.alice, erin):
        client = login(user)
        # erin's page is alice's rendering: nothing renders it again.
        rendering = (
            mock.patch("analytics.views.base.render_local", side_effect=AssertionError) if pages else nullcontext()
        )
        with rendering:
            html = client.get(url, CUSTOM).content.decode()
        assert tokens(html)
        # Every token on the page unmasks to this reader's own secret (their CSRF cookie).
        assert {_unmask_cipher_token(token) for token in tokens(html)} == {client.cookies["csrftoken"].value}
        assert csrf_hole() not in html
        pages[user.email] = html
    assert len(page_entries()) == 1
    (stored,) = page_entries()
    # What is stored holds no one's token, only the hole each response fills.
    assert set(tokens(stored)) == {csrf_hole()}
    assert re.sub(r'value="[^"]+"', "", pages["alice@example.com"]) == re.sub(
        r'value="[^"]+"', "", pages["erin@example.com"]
    )


def test_a_token_from_a_cached_page_passes_the_csrf_check(tenancy, accounts):
    seed(accounts)
    url = dashboard_url(tenancy.a1)
    for _ in range(2):  # the second page is the cached one
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        assert client.login(email=tenancy.alice.email, password=PASSWORD)
        html = client.get(url, CUSTOM).content.decode()
        token = re.search(r'<form class="lang".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S).group(1)
        answer = client.post(reverse("language_switch"), {"csrfmiddlewaretoken": token, "language": "en", "next": url})
        assert answer.status_code == 302
    assert len(page_entries()) == 1


def test_the_header_is_the_reader_s_own(tenancy, login, accounts):
    seed(accounts)
    url = dashboard_url(tenancy.a1)
    alice, bob = login(tenancy.alice), login(tenancy.bob)  # owner, analyst
    members = reverse("member_list", kwargs={"org": tenancy.org_a.slug})
    assert members in alice.get(url, CUSTOM).content.decode()
    assert members not in bob.get(url, CUSTOM).content.decode()
    assert 'data-testid="unread-count"' not in alice.get(url, CUSTOM).content.decode()
    with scope(organization=tenancy.org_a):
        Notification.objects.create(organization=tenancy.org_a, user=tenancy.alice, kind="sync_failed", title="x")
    assert 'data-testid="unread-count">1<' in alice.get(url, CUSTOM).content.decode()
    assert 'data-testid="unread-count"' not in bob.get(url, CUSTOM).content.decode()
    # A new organisation shows in the switcher at once.
    add_member(tenancy.org_b, tenancy.alice, Role.ANALYST)
    assert reverse("organization_home", kwargs={"org": tenancy.org_b.slug}) in alice.get(url, CUSTOM).content.decode()


def test_a_message_is_shown_once_and_never_cached(tenancy, login, accounts):
    seed(accounts)
    url = dashboard_url(tenancy.a1)
    alice = login(tenancy.alice)
    alice.get(url, CUSTOM)
    alice.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode(
        [Message(constants.SUCCESS, "Theme saved for you")]
    )
    assert "Theme saved for you" in alice.get(url, CUSTOM).content.decode()
    assert "Theme saved for you" not in alice.get(url, CUSTOM).content.decode()
    assert not any("Theme saved for you" in page for page in page_entries())


def test_each_language_has_its_page(tenancy, login, accounts):
    seed(accounts)
    url = dashboard_url(tenancy.a1)
    alice = login(tenancy.alice)
    assert '<html lang="en">' in alice.get(url, CUSTOM).content.decode()
    alice.cookies["og_language"] = "fr"
    assert '<html lang="fr">' in alice.get(url, CUSTOM).content.decode()
    assert len(page_entries()) == 2


def test_pages_without_a_page_key_are_never_stored(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    assert alice.get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug})).status_code == 200
    assert page_entries() == []


def test_the_api_body_comes_from_the_cache_in_json_only(tenancy, login, accounts):
    seed(accounts)
    alice = login(tenancy.alice)
    url = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    first, second = alice.get(url, CUSTOM), alice.get(url, CUSTOM)
    assert first.content == second.content
    assert second["Content-Type"] == "application/json"
    assert second.json()["total"]["engagements"]["current"] == 50
    # Another format (the browsable API, indented JSON) is rendered by DRF, from the same result.
    assert "text/html" in alice.get(url, CUSTOM, HTTP_ACCEPT="text/html").headers["Content-Type"]
    indented = alice.get(url, CUSTOM, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b"{\n  ") and indented.json() == second.json()
