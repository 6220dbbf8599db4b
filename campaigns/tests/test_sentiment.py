"""The sentiment of a campaign's captions: analysed at collection (or taken from the listening
hit), counted per day or week with the negative share on the statistics page."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from campaigns.models import CampaignMedia
from campaigns.selectors import campaign_sentiment
from campaigns.services.collect import caption_sentiment, media_from_hits
from campaigns.tests.factories import hit, make_campaign, make_media
from campaigns.tests.test_collect import cdn_url

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# The statistics page: its queries before (counts, weeks, contributors, votes…) plus one for the
# captions' sentiment, whatever the number of media.
QUERIES = 11  # 10 before the sentiment + 1


def test_it_reads_a_captions_sentiment_unless_listening_did():
    assert caption_sentiment("Magnifique coucher de soleil, j'adore ❤️ #instaboulogne") == "positive"
    assert caption_sentiment("Quelle honte, c'est nul et sale #instaboulogne") == "negative"
    assert caption_sentiment("Quelle honte, c'est nul", "neutral") == "neutral"  # the hit's own analysis
    assert caption_sentiment("   ") == ""


def test_it_stores_the_sentiment_at_collection_and_fills_older_media(tenancy, sim):
    campaign = make_campaign(tenancy.a1)
    first = hit("1790000000301", cdn_url(sim, "1790000000301"))
    first.text = "Quelle honte, c'est nul et sale #instaboulogne"
    second = hit("1790000000302", cdn_url(sim, "1790000000302"))
    second.sentiment = "positive"  # analysed by listening
    with scope(organization=tenancy.org_a):
        media_from_hits(campaign=campaign, hits=[first, second])
        stored = dict(CampaignMedia.objects.filter(campaign=campaign).values_list("external_id", "sentiment"))
        assert stored == {"1790000000301": "negative", "1790000000302": "positive"}
        CampaignMedia.objects.filter(campaign=campaign).update(sentiment="")  # collected before this field
        media_from_hits(campaign=campaign, hits=[first, second])
        stored = dict(CampaignMedia.objects.filter(campaign=campaign).values_list("external_id", "sentiment"))
    assert stored == {"1790000000301": "negative", "1790000000302": "positive"}


@pytest.fixture
def captioned(tenancy):
    today = timezone.localdate(timezone=PARIS)
    campaign = make_campaign(tenancy.a1, starts_on=today - dt.timedelta(days=13))
    now = timezone.now()
    for days_ago, sentiment in ((1, "negative"), (2, "positive"), (2, "positive"), (3, "neutral"), (4, "")):
        make_media(campaign, with_file=False, sentiment=sentiment, published_at=now - dt.timedelta(days=days_ago))
    return campaign


def test_it_counts_the_captions_sentiment(tenancy, captioned):
    today = timezone.localdate(timezone=PARIS)
    with scope(organization=tenancy.org_a):
        summary = campaign_sentiment(captioned, PARIS, today)
    assert (summary.start, summary.end, summary.by) == (today - dt.timedelta(days=13), today, "day")
    assert (summary.total, summary.analysed, summary.negative_share) == (5, 4, 0.25)
    assert sum(p.positive for p in summary.points) == 2 and sum(p.not_analysed for p in summary.points) == 1


def test_it_shows_the_captions_sentiment_on_the_statistics_page(
    tenancy, login, captioned, django_assert_max_num_queries
):
    url = reverse("campaign_stats", kwargs={"org": tenancy.org_a.slug, "campaign_id": captioned.pk})
    client = login(tenancy.bob)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(QUERIES):
        body = client.get(url).content.decode()
    assert "What the captions say" in body and "25.00 %" in body and 'id="sentiment-figure"' in body
    csv = client.get(url, {"download": "sentiment", "format": "csv"})
    assert csv.status_code == 200 and b"Negative share" in b"".join(csv.streaming_content)
    empty = make_campaign(tenancy.a1)
    body = client.get(reverse("campaign_stats", kwargs={"org": tenancy.org_a.slug, "campaign_id": empty.pk}))
    assert "Sentiment: not available, no message analysed in this period." in body.content.decode()
