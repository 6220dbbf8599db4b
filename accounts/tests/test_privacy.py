"""People's data: find, export (access request), erase (erasure request) and retention, across the
inbox, listening and campaigns, inside one organisation only."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from accounts.privacy import Person, PersonDataSource, person_data_sources
from accounts.services.privacy import person_erase, person_find, retention_apply
from campaigns.models import CampaignMedia
from campaigns.tests.factories import make_campaign, make_media
from inbox.models import Direction, Message, Thread, ThreadKind
from listening.models import Hit
from listening.tests.factories import make_hit
from networks.tests.factories import make_account

MARIE = "marie_b92"


def _thread(workspace, account, key: str, author: str, *, text: str, when: dt.datetime) -> Thread:
    with scope(organization=workspace.organization):
        thread = Thread.objects.create(
            organization=workspace.organization,
            workspace=workspace,
            account=account,
            network=account.network,
            kind=ThreadKind.COMMENT,
            external_id=key,
            author_id=f"id-{author}",
            author_name=author,
            last_message_at=when,
        )
        Message.objects.create(
            organization=workspace.organization,
            thread=thread,
            account=account,
            direction=Direction.IN,
            external_id=f"{key}-in",
            author_id=f"id-{author}",
            author_name=author,
            text=text,
            sent_at=when,
        )
    return thread


@pytest.fixture
def people(tenancy):
    """Marie wrote in organisation A (a comment, a reply in someone else's thread, a listening hit,
    a campaign photo) and in B; Paul wrote in A."""
    now = timezone.now()
    a_account = make_account(tenancy.a1, network="instagram", external_id="ig-a")
    b_account = make_account(tenancy.b1, network="instagram", external_id="ig-b")
    _thread(tenancy.a1, a_account, "c1", MARIE, text='=HYPERLINK("http://evil") piscine ?', when=now)
    paul = _thread(tenancy.a1, a_account, "c2", "paul", text="Horaires ?", when=now - dt.timedelta(days=400))
    with scope(organization=tenancy.org_a):
        Message.objects.create(
            organization=tenancy.org_a,
            thread=paul,
            account=a_account,
            direction=Direction.IN,
            external_id="c2-marie",
            author_id=f"id-{MARIE}",
            author_name=MARIE,
            text="Moi aussi je veux savoir",
            sent_at=now - dt.timedelta(days=399),
        )
    _thread(tenancy.b1, b_account, "c1", MARIE, text="Organisation B", when=now)
    make_hit(tenancy.a1, "h1", author_handle=MARIE, collected_at=now - dt.timedelta(days=2))
    make_hit(tenancy.a1, "h2", author_handle="paul", collected_at=now - dt.timedelta(days=500))
    campaign = make_campaign(tenancy.a1)
    photo = make_media(campaign, author=MARIE)
    return {"photo": photo}


def _held(organization, person):
    return {found.source.key: len(found.rows) for found in person_find(organization=organization, person=person)}


def test_it_registers_every_app_that_stores_peoples_data():
    assert {s.key for s in person_data_sources()} >= {"inbox.messages", "listening.hits", "campaigns.media"}


def test_it_finds_a_person_by_handle_id_or_name_in_one_organisation_only(tenancy, people):
    expected = {"inbox.messages": 2, "listening.hits": 1, "campaigns.media": 1}
    assert _held(tenancy.org_a, Person(MARIE)) == expected
    assert _held(tenancy.org_a, Person("@" + MARIE.upper())) == expected
    assert _held(tenancy.org_a, Person(f"id-{MARIE}"))["inbox.messages"] == 2
    assert _held(tenancy.org_a, Person(MARIE, network="x")) == {
        "inbox.messages": 0,
        "listening.hits": 1,  # the hit is on X
        "campaigns.media": 0,
    }
    assert _held(tenancy.org_a, Person("mari")) == {"inbox.messages": 0, "listening.hits": 0, "campaigns.media": 0}
    assert _held(tenancy.org_b, Person(MARIE))["inbox.messages"] == 1


def test_it_exports_an_access_request_as_a_zip_and_audits_it(tenancy, people, login):
    client = login(tenancy.alice)
    url = reverse("privacy", kwargs={"org": tenancy.org_a.slug})
    page = client.get(url, {"identifier": MARIE})
    assert page.status_code == 200 and "Moi aussi je veux savoir" in page.content.decode()
    response = client.post(url, {"action": "export", "identifier": MARIE, "network": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "README.json",
        *[f"{key}.{ext}" for key in ("inbox.messages", "listening.hits", "campaigns.media") for ext in ("csv", "json")],
    }
    messages = json.loads(archive.read("inbox.messages.json"))
    assert sorted(m["text"] for m in messages) == ['=HYPERLINK("http://evil") piscine ?', "Moi aussi je veux savoir"]
    assert "Organisation B" not in archive.read("inbox.messages.csv").decode("utf-8-sig")
    # The CSV neutralises a formula (the safe writer), the JSON keeps the text as written.
    assert "'=HYPERLINK" in archive.read("inbox.messages.csv").decode("utf-8-sig")
    with scope(organization=tenancy.org_a):
        event = AuditEvent.objects.get(action=AuditEvent.Action.PERSON_DATA_EXPORTED)
    assert event.actor == tenancy.alice and event.details["rows"]["inbox.messages"] == 2


def test_it_erases_a_person_everywhere_in_the_organisation_and_nowhere_else(tenancy, people, login):
    client = login(tenancy.alice)
    url = reverse("privacy", kwargs={"org": tenancy.org_a.slug})
    refused = client.post(url, {"action": "erase", "identifier": MARIE, "confirm": "marie"}, follow=True)
    assert _held(tenancy.org_a, Person(MARIE))["inbox.messages"] == 2, "erased without the confirmation"
    assert "Type the person exactly" in refused.content.decode()
    file_path = people["photo"].file.path
    client.post(url, {"action": "erase", "identifier": MARIE, "confirm": MARIE})
    assert _held(tenancy.org_a, Person(MARIE)) == {"inbox.messages": 0, "listening.hits": 0, "campaigns.media": 0}
    with scopes_disabled():
        # Paul's thread stays (only Marie's reply in it went); B's copy of Marie stays.
        assert list(Thread.objects.filter(organization=tenancy.org_a).values_list("external_id", flat=True)) == ["c2"]
        assert Message.objects.filter(organization=tenancy.org_a).count() == 1
        assert Message.objects.filter(organization=tenancy.org_b).count() == 1
        assert not CampaignMedia.objects.filter(pk=people["photo"].pk).exists()
        event = AuditEvent.objects.get(organization=tenancy.org_a, action=AuditEvent.Action.PERSON_DATA_ERASED)
    assert event.details["deleted"] == {"campaigns.media": 1, "inbox.messages": 2, "listening.hits": 1}
    assert not Path(file_path).exists(), "the photo's file outlived its row"


def test_it_applies_the_retention_period_to_messages_and_hits(tenancy, people, login):
    client = login(tenancy.alice)
    url = reverse("privacy", kwargs={"org": tenancy.org_a.slug})
    assert client.post(url, {"action": "retention", "people_data_retention_days": "3"}).status_code == 200  # < 7
    tenancy.org_a.refresh_from_db()
    assert tenancy.org_a.people_data_retention_days is None
    client.post(url, {"action": "retention", "people_data_retention_days": "365"})
    tenancy.org_a.refresh_from_db()
    assert tenancy.org_a.people_data_retention_days == 365
    deleted = retention_apply(organization=tenancy.org_a)
    assert deleted == {"inbox.messages": 2, "listening.hits": 1}  # Paul's old thread (2 messages) and hit
    assert retention_apply(organization=tenancy.org_b) == {}  # no period set: nothing goes
    with scopes_disabled():
        assert Hit.objects.filter(organization=tenancy.org_a).count() == 1
        assert AuditEvent.objects.filter(
            organization=tenancy.org_a, action=AuditEvent.Action.RETENTION_APPLIED
        ).exists()


def test_it_erases_in_one_transaction(tenancy, people, monkeypatch):
    from listening import privacy as listening_privacy

    def broken(organization, person):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        "accounts.privacy._sources",
        {
            **{s.key: s for s in person_data_sources()},
            "listening.hits": PersonDataSource(
                key="listening.hits", label="x", find=listening_privacy.find, erase=broken
            ),
        },
    )
    with pytest.raises(RuntimeError):
        person_erase(organization=tenancy.org_a, person=Person(MARIE), actor=tenancy.alice)
    assert _held(tenancy.org_a, Person(MARIE))["inbox.messages"] == 2
