"""Session revocation: a person sees where they are signed in and signs the other places out
(allauth.usersessions, linked from the profile page)."""

from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD


def _signed_in(email: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
    return client


def test_it_lists_the_sessions_and_signs_the_others_out(tenancy):
    laptop, phone = _signed_in("alice@example.com"), _signed_in("alice@example.com")
    bob = _signed_in("bob@example.com")
    assert reverse("usersessions_list") in laptop.get(reverse("profile")).content.decode()
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 2  # alice's two, never bob's

    assert laptop.post(reverse("usersessions_list")).status_code == 302  # "sign out other sessions"
    assert laptop.get(reverse("profile")).status_code == 200  # this one stays
    assert phone.get(reverse("profile")).status_code == 302  # the other is gone: back to login
    assert bob.get(reverse("profile")).status_code == 200  # and nobody else's
