"""Per-user API tokens: shown once, stored hashed, scoped to the person's memberships, revocable."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_shown_once_and_stored_hashed(tenancy, login):
    alice = login(tenancy.alice)
    page = alice.post(reverse("api_tokens"), {"name": "Looker"}).content.decode()
    token = ApiToken.objects.get(user=tenancy.alice)
    secret = page.split("<code>og_")[1].split("</code>")[0]
    assert ("og_" + secret) not in str(ApiToken.objects.values_list().get())
    assert ("og_" + secret) not in alice.get(reverse("api_tokens")).content.decode()
    assert token.prefix in page


def test_it_authenticates_with_a_token_within_the_users_memberships(tenancy, accounts):
    _token, raw = api_token_create(user=tenancy.dana, name="report")
    client = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    overview = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    assert client.get(overview).status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(overview).status_code == 200
    # A client's token reads its granted workspace only and never writes.
    accounts_a2 = reverse("api_workspace_accounts", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a2.pk})
    assert client.get(accounts_a2).status_code == 404
    themes = reverse("api_theme_list", kwargs={"org": tenancy.org_a.slug})
    assert client.post(themes, {"name": "Sport"}, content_type="application/json").status_code == 403
    assert client.get(reverse("api_overview", kwargs={"org": tenancy.org_b.slug})).status_code == 404


def test_it_refuses_revoked_and_unknown_tokens(tenancy, login):
    token, raw = api_token_create(user=tenancy.alice, name="old")
    login(tenancy.alice).post(reverse("api_token_revoke", kwargs={"token_id": token.pk}))
    overview = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    for header in (f"Token {raw}", "Token og_nope"):
        response = Client(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en").get(overview)
        assert response.status_code == 403 and response.json()["detail"] == "Invalid or revoked token."


def test_it_lets_nobody_revoke_another_persons_token(tenancy, login):
    token, _raw = api_token_create(user=tenancy.alice, name="mine")
    login(tenancy.charlie).post(reverse("api_token_revoke", kwargs={"token_id": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is None
