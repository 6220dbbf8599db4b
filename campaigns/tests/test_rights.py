"""Rights: each step recorded with its date and author (and in the audit log); media without
granted rights can be neither picked, entered, exhibited nor exported."""

import io
import zipfile

import pytest
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from campaigns.models import CampaignMedia, RightsEvent
from campaigns.services import CampaignError
from campaigns.services.exhibition import exhibition_zip
from campaigns.services.media import media_set_contest, media_set_exhibition
from campaigns.services.rights import media_rights_set
from campaigns.tests.factories import granted, make_campaign, make_media


@pytest.fixture
def campaign(tenancy):
    return make_campaign(tenancy.a1)


def test_it_records_each_rights_step_with_its_date_and_author(campaign, tenancy):
    media = make_media(campaign, author="marie.b", status=CampaignMedia.Status.APPROVED)
    with scope(organization=campaign.organization):
        media_rights_set(media=media, rights="requested", user=tenancy.alice, note="DM sent on Instagram")
        media_rights_set(media=media, rights="granted", user=tenancy.alice)
        events = list(RightsEvent.objects.filter(media=media).values_list("rights", "by__email", "note"))
    assert events == [("requested", "alice@example.com", "DM sent on Instagram"), ("granted", "alice@example.com", "")]
    media.refresh_from_db()
    assert (media.rights, media.rights_changed_by, media.rights_changed_at is not None) == (
        "granted",
        tenancy.alice,
        True,
    )
    with scopes_disabled():
        actions = list(AuditEvent.objects.filter(organization=tenancy.org_a).values_list("action", flat=True))
    assert "campaign.rights_requested" in actions and "campaign.rights_granted" in actions


def test_it_refuses_a_step_that_makes_no_sense(campaign, tenancy):
    media = make_media(campaign)
    with scope(organization=campaign.organization), pytest.raises(CampaignError):
        media_rights_set(media=media, rights="refused", user=tenancy.alice)  # never asked


def test_it_takes_a_refused_media_out_of_every_reuse(campaign, tenancy):
    media = granted(campaign, author="marie.b", in_contest=True, for_exhibition=True)
    with scope(organization=campaign.organization):
        media_rights_set(media=media, rights="refused", user=tenancy.alice, note="changed her mind")
    media.refresh_from_db()
    assert (media.in_contest, media.for_exhibition) == (False, False)


@pytest.mark.parametrize("rights", ["none", "requested", "refused"])
def test_it_keeps_media_without_granted_rights_out_of_contest_and_exhibition(campaign, rights):
    media = make_media(campaign, status=CampaignMedia.Status.APPROVED, rights=rights)
    with pytest.raises(CampaignError):
        media_set_contest(media=media, entered=True)
    with pytest.raises(CampaignError):
        media_set_exhibition(media=media, selected=True)


def test_it_refuses_to_export_a_selection_holding_media_without_granted_rights(campaign):
    ok = granted(campaign, author="paul")
    asked = make_media(campaign, rights=CampaignMedia.Rights.REQUESTED, for_exhibition=True)
    with pytest.raises(CampaignError, match=asked.permalink):
        exhibition_zip(campaign=campaign, media=[ok, asked], tz=None)
    archive = exhibition_zip(campaign=campaign, media=[ok], tz=None)
    assert len(zipfile.ZipFile(io.BytesIO(archive.read())).namelist()) == 2
