"""Language: the person's choice, else their organisation's, else the browser's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User


def _lang(response) -> str:
    return re.search(rb'<html lang="([a-z-]+)"', response.content).group(1).decode()


def _client(user: User | None = None, accept: str = "en", cookie: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    if user is not None:
        client.force_login(user)
    if cookie:
        client.cookies["og_language"] = cookie
    return client


def _set(instance, **fields) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


def test_it_uses_the_persons_language_first(tenancy):
    _set(tenancy.alice, language="fr")
    response = _client(tenancy.alice, accept="en", cookie="en").get(
        reverse("organization_home", kwargs={"org": "org-a"})
    )
    assert _lang(response) == "fr"
    assert response["Content-Language"] == "fr"


def test_it_uses_the_organisations_language_when_the_person_has_none(tenancy):
    _set(tenancy.org_a, language="fr")
    # Their last organisation speaks English, but this page is Org A's.
    _set(tenancy.alice, language="", last_organization=tenancy.org_b)
    response = _client(tenancy.alice, accept="en").get(reverse("organization_home", kwargs={"org": "org-a"}))
    assert _lang(response) == "fr"
    # Pages outside an organisation follow the last one used (now Org A).
    assert _lang(_client(tenancy.alice, accept="en").get(reverse("profile"))) == "fr"


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [("en", None, "en"), ("fr", "en", "en"), ("en", "fr", "fr"), ("de", None, "fr")],
)
def test_it_uses_the_cookie_then_the_browser_for_anonymous_visitors(accept, cookie, expected, db):
    assert _lang(_client(accept=accept, cookie=cookie).get(reverse("account_login"))) == expected


def test_it_remembers_the_switchers_choice_on_the_person_and_the_cookie(tenancy):
    client = _client(tenancy.alice, accept="fr")
    response = client.post(reverse("language_switch"), {"language": "fr", "next": "/o/org-a/?tab=1"})
    assert response.status_code == 302
    assert response["Location"] == "/o/org-a/?tab=1"
    assert response.cookies["og_language"].value == "fr"
    tenancy.alice.refresh_from_db()
    assert tenancy.alice.language == "fr"
    assert _lang(client.get("/o/org-a/")) == "fr"


def test_it_remembers_an_anonymous_choice_in_the_cookie(db):
    client = _client(accept="fr")
    response = client.post(reverse("language_switch"), {"language": "en", "next": "/accounts/login/"})
    assert response.cookies["og_language"].value == "en"
    assert _lang(client.get(reverse("account_login"))) == "en"


def test_it_ignores_an_unknown_language(tenancy):
    response = _client(tenancy.alice).post(reverse("language_switch"), {"language": "xx", "next": "/profile/"})
    assert response["Location"] == "/profile/"
    assert "og_language" not in response.cookies
    tenancy.alice.refresh_from_db()
    assert tenancy.alice.language == ""


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "http://testserver@evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_it_redirects_back_only_to_this_site(next_url, db):
    response = _client().post(reverse("language_switch"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_get_on_the_switcher(db):
    assert _client().get(reverse("language_switch"), {"language": "en"}).status_code == 405


def test_it_saves_the_language_and_email_preference_on_the_profile(tenancy):
    client = _client(tenancy.alice, accept="en", cookie="en")
    data = {"profile-full_name": "Alice", "profile-language": "fr", "notify-email": "digest"}
    response = client.post(reverse("profile"), data)
    assert response.cookies["og_language"].value == "fr"
    tenancy.alice.refresh_from_db()
    assert tenancy.alice.language == "fr"
    assert tenancy.alice.notification_preference.email == "digest"
    # Back to "the organisation's language": the cookie goes too, so the organisation's wins.
    response = client.post(reverse("profile"), {**data, "profile-language": ""})
    assert response.cookies["og_language"].value == ""
    tenancy.alice.refresh_from_db()
    assert tenancy.alice.language == ""
    tenancy.org_a.language = "fr"
    tenancy.org_a.save()
    assert _lang(client.get(reverse("organization_home", kwargs={"org": "org-a"}))) == "fr"
