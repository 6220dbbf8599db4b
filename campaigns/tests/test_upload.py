"""The private upload link: signed, expiring, replaced by a newer one; files checked by their
bytes (type and size) with clear errors; no login needed."""

import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from campaigns.models import CampaignMedia
from campaigns.services import CampaignError
from campaigns.services import rights as rights_services
from campaigns.services.rights import upload_link_create
from campaigns.tests.factories import jpeg_bytes, make_campaign, make_media


@pytest.fixture
def media(tenancy):
    campaign = make_campaign(tenancy.a1)
    return make_media(campaign, author="marie.b", status="approved", rights=CampaignMedia.Rights.GRANTED)


def link(media, user=None) -> str:
    with scope(organization=media.organization):
        token = upload_link_create(media=media, user=user)
    return reverse("campaign_upload", kwargs={"token": token})


def test_it_receives_the_original_without_login(client, media):
    url = link(media)
    page = client.get(url)
    assert page.status_code == 200 and b"Send your original photo" in page.content
    photo = SimpleUploadedFile("IMG_0001.JPG", jpeg_bytes(size=(64, 48)), content_type="image/jpeg")
    response = client.post(url, {"file": photo})
    assert response.status_code == 200 and b"Your file was received" in response.content
    media.refresh_from_db()
    assert media.original_type == "image/jpeg" and media.original.read() == jpeg_bytes(size=(64, 48))
    with scopes_disabled():
        told = list(Notification.objects.filter(kind="campaigns.original").values_list("user__email", "title"))
    # The owner hears of it; the analyst (read-only) and the client do not.
    assert told == [("alice@example.com", "@marie.b sent the original of a photo of " + media.campaign.name)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello, not a photo", b"not a photo or a video we can read"),
        ("fake.jpg", b"\xff\xd8\xff\xe0 truncated nonsense", b"not a photo or a video we can read"),
        (
            "anim.gif",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            b"GIF files are not accepted",
        ),
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_error(client, media, name, content, message):
    response = client.post(link(media), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content
    media.refresh_from_db()
    assert not media.original


def test_it_refuses_a_file_too_large(client, media, monkeypatch):
    monkeypatch.setattr(rights_services, "MAX_UPLOAD_BYTES", 100)
    response = client.post(link(media), {"file": SimpleUploadedFile("big.jpg", jpeg_bytes(size=(64, 64)))})
    assert response.status_code == 400 and b"the limit is" in response.content


def test_it_refuses_an_expired_link(client, media, monkeypatch):
    old = int(time.time()) - (rights_services.UPLOAD_LINK_DAYS * 86400 + 60)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    url = link(media)
    monkeypatch.undo()
    response = client.get(url)
    assert response.status_code == 410 and b"expir" in response.content  # "expired" or "expiré"
    posted = client.post(url, {"file": SimpleUploadedFile("a.jpg", jpeg_bytes())})
    assert posted.status_code == 410


def test_it_refuses_a_replaced_or_forged_link(client, media):
    first = link(media)
    second = link(media)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert client.get(second.replace(media.key, "x" * len(media.key))).status_code == 404
    assert client.get(reverse("campaign_upload", kwargs={"token": "not-a-token"})).status_code == 404


def test_it_makes_links_only_once_the_rights_were_asked(media):
    with scopes_disabled():
        fresh = make_media(media.campaign)
    with scope(organization=media.organization), pytest.raises(CampaignError):
        upload_link_create(media=fresh, user=None)
