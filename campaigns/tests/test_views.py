"""The team's pages: each renders, the gallery's query count does not grow with its media, and
the workflows run through the forms (htmx card swaps included)."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from campaigns.models import Campaign, CampaignMedia, DailyPick, RightsEvent
from campaigns.tests.factories import granted, make_campaign, make_media


@pytest.fixture
def campaign(tenancy):
    return make_campaign(tenancy.a1, name="Insta")


def url(name, campaign, **kwargs):
    return reverse(name, kwargs={"org": campaign.organization.slug, "campaign_id": campaign.pk, **kwargs})


def test_it_creates_a_campaign(tenancy, login):
    client = login(tenancy.alice)
    response = client.post(
        reverse("campaign_list", kwargs={"org": tenancy.org_a.slug}),
        {
            "name": "Été",
            "workspace": tenancy.a1.pk,
            "hashtags": "#InstaBoulogne, #boulbi",
            "starts_on": "2026-06-01",
            "author_cooldown_days": 14,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        campaign = Campaign.objects.get(name="Été")
    assert campaign.hashtags == ["InstaBoulogne", "boulbi"] and campaign.author_cooldown_days == 14


def test_it_explains_a_bad_hashtag(tenancy, login):
    response = login(tenancy.alice).post(
        reverse("campaign_list", kwargs={"org": tenancy.org_a.slug}),
        {
            "name": "X",
            "workspace": tenancy.a1.pk,
            "hashtags": "#insta-boulogne",
            "starts_on": "2026-06-01",
            "author_cooldown_days": 14,
        },
    )
    assert response.status_code == 400 and "is not a hashtag" in response.content.decode()


def test_it_renders_every_page(tenancy, login, campaign):
    media = granted(campaign, author="marie.b", in_contest=True)
    client = login(tenancy.alice)
    for name, extra in (
        ("campaign_gallery", {}),
        ("campaign_edit", {}),
        ("campaign_media", {"media_id": media.pk}),
        ("campaign_picks", {}),
        ("campaign_contest", {}),
        ("campaign_stats", {}),
    ):
        assert client.get(url(name, campaign, **extra)).status_code == 200, name
    assert client.get(url("campaign_media_file", campaign, media_id=media.pk)).status_code == 200


def test_it_reads_the_gallery_in_a_fixed_number_of_queries(tenancy, login, campaign):
    client = login(tenancy.alice)
    make_media(campaign, author="a", tags=["sea"])
    client.get(url("campaign_gallery", campaign))  # the first visit remembers the organisation (one write)
    with CaptureQueriesContext(connection) as few:
        client.get(url("campaign_gallery", campaign))
    for index in range(15):
        make_media(campaign, author=f"a{index}", tags=["night"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("campaign_gallery", campaign))
    assert response.content.decode().count('class="media-card') == 16
    # The page frame's: session (from Redis when it is configured), user, memberships with their unread notifications.
    session_reads = 0 if settings.SESSION_ENGINE == "overgraph.sessions" else 1
    assert len(many.captured_queries) == len(few.captured_queries) == 6 + session_reads


def test_it_pages_the_gallery_and_keeps_the_filters(tenancy, login, campaign):
    for index in range(50):
        make_media(campaign, author=f"a{index}", favourite=True)
    client = login(tenancy.alice)
    first = client.get(url("campaign_gallery", campaign), {"favourite": "1"}).content.decode()
    assert first.count('class="media-card') == 48 and "favourite=1&amp;page=2" in first
    second = client.get(url("campaign_gallery", campaign), {"favourite": "1", "page": 2}).content.decode()
    assert second.count('class="media-card') == 2


def test_it_moderates_from_the_gallery_card_with_htmx(tenancy, login, campaign):
    media = make_media(campaign)
    response = login(tenancy.alice).post(
        url("campaign_media", campaign, media_id=media.pk),
        {"action": "moderate", "status": "approved", "card": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and f'id="media-{media.pk}"' in response.content.decode()
    media.refresh_from_db()
    assert media.status == CampaignMedia.Status.APPROVED


def test_it_runs_the_rights_workflow_from_the_media_page(tenancy, login, campaign):
    media = make_media(campaign, status="approved")
    client = login(tenancy.alice)
    page = url("campaign_media", campaign, media_id=media.pk)
    client.post(page, {"action": "author", "author": "@marie.b"})
    client.post(page, {"action": "tags", "tags": "Sea, night sea"})
    client.post(page, {"action": "rights", "rights": "requested", "note": "DM"})
    link_page = client.post(page, {"action": "upload_link"})
    assert b"/send-original/" in link_page.content
    client.post(page, {"action": "rights", "rights": "granted"})
    client.post(page, {"action": "contest", "value": "1"})
    media.refresh_from_db()
    assert (media.author_handle, media.author_source, media.tags) == ("marie.b", "manual", ["sea", "night"])
    assert (media.rights, media.in_contest) == ("granted", True)
    with scopes_disabled():
        assert RightsEvent.objects.filter(media=media).count() == 2
    refused = client.post(page, {"action": "rights", "rights": "requested"})  # granted → requested is no step
    assert refused.status_code == 400 and b"cannot go from" in refused.content


def test_it_picks_the_photo_of_the_day_from_the_calendar_page(tenancy, login, campaign):
    media = granted(campaign, author="marie.b")
    client = login(tenancy.alice)
    day = dt.date(2026, 12, 24)
    response = client.post(url("campaign_picks", campaign), {"media": media.pk, "day": day.isoformat()}, follow=True)
    assert "📷 @marie.b — #InstaBoulogne" in response.content.decode()
    with scopes_disabled():
        assert DailyPick.objects.get(campaign=campaign).day == day
    refused = client.post(url("campaign_picks", campaign), {"media": make_media(campaign).pk, "day": "2026-12-25"})
    assert refused.status_code == 400 and "granted" in refused.content.decode()


def test_it_speaks_french(tenancy, login, campaign):
    tenancy.org_a.language = "fr"
    tenancy.org_a.save()
    client = login(tenancy.alice)
    client.cookies.pop("og_language")
    response = client.get(url("campaign_gallery", campaign), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Photo du jour" in response.content.decode()


@pytest.mark.parametrize("model", ["campaign", "campaignmedia", "rightsevent", "dailypick", "vote"])
def test_it_shows_every_model_in_django_admin(model, client, tenancy, campaign):
    from accounts.models import User

    granted(campaign, author="x")
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x" * 12))
    assert client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200


def test_it_refuses_a_campaign_beyond_the_instagram_hashtag_quota(tenancy, login, simulated_networks):
    from listening.quota import hashtag_quota_reserve
    from listening.tests.factories import ig_account

    account = ig_account(tenancy.a1, simulated_networks)
    with scopes_disabled():
        for index in range(30):
            hashtag_quota_reserve(account=account, hashtag=f"tag{index}")
    client = login(tenancy.alice)
    data = {"name": "Full", "workspace": tenancy.a1.pk, "starts_on": "2026-06-01", "author_cooldown_days": 14}
    refused = client.post(reverse("campaign_list", kwargs={"org": tenancy.org_a.slug}), {**data, "hashtags": "#Boulbi"})
    assert refused.status_code == 400 and "30" in refused.content.decode()
    # A tag already searched within the week costs nothing more.
    accepted = client.post(reverse("campaign_list", kwargs={"org": tenancy.org_a.slug}), {**data, "hashtags": "#tag3"})
    assert accepted.status_code == 302


def test_it_shows_a_refusal_inside_the_gallery_card(tenancy, login, campaign):
    media = make_media(campaign, status="approved")  # rights never asked
    response = login(tenancy.alice).post(
        url("campaign_media", campaign, media_id=media.pk),
        {"action": "exhibition", "value": "1", "card": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "granted the rights can be exhibited" in response.content.decode()
    media.refresh_from_db()
    assert not media.for_exhibition
