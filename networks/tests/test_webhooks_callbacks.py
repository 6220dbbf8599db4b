"""Meta's deauthorisation and data-deletion callbacks: signed_request verification, what each
deletes, the answer Meta expects and the public deletion status page."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from networks.models import AccountToken, DataDeletionRequest, MetaUserGrant, SocialAccount
from networks.providers.facebook import oauth as fb_oauth
from networks.services.connect import FacebookGrant, facebook_pages_connect
from networks.tests.factories import make_account
from networks.webhooks import services
from networks.webhooks.signatures import (
    InvalidSignedRequestError,
    signed_request_decode,
    signed_request_encode,
)

SECRET = "test-app-secret"
VIRGINIE, CAMILLE = "200000000000001", "200000000000002"


@pytest.fixture(autouse=True)
def meta_app(settings):
    settings.META_APP_SECRET = SECRET
    settings.SITE_URL = "https://overgraph.example"


def signed(user_id: str, **extra) -> str:
    return signed_request_encode(
        {"algorithm": "HMAC-SHA256", "issued_at": int(time.time()), "user_id": user_id, **extra}, SECRET
    )


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def meta_account(workspace, network: str, external_id: str, granted_by: str, at: dt.datetime | None = None):
    account = make_account(workspace, network=network, external_id=external_id, access_token="page-token")
    with scope(organization=account.organization):
        grant = services.meta_user_grant_record(account=account, facebook_user_id=granted_by)
        if at is not None:
            MetaUserGrant.objects.filter(pk=grant.pk).update(granted_at=at)
    return account


def reload(account: SocialAccount) -> SocialAccount | None:
    with scope(organization=account.organization):
        return SocialAccount.objects.filter(pk=account.pk).first()


def tokens(account: SocialAccount) -> int:
    with scope(organization=account.organization):
        return AccountToken.objects.filter(account_id=account.pk).count()


# --- signed_request ------------------------------------------------------------------------------


def test_it_decodes_a_valid_signed_request():
    assert signed_request_decode(signed(VIRGINIE), SECRET)["user_id"] == VIRGINIE


def test_it_matches_meta_documented_construction():
    # HMAC-SHA256 over the base64url payload as sent, keyed with the app secret.
    payload = {"algorithm": "HMAC-SHA256", "issued_at": int(time.time()), "user_id": "1"}
    encoded = b64(json.dumps(payload).encode())
    signature = b64(hmac.new(SECRET.encode(), encoded.encode(), hashlib.sha256).digest())
    assert signed_request_decode(f"{signature}.{encoded}", SECRET)["user_id"] == "1"


@pytest.mark.parametrize(
    ("issued_at", "accepted"),
    [(-23 * 3600, True), (-25 * 3600, False), (4 * 60, True), (10 * 60, False), (None, False), ("now", False)],
    ids=["23h-old", "25h-old-replay", "skewed-4min", "future-10min", "missing", "not-a-number"],
)
def test_it_refuses_a_replayed_or_undated_signed_request(issued_at, accepted):
    now = 1_790_000_000
    payload = {"algorithm": "HMAC-SHA256", "user_id": VIRGINIE}
    if issued_at is not None:
        payload["issued_at"] = now + issued_at if isinstance(issued_at, int) else issued_at
    request = signed_request_encode(payload, SECRET)
    if accepted:
        assert signed_request_decode(request, SECRET, now=now)["user_id"] == VIRGINIE
    else:
        with pytest.raises(InvalidSignedRequestError, match="issued_at"):
            signed_request_decode(request, SECRET, now=now)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda r: r.split(".")[0] + "." + b64(json.dumps({"algorithm": "HMAC-SHA256", "user_id": "666"}).encode()),
        lambda r: b64(b"\0" * 32) + "." + r.split(".")[1],
        lambda r: r.split(".")[1],
        lambda r: "",
        lambda r: "!!!.???",
        lambda r: r + "x",
    ],
    ids=["tampered-payload", "wrong-signature", "no-signature", "empty", "not-base64", "extra-bytes"],
)
def test_it_refuses_a_tampered_signed_request(mangle):
    with pytest.raises(InvalidSignedRequestError):
        signed_request_decode(mangle(signed(VIRGINIE)), SECRET)


def test_it_refuses_another_algorithm_even_correctly_signed():
    request = signed_request_encode(
        {"algorithm": "HMAC-SHA1", "issued_at": int(time.time()), "user_id": VIRGINIE}, SECRET
    )
    with pytest.raises(InvalidSignedRequestError, match="algorithm"):
        signed_request_decode(request, SECRET)


def test_it_refuses_a_request_signed_with_another_secret():
    with pytest.raises(InvalidSignedRequestError, match="signature"):
        signed_request_decode(signed(VIRGINIE), "another-secret")


def test_it_refuses_everything_when_no_app_secret_is_configured():
    with pytest.raises(InvalidSignedRequestError):
        signed_request_decode(signed_request_encode({"algorithm": "HMAC-SHA256", "user_id": "1"}, ""), "")


# --- The connect flow records who granted ----------------------------------------------------------


def test_it_records_the_facebook_user_who_connected_pages(tenancy, simulated_networks, sim):
    token = fb_oauth.UserToken(access_token=sim.user_token(VIRGINIE))
    grant = FacebookGrant(
        user_token=token, pages=fb_oauth.managed_pages(token=token), user_id=fb_oauth.user_id(token=token)
    )
    assert grant.user_id == VIRGINIE
    with scope(organization=tenancy.org_a):
        page, instagram = facebook_pages_connect(
            organization=tenancy.org_a,
            user=tenancy.alice,
            grant=grant,
            page_workspaces={"100000000000001": tenancy.a1},
            instagram_workspaces={"100000000000001": tenancy.a1},
        )
        assert sorted(MetaUserGrant.objects.values_list("account_id", "facebook_user_id")) == sorted(
            [(page.pk, VIRGINIE), (instagram.pk, VIRGINIE)]
        )


# --- Deauthorisation --------------------------------------------------------------------------------


def test_it_cuts_off_the_accounts_a_deauthorising_user_connected(client, tenancy):
    page = meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE)
    instagram = meta_account(tenancy.a1, "instagram", "17841400000000001", VIRGINIE)
    unrelated = meta_account(tenancy.a2, "facebook", "100000000000004", CAMILLE)
    response = client.post(reverse("webhooks_meta_deauthorize"), {"signed_request": signed(VIRGINIE)})
    assert response.status_code == 200
    for account in (page, instagram):
        assert reload(account).status == SocialAccount.Status.NEEDS_REAUTH
        assert tokens(account) == 0
    assert reload(unrelated).status == SocialAccount.Status.ACTIVE
    assert tokens(unrelated) == 1
    with scope(organization=tenancy.org_a):
        notified = Notification.objects.filter(kind="account_needs_reauth")
        assert {n.user for n in notified} == {tenancy.alice}  # owner, not the read-only analyst
        assert notified.count() == 2  # one per account


def test_it_leaves_an_account_someone_else_reconnected_since(client, tenancy):
    earlier = timezone.now() - dt.timedelta(days=3)
    page = meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE, at=earlier)
    with scope(organization=tenancy.org_a):
        services.meta_user_grant_record(account=page, facebook_user_id=CAMILLE)  # the current tokens
    client.post(reverse("webhooks_meta_deauthorize"), {"signed_request": signed(VIRGINIE)})
    assert reload(page).status == SocialAccount.Status.ACTIVE
    assert tokens(page) == 1


def test_it_only_touches_the_user_accounts_in_every_organisation(client, tenancy):
    page_a = meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE)
    page_b = meta_account(tenancy.b1, "facebook", "100000000000001", VIRGINIE)
    other_b = meta_account(tenancy.b1, "facebook", "100000000000002", CAMILLE)
    client.post(reverse("webhooks_meta_deauthorize"), {"signed_request": signed(VIRGINIE)})
    assert reload(page_a).status == reload(page_b).status == SocialAccount.Status.NEEDS_REAUTH
    assert reload(other_b).status == SocialAccount.Status.ACTIVE


@pytest.mark.parametrize("url_name", ["webhooks_meta_deauthorize", "webhooks_meta_data_deletion"])
def test_it_refuses_an_unsigned_callback_and_changes_nothing(client, tenancy, url_name):
    page = meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE)
    forged = signed_request_encode({"algorithm": "HMAC-SHA256", "user_id": VIRGINIE}, "not-our-secret")
    assert client.post(reverse(url_name), {"signed_request": forged}).status_code == 403
    assert client.post(reverse(url_name), {}).status_code == 403
    assert client.get(reverse(url_name)).status_code == 405
    assert reload(page).status == SocialAccount.Status.ACTIVE
    with scopes_disabled():
        assert DataDeletionRequest.objects.count() == 0


# --- Data deletion ------------------------------------------------------------------------------


def test_it_deletes_accounts_only_the_user_connected_and_answers_with_a_code(client, tenancy):
    page = meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE)
    shared = meta_account(tenancy.a2, "facebook", "100000000000004", CAMILLE, at=timezone.now() - dt.timedelta(days=1))
    with scope(organization=tenancy.org_a):
        services.meta_user_grant_record(account=shared, facebook_user_id=VIRGINIE)  # current tokens: hers
    kept = meta_account(tenancy.b1, "facebook", "100000000000003", CAMILLE)
    response = client.post(reverse("webhooks_meta_data_deletion"), {"signed_request": signed(VIRGINIE)})
    assert response.status_code == 200
    answer = response.json()
    (deletion,) = DataDeletionRequest.objects.all()
    assert answer == {
        "url": f"https://overgraph.example/webhooks/meta/deletion-status/{deletion.confirmation_code}/",
        "confirmation_code": deletion.confirmation_code,
    }
    assert reload(page) is None  # only she connected it: gone with its statistics
    assert reload(shared).status == SocialAccount.Status.NEEDS_REAUTH  # someone else vouched for it
    assert tokens(shared) == 0
    assert reload(kept).status == SocialAccount.Status.ACTIVE
    with scopes_disabled():
        assert not MetaUserGrant.objects.filter(facebook_user_id=VIRGINIE).exists()
        assert MetaUserGrant.objects.filter(facebook_user_id=CAMILLE).count() == 2
    assert deletion.summary == {"tokens_deleted": 2, "accounts_disconnected": 1, "accounts_deleted": 1}
    assert deletion.status == "completed" and deletion.completed_at is not None
    assert VIRGINIE not in json.dumps(deletion.summary) + deletion.user_hash
    with scope(organization=tenancy.org_a):
        assert Notification.objects.filter(kind="account_erased", user=tenancy.alice).count() == 1


def test_it_answers_a_request_about_someone_we_never_saw(client, db):
    response = client.post(reverse("webhooks_meta_data_deletion"), {"signed_request": signed("999")})
    assert response.status_code == 200
    assert DataDeletionRequest.objects.get().summary == {
        "tokens_deleted": 0,
        "accounts_disconnected": 0,
        "accounts_deleted": 0,
    }


def test_it_shows_what_was_deleted_without_personal_data(client, tenancy):
    meta_account(tenancy.a1, "facebook", "100000000000001", VIRGINIE)
    answer = client.post(reverse("webhooks_meta_data_deletion"), {"signed_request": signed(VIRGINIE)}).json()
    page = client.get(answer["url"].removeprefix("https://overgraph.example"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert answer["confirmation_code"] in html
    assert "1 connected account deleted with its statistics" in html
    assert "1 access token deleted" in html
    assert VIRGINIE not in html and "Ville" not in html and "100000000000001" not in html


def test_it_answers_404_for_an_unknown_code(client, db):
    assert client.get(reverse("webhooks_meta_deletion_status", kwargs={"code": "nope"})).status_code == 404


def test_it_lists_deletion_requests_for_platform_admins(client, db, django_user_model):
    services.meta_user_data_delete(facebook_user_id=VIRGINIE)
    client.force_login(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 12))
    assert client.get(reverse("admin:networks_datadeletionrequest_changelist")).status_code == 200
    assert client.get(reverse("admin:networks_metausergrant_changelist")).status_code == 200
