"""End to end against the network simulator: the real OAuth screens and token endpoints, the real
clients (tweepy, pyfacebook) and our providers, through the same base-URL mechanism as production."""

import datetime as dt
import html
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope

from networks.models import AccountToken, SocialAccount
from networks.providers.base import PostKind
from networks.providers.errors import AuthExpired
from networks.providers.x import oauth as x_oauth
from networks.services.tokens import account_access_token, account_provider
from networks.simulator.world import BOULOGNE, VIRGINIE
from networks.vault import token_read, token_store

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def networks(settings, simulated_networks):
    settings.SITE_URL = "http://testserver"
    return simulated_networks


def consent(authorize_url: str, choice: dict) -> str:
    """Play the person on the simulator's consent page: returns our callback URL (path + query)."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    base = f"{urlparse(authorize_url).scheme}://{urlparse(authorize_url).netloc}"
    answer = requests.post(base + action, data={**fields, **choice}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = urlparse(answer.headers["Location"])
    assert location.netloc == "testserver"
    return f"{location.path}?{location.query}"


def connect_x(client, tenancy) -> SocialAccount:
    response = client.post(
        reverse("networks_connect_x", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    callback = consent(response["Location"], {"decision": "allow", "account": BOULOGNE.key})
    client.get(callback)
    with scope(organization=tenancy.org_a):
        return SocialAccount.objects.get(organization=tenancy.org_a, network="x")


def test_it_connects_an_x_account_through_the_simulator_and_reads_it(tenancy, login, networks):
    client = login(tenancy.alice)
    account = connect_x(client, tenancy)
    assert (account.external_id, account.handle) == (BOULOGNE.x_user_id, BOULOGNE.x_username)
    with scope(organization=tenancy.org_a):
        assert token_read(account=account, kind=AccountToken.Kind.REFRESH) is not None
        provider = account_provider(account=account)
        profile = provider.profile()
        posts = provider.posts().items
        mentions = provider.mentions().items
        found = provider.search("#Boulogne").items
    assert profile.followers and profile.followers > 0
    kinds = {p.kind for p in posts}
    assert PostKind.REPOST in kinds and PostKind.ORIGINAL in kinds
    for post in posts:
        if post.kind == PostKind.REPOST:
            assert post.metrics.likes is None and post.original_metrics is not None
        assert post.published_at.tzinfo == dt.UTC
    assert all(m.text for m in mentions)
    assert isinstance(found, list)
    page = client.get(reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}))
    assert BOULOGNE.x_username.encode() in page.content


def test_it_declines_on_the_simulators_consent_page(tenancy, login, networks):
    client = login(tenancy.alice)
    response = client.post(
        reverse("networks_connect_x", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    callback = consent(response["Location"], {"decision": "deny"})
    assert b"cancelled on X" in client.get(callback, follow=True).content


def test_it_refreshes_a_rotating_x_token_once(tenancy, login, networks):
    account = connect_x(login(tenancy.alice), tenancy)
    with scope(organization=tenancy.org_a):
        old_refresh = token_read(account=account, kind="refresh").value
        access = token_read(account=account, kind="access")
        token_store(
            account=account,
            kind="access",
            value=access.value,
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
        )
        new_access = account_access_token(account=account)
        assert new_access != access.value
        assert token_read(account=account, kind="refresh").value != old_refresh
        assert account_provider(account=account).profile().handle == BOULOGNE.x_username
    # The used refresh token is invalid afterwards (X rotates them).
    with pytest.raises(AuthExpired):
        x_oauth.refresh(refresh_token=old_refresh)


def test_it_connects_a_page_and_its_instagram_account_through_the_simulator(tenancy, login, networks):
    client = login(tenancy.alice)
    response = client.post(
        reverse("networks_connect_facebook", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    callback = consent(response["Location"], {"decision": "allow", "user": VIRGINIE.id})
    response = client.get(callback)
    choose = reverse("networks_facebook_choose", kwargs={"org": tenancy.org_a.slug})
    assert response["Location"] == choose
    assert BOULOGNE.name.encode() in client.get(choose).content
    client.post(choose, {f"page_{BOULOGNE.fb_page_id}": tenancy.a1.pk, f"ig_{BOULOGNE.fb_page_id}": tenancy.a1.pk})
    with scope(organization=tenancy.org_a):
        page = SocialAccount.objects.get(organization=tenancy.org_a, network="facebook")
        insta = SocialAccount.objects.get(organization=tenancy.org_a, network="instagram")
        assert (page.external_id, insta.external_id) == (BOULOGNE.fb_page_id, BOULOGNE.ig_user_id)
        assert insta.parent == page
        today = networks.now.date()
        start, end = today - dt.timedelta(days=7), today - dt.timedelta(days=1)

        facebook = account_provider(account=page)
        assert facebook.profile().followers > 0
        days = facebook.daily_metrics(start, end)
        assert days and all(start <= d.day <= end for d in days)
        assert all(d.followers is not None and d.views is not None for d in days)
        posts = facebook.posts().items
        assert posts and posts[0].metrics.likes is not None
        insights = facebook.post_metrics([p.external_id for p in posts[:3]])
        assert insights and all(m.views is not None for m in insights.values())
        assert isinstance(facebook.comments(posts[0].external_id).items, list)
        assert isinstance(facebook.conversations().items, list)

        instagram = account_provider(account=insta)
        assert instagram.profile().handle == BOULOGNE.ig_username
        ig_days = instagram.daily_metrics(start, end)
        assert ig_days and all(d.reach is not None for d in ig_days)
        media = instagram.posts().items
        assert media
        kinds = {m.external_id: m.content_type for m in media[:5]}
        assert instagram.post_metrics(list(kinds), content_types=kinds)
        assert isinstance(instagram.search("Boulogne").items, list)


def test_it_fetches_once_through_each_provider(tenancy, login, networks):
    client = login(tenancy.alice)
    x_account = connect_x(client, tenancy)
    response = client.post(
        reverse("networks_connect_facebook", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    client.get(consent(response["Location"], {"decision": "allow", "user": VIRGINIE.id}))
    client.post(
        reverse("networks_facebook_choose", kwargs={"org": tenancy.org_a.slug}),
        {f"page_{BOULOGNE.fb_page_id}": tenancy.a1.pk, f"ig_{BOULOGNE.fb_page_id}": tenancy.a1.pk},
    )
    with scope(organization=tenancy.org_a):
        ids = list(SocialAccount.objects.filter(organization=tenancy.org_a).values_list("pk", flat=True))
    assert x_account.pk in ids and len(ids) == 3
    for account_id in ids:
        out = io.StringIO()
        call_command("fetch_once", str(account_id), stdout=out)
        text = out.getvalue()
        assert "Profile:" in text and "Latest posts (5):" in text and "published_at" in text


def test_it_marks_a_revoked_account_for_reconnecting(tenancy, login, networks):
    client = login(tenancy.alice)
    account = connect_x(client, tenancy)
    networks.set_faults(revoked_tokens="all")
    client.post(reverse("networks_account_check", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk}))
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_REAUTH
    # Reconnecting makes it active again.
    networks.set_faults(revoked_tokens=[])
    connect_x(client, tenancy)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE


def test_the_redirect_uri_is_the_registered_callback(tenancy, login, networks):
    response = login(tenancy.alice).post(
        reverse("networks_connect_x", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    )
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["redirect_uri"] == ["http://testserver" + reverse("networks_x_callback")]
