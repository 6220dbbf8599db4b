"""The authentication backends (accounts/backends.py): the logged-in person read with one
written-out statement, the same people logged in as before, sessions of the original backends
kept, and a wrong password checked no more often than before."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.models import User
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ORIGINAL_BACKENDS = ("django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend")


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting the passwords it hashes (a check, or the timing-attack
    mitigation's hash when nobody has the address)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_it_reads_the_person_as_the_orm_does_in_one_statement(tenancy, django_assert_num_queries):
    User.objects.filter(pk=tenancy.alice.pk).update(language="fr", last_organization=tenancy.org_a)
    for backend in (ModelBackend(), AuthenticationBackend()):
        with django_assert_num_queries(1):
            user = backend.get_user(tenancy.alice.pk)
        expected = User.objects.get(pk=tenancy.alice.pk)
        fields = User._meta.concrete_fields
        assert [getattr(user, f.attname) for f in fields] == [getattr(expected, f.attname) for f in fields]
        assert user.is_active is True and user.date_joined.tzinfo is not None
        assert not user._state.adding


def test_it_finds_nobody_for_a_missing_or_odd_id(tenancy):
    assert ModelBackend().get_user(tenancy.alice.pk + 1000) is None
    assert ModelBackend().get_user("not a number") is None


def test_it_does_not_log_in_a_deactivated_person(tenancy, login):
    client = login(tenancy.alice)
    page = reverse("organization_home", args=["org-a"])
    assert client.get(page).status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200
    User.objects.filter(pk=tenancy.alice.pk).update(is_active=False)
    assert ModelBackend().get_user(tenancy.alice.pk) is None
    assert client.get(page)["Location"].startswith(reverse("account_login"))
    assert client.get("/api/v1/organizations/").status_code == 403
    # With the right password, allauth still tells them their account is inactive.
    assert _login(Client(), "alice@example.com")["Location"] == reverse("account_inactive")


def test_it_logs_in_with_a_written_out_backend(tenancy):
    client = Client()
    assert _login(client, "alice@example.com").status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"
    assert client.get("/api/v1/organizations/").status_code == 200


@pytest.mark.parametrize("backend", ORIGINAL_BACKENDS)
def test_it_keeps_sessions_logged_in_by_the_original_backends(tenancy, backend):
    client = Client()
    client.force_login(tenancy.alice, backend=backend)
    assert client.get("/api/v1/organizations/").status_code == 200


@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_it_checks_a_wrong_password_once_per_backend_of_its_own(tenancy, settings, email):
    # Django's ModelBackend then allauth's, as before: the original backends listed after them
    # for old sessions never see a password.
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    tenancy.alice.set_password(PASSWORD)
    tenancy.alice.save(update_fields=["password"])
    CountingHasher.calls = 0
    failures = []

    def failed(sender, credentials, **kwargs):
        failures.append(credentials)

    user_login_failed.connect(failed)
    try:
        assert authenticate(None, email=email, password="wrong password") is None
    finally:
        user_login_failed.disconnect(failed)
    assert CountingHasher.calls == 2
    assert len(failures) == 1
    CountingHasher.calls = 0
    assert authenticate(None, email="alice@example.com", password=PASSWORD).backend == "accounts.backends.ModelBackend"
