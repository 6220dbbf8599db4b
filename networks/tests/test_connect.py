"""Connecting accounts: the OAuth flows with the outside world faked at the HTTP boundary, the
account actions, and the tenancy matrix for every view (charlie 404, bob 403, dana 404 on A2)."""

import base64
import datetime as dt
import hashlib
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from django_scopes import scope

from accounts.models import Notification
from networks.models import AccountToken, SocialAccount
from networks.services.tokens import account_access_token
from networks.tests.factories import make_account
from networks.tests.recorded import GRAPH_HEADERS, X_HEADERS
from networks.vault import token_read

ME = {"data": {"id": "1100000000000000001", "name": "Ville de Boulogne-Billancourt", "username": "Ville_BoulogneB"}}
TOKENS = {
    "token_type": "bearer",
    "expires_in": 7200,
    "access_token": "x-access-1",
    "scope": "tweet.read users.read offline.access",
    "refresh_token": "x-refresh-1",
}
PAGES = {
    "data": [
        {
            "id": "100000000000001",
            "name": "Ville de Boulogne-Billancourt",
            "access_token": "page-token-1",
            "category": "Government organization",
            "tasks": ["ANALYZE", "MANAGE"],
            "instagram_business_account": {"id": "17841400000000001", "username": "ville_boulogneb"},
        },
        {"id": "100000000000002", "name": "Médiathèque", "access_token": "page-token-2", "category": "Library"},
    ],
    "paging": {"cursors": {"before": "b", "after": "a"}},
}


def url(name: str, tenancy, **kwargs) -> str:
    return reverse(name, kwargs={"org": tenancy.org_a.slug, **kwargs})


def start(client, tenancy, network: str, workspace=None) -> dict:
    response = client.post(url(f"networks_connect_{network}", tenancy, workspace_id=(workspace or tenancy.a1).pk))
    assert response.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}


def accounts(organization):
    with scope(organization=organization):
        return list(SocialAccount.objects.filter(organization=organization).order_by("network"))


# --- X ---------------------------------------------------------------------------------------------


def test_it_connects_an_x_account_with_pkce(tenancy, login, replay, networks_configured):
    replay.add("POST", "/2/oauth2/token", TOKENS, headers=X_HEADERS)
    replay.add("GET", "/2/users/me", ME, headers=X_HEADERS)
    client = login(tenancy.alice)
    query = start(client, tenancy, "x")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == "client-id"
    assert set(query["scope"].split()) >= {"tweet.read", "users.read", "offline.access", "dm.read", "tweet.write"}
    assert query["redirect_uri"] == "http://testserver/networks/callback/x/"

    response = client.get(reverse("networks_x_callback"), {"state": query["state"], "code": "the-code"})
    assert response.status_code == 302
    assert response["Location"] == url("workspace_home", tenancy, workspace_id=tenancy.a1.pk)

    token_request = replay.calls[0]
    form = parse_qs(token_request.body)
    verifier = form["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == query["code_challenge"]
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["the-code"]
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert replay.calls[1].headers["Authorization"] == "Bearer x-access-1"

    (account,) = accounts(tenancy.org_a)
    assert (account.network, account.external_id, account.handle) == ("x", "1100000000000000001", "Ville_BoulogneB")
    assert account.workspace == tenancy.a1 and account.connected_by == tenancy.alice
    with scope(organization=tenancy.org_a):
        access = token_read(account=account, kind=AccountToken.Kind.ACCESS)
        assert access.value == "x-access-1" and access.expires_at > dt.datetime.now(dt.UTC)
        assert token_read(account=account, kind=AccountToken.Kind.REFRESH).value == "x-refresh-1"

    page = client.get(url("workspace_home", tenancy, workspace_id=tenancy.a1.pk))
    assert b"Ville_BoulogneB" in page.content and b"Active" in page.content
    assert b"x-access-1" not in page.content


def test_it_refuses_a_callback_it_did_not_start(tenancy, login, replay, networks_configured):
    client = login(tenancy.alice)
    start(client, tenancy, "x")
    response = client.get(reverse("networks_x_callback"), {"state": "forged", "code": "c"}, follow=True)
    assert b"expired or was not started here" in response.content
    assert replay.calls == [] and accounts(tenancy.org_a) == []


def test_it_refuses_a_callback_replayed_in_another_session(tenancy, login, replay, networks_configured):
    query = start(login(tenancy.alice), tenancy, "x")
    response = login(tenancy.charlie).get(reverse("networks_x_callback"), {"state": query["state"], "code": "c"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert replay.calls == [] and accounts(tenancy.org_a) == []


def test_it_says_so_when_the_person_declines(tenancy, login, replay, networks_configured):
    client = login(tenancy.alice)
    query = start(client, tenancy, "x")
    response = client.get(
        reverse("networks_x_callback"), {"state": query["state"], "error": "access_denied"}, follow=True
    )
    assert b"cancelled on X" in response.content
    assert accounts(tenancy.org_a) == []


def test_it_loses_nothing_when_x_fails_during_the_callback(tenancy, login, replay, networks_configured):
    replay.add("POST", "/2/oauth2/token", {"title": "Service Unavailable"}, status=503, headers=X_HEADERS)
    client = login(tenancy.alice)
    query = start(client, tenancy, "x")
    response = client.get(reverse("networks_x_callback"), {"state": query["state"], "code": "c"}, follow=True)
    assert b"please try again" in response.content
    assert accounts(tenancy.org_a) == []
    # Trying again works.
    replay.add("POST", "/2/oauth2/token", TOKENS, headers=X_HEADERS)
    replay.add("GET", "/2/users/me", ME, headers=X_HEADERS)
    query = start(client, tenancy, "x")
    client.get(reverse("networks_x_callback"), {"state": query["state"], "code": "c"})
    assert len(accounts(tenancy.org_a)) == 1


def test_it_explains_when_x_is_not_configured(tenancy, login, settings):
    settings.X_CLIENT_ID = ""
    response = login(tenancy.alice).post(url("networks_connect_x", tenancy, workspace_id=tenancy.a1.pk), follow=True)
    assert b"not configured" in response.content


# --- Facebook & Instagram ----------------------------------------------------------------------------


def facebook_routes(replay):
    replay.add(
        "GET",
        r"/v25\.0/oauth/access_token",
        {"access_token": "user-token", "token_type": "bearer", "expires_in": 5183944},
        headers=GRAPH_HEADERS,
    )
    replay.add("GET", r"/v25\.0/me/accounts", PAGES, headers=GRAPH_HEADERS)
    replay.add("GET", r"/v25\.0/me", {"id": "200000000000001"}, headers=GRAPH_HEADERS)


def test_it_connects_pages_and_instagram_accounts_to_chosen_workspaces(tenancy, login, replay, networks_configured):
    facebook_routes(replay)
    client = login(tenancy.alice)
    query = start(client, tenancy, "facebook")
    assert urlparse(reverse("networks_facebook_callback")).path in query["redirect_uri"]
    assert "instagram_manage_insights" in query["scope"] and "pages_messaging" in query["scope"]

    response = client.get(reverse("networks_facebook_callback"), {"state": query["state"], "code": "fb-code"})
    assert response["Location"] == url("networks_facebook_choose", tenancy)
    exchanges = [parse_qs(urlparse(c.url).query) for c in replay.calls if "access_token" in urlparse(c.url).path]
    assert exchanges[0]["code"] == ["fb-code"]
    assert exchanges[1]["grant_type"] == ["fb_exchange_token"]
    # Pending choice is stored encrypted: no token readable in the session.
    assert "page-token-1" not in str(dict(client.session))

    choose = client.get(url("networks_facebook_choose", tenancy))
    assert b"Ville de Boulogne-Billancourt" in choose.content and b"@ville_boulogneb" in choose.content
    response = client.post(
        url("networks_facebook_choose", tenancy),
        {"page_100000000000001": tenancy.a1.pk, "ig_100000000000001": tenancy.a2.pk, "page_100000000000002": ""},
    )
    assert response.status_code == 302
    facebook, instagram = accounts(tenancy.org_a)
    assert (facebook.network, facebook.external_id, facebook.workspace) == ("facebook", "100000000000001", tenancy.a1)
    assert (instagram.network, instagram.handle, instagram.workspace) == ("instagram", "ville_boulogneb", tenancy.a2)
    assert instagram.parent == facebook
    with scope(organization=tenancy.org_a):
        assert token_read(account=instagram, kind="access").value == "page-token-1"  # the Page's token
        assert token_read(account=facebook, kind="user").value == "user-token"
        assert token_read(account=facebook, kind="user").expires_at is not None
        assert token_read(account=facebook, kind="access").expires_at is None  # Page tokens never expire
    assert "networks_facebook_pending" not in client.session


def test_it_refuses_a_workspace_the_person_cannot_see(tenancy, login, replay, networks_configured):
    facebook_routes(replay)
    client = login(tenancy.alice)
    query = start(client, tenancy, "facebook")
    client.get(reverse("networks_facebook_callback"), {"state": query["state"], "code": "fb-code"})
    response = client.post(url("networks_facebook_choose", tenancy), {"page_100000000000001": tenancy.b1.pk})
    assert response.status_code == 200 and b"Choose workspaces from the list" in response.content
    assert accounts(tenancy.org_a) == [] and accounts(tenancy.org_b) == []


def test_it_says_so_when_facebook_fails(tenancy, login, replay, networks_configured):
    replay.add(
        "GET",
        r"/v25\.0/oauth/access_token",
        {"error": {"message": "Invalid verification code format.", "type": "OAuthException", "code": 100}},
        status=400,
        headers=GRAPH_HEADERS,
    )
    client = login(tenancy.alice)
    query = start(client, tenancy, "facebook")
    response = client.get(reverse("networks_facebook_callback"), {"state": query["state"], "code": "bad"}, follow=True)
    assert b"Facebook could not be reached or refused the connection" in response.content


# --- account actions ---------------------------------------------------------------------------------


def test_it_checks_a_connection_and_marks_it_for_reconnecting_with_a_notification(
    tenancy, login, replay, networks_configured
):
    account = make_account(tenancy.a1, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    replay.add(
        "GET",
        r"/2/users/\d+",
        {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"},
        status=401,
        headers=X_HEADERS,
    )
    client = login(tenancy.alice)
    response = client.post(url("networks_account_check", tenancy, account_id=account.pk), follow=True)
    assert b"could not be read" in response.content
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_REAUTH
    with scope(organization=tenancy.org_a):
        notified = set(Notification.objects.filter(kind="account_needs_reauth").values_list("user__email", flat=True))
    assert notified == {"alice@example.com"}  # managers and up: not bob (analyst), not dana (client)
    page = client.get(url("workspace_home", tenancy, workspace_id=tenancy.a1.pk))
    assert b"Needs reconnecting" in page.content and b"Reconnect" in page.content
    # A second failure does not notify again.
    client.post(url("networks_account_check", tenancy, account_id=account.pk))
    with scope(organization=tenancy.org_a):
        assert Notification.objects.filter(kind="account_needs_reauth").count() == 1


def test_it_checks_a_working_connection(tenancy, login, replay, networks_configured):
    account = make_account(tenancy.a1, expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    replay.add(
        "GET",
        r"/2/users/\d+",
        {"data": {**ME["data"], "public_metrics": {"followers_count": 52000}}},
        headers=X_HEADERS,
    )
    response = login(tenancy.alice).post(url("networks_account_check", tenancy, account_id=account.pk), follow=True)
    assert b"52000 followers" in response.content


def test_it_refreshes_an_expired_x_token_and_stores_the_rotated_pair(tenancy, replay, networks_configured):
    account = make_account(
        tenancy.a1, refresh_token="old-refresh", expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    )
    replay.add(
        "POST",
        "/2/oauth2/token",
        {**TOKENS, "access_token": "new-access", "refresh_token": "new-refresh"},
        headers=X_HEADERS,
    )
    with scope(organization=tenancy.org_a):
        assert account_access_token(account=account) == "new-access"
        assert token_read(account=account, kind="refresh").value == "new-refresh"
        assert account_access_token(account=account) == "new-access"  # no second refresh
    assert parse_qs(replay.calls[0].body)["refresh_token"] == ["old-refresh"]
    assert len(replay.calls) == 1


def test_it_disconnects_an_account_and_forgets_its_tokens(tenancy, login):
    account = make_account(tenancy.a1)
    response = login(tenancy.alice).post(url("networks_account_disconnect", tenancy, account_id=account.pk))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.DISABLED
    with scope(organization=tenancy.org_a):
        assert not AccountToken.objects.filter(account=account).exists()


def test_it_deletes_an_account_after_confirmation(tenancy, login):
    account = make_account(tenancy.a1)
    client = login(tenancy.alice)
    assert client.get(url("networks_account_delete", tenancy, account_id=account.pk)).status_code == 200
    client.post(url("networks_account_delete", tenancy, account_id=account.pk))
    assert accounts(tenancy.org_a) == []


def test_it_shows_accounts_to_read_only_members_without_buttons(tenancy, login):
    make_account(tenancy.a1, name="Ville", handle="ville")
    page = login(tenancy.bob).get(url("workspace_home", tenancy, workspace_id=tenancy.a1.pk))
    assert b"Ville" in page.content
    assert b"Connect X" not in page.content and b"Disconnect" not in page.content


def test_it_lists_a_workspaces_accounts_in_a_fixed_number_of_queries(tenancy, login, django_assert_max_num_queries):
    for n in range(5):
        make_account(tenancy.a1, external_id=str(n), name=f"Account {n}")
    client = login(tenancy.alice)
    with django_assert_max_num_queries(12):
        client.get(url("workspace_home", tenancy, workspace_id=tenancy.a1.pk))
