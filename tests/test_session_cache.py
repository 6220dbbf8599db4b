"""Sessions read from the cache and written through to the database (overgraph/sessions.py): a
revoked session is gone at once, and an unreachable cache never fails a request."""

import time
import uuid
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from overgraph import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    settings.SESSION_ENGINE = "overgraph.sessions"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


def _signed_in(email: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
    return client


def test_it_reads_the_session_from_the_cache(tenancy):
    laptop = _signed_in("alice@example.com")
    store = sessions.SessionStore(laptop.cookies["sessionid"].value)
    assert store._cache.get(store.cache_key) is not None
    store._cache.delete(store.cache_key)
    assert laptop.get(reverse("profile")).status_code == 200  # read from the database, cached again
    assert store._cache.get(store.cache_key) is not None
    expires = store._cache._expire_info[store._cache.make_and_validate_key(store.cache_key)]
    assert expires - time.time() <= sessions.CACHE_SECONDS


def test_it_signs_a_revoked_session_out_at_once(tenancy):
    laptop, phone = _signed_in("alice@example.com"), _signed_in("alice@example.com")
    assert phone.get(reverse("profile")).status_code == 200
    assert laptop.post(reverse("usersessions_list")).status_code == 302  # "sign out other sessions"
    assert phone.get(reverse("profile")).status_code == 302
    assert laptop.get(reverse("profile")).status_code == 200


def test_it_serves_requests_when_the_cache_is_unreachable(tenancy):
    laptop, phone = _signed_in("alice@example.com"), _signed_in("alice@example.com")
    assert phone.get(reverse("profile")).status_code == 200
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    with (
        mock.patch(f"{locmem}.get", side_effect=ConnectionError),
        mock.patch(f"{locmem}.set", side_effect=ConnectionError),
        mock.patch(f"{locmem}.delete", side_effect=ConnectionError),
    ):
        assert laptop.get(reverse("profile")).status_code == 200  # read from the database
        assert laptop.post(reverse("usersessions_list")).status_code == 302  # "sign out other sessions"
    # The phone's session is gone from the database; its cached copy expires within five minutes.
    store = sessions.SessionStore(phone.cookies["sessionid"].value)
    key = store.cache_key
    assert not Session.objects.filter(session_key=store.session_key).exists()
    expires = store._cache._expire_info[store._cache.make_and_validate_key(key)]
    assert expires - time.time() <= sessions.CACHE_SECONDS
    store._cache.delete(key)
    assert phone.get(reverse("profile")).status_code == 302
