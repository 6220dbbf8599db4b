"""Login throttling and two-factor authentication, through allauth's real pages."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import PASSWORD, add_member, make_user


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _totp_code(secret: str) -> str:
    # allauth's own TOTP (RFC 6238, 30-second steps): what an authenticator app would show now.
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _activate_totp(client: Client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a security change, as a person would see it.
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(page["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret == page.context["form"].secret
    wrong = client.post(
        reverse("mfa_activate_totp"), {"code": "000000" if _totp_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_it_throttles_failed_logins_on_an_account(tenancy, settings):
    limit = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: "…,5/5m/key"
    assert f"{limit}/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(limit):
        response = _login(client, "alice@example.com", "wrong password")
        assert b"Too many failed login attempts" not in response.content
    refused = _login(client, "alice@example.com")  # the right password, too late
    assert refused.status_code == 200
    assert b"Too many failed login attempts. Try again later." in refused.content
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked out.
    assert _login(Client(HTTP_ACCEPT_LANGUAGE="en"), "bob@example.com").status_code == 302


def test_it_lets_a_user_turn_on_totp_and_asks_for_the_code_at_login(tenancy):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _login(client, "alice@example.com").status_code == 302
    secret = _activate_totp(client)
    assert Authenticator.objects.filter(user=tenancy.alice, type=Authenticator.Type.TOTP).exists()

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = _login(client, "alice@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not in before the code
    assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(tenancy.alice.pk)


def test_it_sends_owners_and_admins_to_set_up_totp_when_required(tenancy, login):
    tenancy.org_a.require_mfa = True
    tenancy.org_a.save()
    erin = make_user("erin@example.com")
    add_member(tenancy.org_a, erin, Role.ADMIN)
    home = reverse("organization_home", kwargs={"org": tenancy.org_a.slug})
    for user in (tenancy.alice, erin):
        response = login(user).get(home)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        api = login(user).get(reverse("api_organization_detail", kwargs={"org": tenancy.org_a.slug}))
        assert api.status_code == 403
    # Read-only roles are not concerned by the rule, nor are other organisations' owners.
    assert login(tenancy.bob).get(home).status_code == 200
    assert login(tenancy.dana).get(home).status_code == 200
    assert login(tenancy.charlie).get(reverse("organization_home", kwargs={"org": "org-b"})).status_code == 200

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _login(client, "alice@example.com")
    response = client.get(home, follow=True)
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert b"Org A requires two-factor authentication for owners and admins" in response.content
    _activate_totp(client)
    assert client.get(home).status_code == 200
