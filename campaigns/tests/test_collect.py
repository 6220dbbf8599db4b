"""Collection: the simulator's CDN serves real media bytes at the URLs it returns, and expires
them; campaigns copy hits into the gallery once (dedup) with their files downloaded at once."""

import datetime as dt
import io

import requests
from django_scopes import scope
from PIL import Image

from campaigns.models import CampaignMedia
from campaigns.services.collect import media_from_hits
from campaigns.tests.factories import hit, make_campaign


def cdn_url(sim, media_id: str, extension: str = "jpg", *, valid_for=dt.timedelta(days=3)) -> str:
    expires = int((sim.now + valid_for).timestamp())
    return f"{sim.url}/v/sim/{media_id}.{extension}?oe={expires:x}"


def test_it_serves_a_real_deterministic_jpeg_at_the_media_url(sim):
    first = requests.get(cdn_url(sim, "17900000000001"), timeout=5)
    again = requests.get(cdn_url(sim, "17900000000001"), timeout=5)
    other = requests.get(cdn_url(sim, "17900000000002"), timeout=5)
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/jpeg"
    assert first.content == again.content != other.content
    with Image.open(io.BytesIO(first.content)) as image:
        assert (image.format, image.size) == ("JPEG", (640, 640))
    video = requests.get(cdn_url(sim, "17900000000003", "mp4"), timeout=5)
    assert video.headers["Content-Type"] == "video/mp4" and video.content[4:8] == b"ftyp"


def test_it_refuses_an_expired_media_url(sim):
    expired = requests.get(cdn_url(sim, "17900000000001", valid_for=dt.timedelta(seconds=-1)), timeout=5)
    assert expired.status_code == 403 and "expired" in expired.text


def test_it_returns_media_urls_on_the_simulator_from_hashtag_search(simulated_networks):
    sim = simulated_networks
    from networks.simulator.world import BOULOGNE

    token = sim.page_token()
    found = requests.get(
        f"{sim.url}/v25.0/ig_hashtag_search",
        params={"user_id": BOULOGNE.ig_user_id, "q": "instaboulogne", "access_token": token},
        timeout=5,
    ).json()
    media = requests.get(
        f"{sim.url}/v25.0/{found['data'][0]['id']}/top_media",
        params={"user_id": BOULOGNE.ig_user_id, "fields": "id,media_url,media_type", "access_token": token},
        timeout=5,
    ).json()["data"]
    assert media, "the simulator streams #instaboulogne every day"
    picture = requests.get(media[0]["media_url"], timeout=5)
    assert picture.status_code == 200 and picture.headers["Content-Type"] in ("image/jpeg", "video/mp4")


def test_it_downloads_each_new_media_once(tenancy, sim):
    campaign = make_campaign(tenancy.a1)
    hits = [
        hit("1790000000101", cdn_url(sim, "1790000000101")),
        hit("1790000000102", cdn_url(sim, "1790000000102", "mp4"), content_type="video"),
    ]
    with scope(organization=tenancy.org_a):
        result = media_from_hits(campaign=campaign, hits=hits + hits[:1])  # the same hit twice in one run
        assert (result.new, result.downloaded) == (2, 2)
        again = media_from_hits(campaign=campaign, hits=hits)  # the next collection finds them again
        assert (again.new, again.known, again.downloaded) == (0, 2, 0)
        stored = {m.external_id: m for m in CampaignMedia.objects.filter(campaign=campaign)}
    assert len(stored) == 2
    photo, video = stored["1790000000101"], stored["1790000000102"]
    assert (photo.kind, photo.file_type, video.kind, video.file_type) == ("image", "image/jpeg", "video", "video/mp4")
    assert photo.file.read()[:3] == b"\xff\xd8\xff"  # a JPEG, kept on our side
    assert photo.author_source == CampaignMedia.AuthorSource.UNKNOWN  # hashtag search gives no author


def test_it_keeps_a_failed_download_and_retries_it_with_a_fresh_url(tenancy, sim):
    campaign = make_campaign(tenancy.a1)
    stale = hit("1790000000201", cdn_url(sim, "1790000000201", valid_for=dt.timedelta(seconds=-5)))
    with scope(organization=tenancy.org_a):
        result = media_from_hits(campaign=campaign, hits=[stale])
        media = CampaignMedia.objects.get(campaign=campaign)
        assert (result.new, result.download_failures, bool(media.file)) == (1, 1, False)
        assert "403" in media.download_error
        retried = media_from_hits(campaign=campaign, hits=[hit("1790000000201", cdn_url(sim, "1790000000201"))])
        media.refresh_from_db()
    assert (retried.downloaded, bool(media.file), media.download_error) == (1, True, "")


def test_it_skips_media_outside_the_campaign_dates_and_posts_without_media(tenancy, sim):
    campaign = make_campaign(tenancy.a1, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 30))
    before = dt.datetime(2026, 5, 31, 12, tzinfo=dt.UTC)
    inside = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
    hits = [
        hit("1790000000301", cdn_url(sim, "1790000000301"), published_at=before),
        hit("1790000000302", cdn_url(sim, "1790000000302"), published_at=inside),
        hit("1790000000303", "", published_at=inside, content_type="text"),
    ]
    with scope(organization=tenancy.org_a):
        result = media_from_hits(campaign=campaign, hits=hits)
        assert list(CampaignMedia.objects.values_list("external_id", flat=True)) == ["1790000000302"]
    assert (result.new, result.out_of_dates) == (1, 1)


def test_it_keeps_the_author_when_the_network_gives_it(tenancy, sim):
    campaign = make_campaign(tenancy.a1)
    with scope(organization=tenancy.org_a):
        media_from_hits(campaign=campaign, hits=[hit("1790000000401", cdn_url(sim, "1790000000401"), author="marie.b")])
        media = CampaignMedia.objects.get(campaign=campaign)
    assert (media.author_handle, media.author_source) == ("marie.b", CampaignMedia.AuthorSource.NETWORK)


def test_it_collects_through_listening_and_the_simulator(tenancy, simulated_networks, celery_eager):
    """The real path: Instagram hashtag search (listening's quota and dedup) → campaign media with
    their files downloaded from the simulator's CDN; running it again adds nothing."""
    from campaigns.tasks import campaign_collect
    from listening.tests.factories import ig_account

    ig_account(tenancy.a1, simulated_networks)
    campaign = make_campaign(tenancy.a1, starts_on=(simulated_networks.now - dt.timedelta(days=30)).date())
    assert campaign_collect.delay(tenancy.org_a.pk, campaign.pk).get() > 0
    with scope(organization=tenancy.org_a):
        media = list(CampaignMedia.objects.filter(campaign=campaign))
        assert media and all(m.file and m.hit_id and m.permalink for m in media)
        assert {m.author_source for m in media} == {CampaignMedia.AuthorSource.UNKNOWN}
        assert campaign_collect.delay(tenancy.org_a.pk, campaign.pk).get() == 0
        assert CampaignMedia.objects.filter(campaign=campaign).count() == len(media)
    campaign.refresh_from_db()
    assert campaign.last_collected_at and campaign.last_collect_error == ""


def test_it_shows_a_quota_error_instead_of_failing(tenancy, simulated_networks):
    from campaigns.services.collect import campaign_collect

    campaign = make_campaign(tenancy.a1)  # no Instagram account in the workspace
    with scope(organization=tenancy.org_a):
        result = campaign_collect(campaign=campaign)
    campaign.refresh_from_db()
    assert result.errors and campaign.last_collect_error
