import datetime as dt
import zoneinfo

from django.urls import reverse
from django_scopes import scope

from campaigns.models import Vote
from campaigns.selectors import campaign_stats
from campaigns.tests.factories import granted, make_campaign, make_media

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_it_counts_media_contributors_unknown_share_weeks_and_votes(tenancy):
    campaign = make_campaign(tenancy.a1)
    monday = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    make_media(campaign, author="marie.b", published_at=monday)
    make_media(campaign, author="marie.b", published_at=monday + dt.timedelta(days=1))
    make_media(campaign, author="paul", published_at=monday + dt.timedelta(days=14))
    make_media(campaign, published_at=monday + dt.timedelta(days=15), kind="video")
    entry = granted(campaign, published_at=monday + dt.timedelta(days=15))
    with scope(organization=campaign.organization):
        for browser in ("a", "b"):
            Vote.objects.create(
                organization=campaign.organization,
                campaign=campaign,
                media=entry,
                browser_id=browser,
                ip_address="203.0.113.1",
            )
        stats = campaign_stats(campaign, PARIS)
    assert (stats.media, stats.photos, stats.videos, stats.contributors) == (5, 4, 1, 2)
    assert (stats.unknown_author_media, stats.unknown_share) == (2, 0.4)
    assert stats.weeks == [(dt.date(2026, 11, 2), 2, 2), (dt.date(2026, 11, 9), 0, 2), (dt.date(2026, 11, 16), 3, 5)]
    assert stats.top_contributors == [("marie.b", 2), ("paul", 1)]
    assert (stats.votes, stats.voters) == (2, 2)


def test_it_says_not_available_without_media(tenancy, login):
    campaign = make_campaign(tenancy.a1)
    with scope(organization=campaign.organization):
        assert campaign_stats(campaign, PARIS).unknown_share is None
    page = login(tenancy.alice).get(
        reverse("campaign_stats", kwargs={"org": tenancy.org_a.slug, "campaign_id": campaign.pk})
    )
    assert page.status_code == 200 and b"not available" in page.content
