"""Public votes: one per browser per photo, a per-IP hourly cap that a household stays under,
refused outside the voting dates, counted server side, abuse visible to the team."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from campaigns.models import Vote
from campaigns.selectors import BURST_PER_MINUTE, contest_results, vote_abuse
from campaigns.services.votes import Refusal, VoteRefused, vote_cast
from campaigns.tests.factories import granted, make_campaign, make_media
from campaigns.views.public import VOTER_COOKIE

HOUSEHOLD_IP = "203.0.113.7"


@pytest.fixture
def contest(tenancy):
    now = timezone.now()
    campaign = make_campaign(
        tenancy.a1, contest_opens_at=now - dt.timedelta(days=1), contest_closes_at=now + dt.timedelta(days=7)
    )
    entries = [granted(campaign, author=f"author{i}", in_contest=True) for i in range(3)]
    return campaign, entries


def cast(campaign, media, browser, ip=HOUSEHOLD_IP, now=None):
    with scope(organization=campaign.organization):
        return vote_cast(campaign=campaign, media_key=media.key, browser_id=browser, ip_address=ip, now=now)


def test_it_lets_a_household_behind_one_address_vote(contest):
    campaign, entries = contest
    for browser in ("mum-phone", "dad-laptop", "kid-tablet", "grandma-pc"):
        for media in entries:
            cast(campaign, media, browser)
    with scope(organization=campaign.organization):
        assert Vote.objects.filter(campaign=campaign).count() == 12
        assert [m.vote_count for m in contest_results(campaign)] == [4, 4, 4]


def test_it_refuses_a_second_vote_from_the_same_browser(contest):
    campaign, entries = contest
    cast(campaign, entries[0], "browser-1")
    with pytest.raises(VoteRefused) as refused:
        cast(campaign, entries[0], "browser-1", ip="198.51.100.9")  # even from another address
    assert refused.value.reason == Refusal.ALREADY_VOTED
    cast(campaign, entries[1], "browser-1")  # another photo: fine


def test_it_caps_votes_per_address_per_hour(contest):
    campaign, entries = contest
    campaign.votes_per_ip_per_hour = 5
    campaign.save()
    now = timezone.now()
    for index in range(5):
        cast(campaign, entries[index % 3], f"script-{index}", now=now)
    with pytest.raises(VoteRefused) as refused:
        cast(campaign, entries[0], "script-99", now=now)
    assert refused.value.reason == Refusal.TOO_MANY
    cast(campaign, entries[0], "neighbour", ip="198.51.100.10", now=now)  # other addresses are not affected
    cast(campaign, entries[0], "script-99", now=now + dt.timedelta(hours=1, seconds=1))  # an hour later


def test_it_refuses_votes_once_the_contest_closed_and_before_it_opens(contest):
    campaign, entries = contest
    with pytest.raises(VoteRefused) as closed:
        cast(campaign, entries[0], "late", now=campaign.contest_closes_at)
    assert closed.value.reason == Refusal.CLOSED
    with pytest.raises(VoteRefused) as early:
        cast(campaign, entries[0], "early", now=campaign.contest_opens_at - dt.timedelta(seconds=1))
    assert early.value.reason == Refusal.NOT_OPEN


def test_it_refuses_votes_for_media_outside_the_contest(contest, tenancy):
    campaign, _entries = contest
    pending = make_media(campaign, in_contest=True)  # not approved, no rights
    other = granted(make_campaign(tenancy.a1, contest_closes_at=campaign.contest_closes_at), in_contest=True)
    for media in (pending, other):
        with pytest.raises(VoteRefused) as refused:
            cast(campaign, media, "browser")
        assert refused.value.reason == Refusal.NOT_AN_ENTRY


def test_it_shows_many_votes_from_one_address_and_bursts(contest):
    campaign, entries = contest
    now = timezone.now().replace(second=5)
    for index in range(BURST_PER_MINUTE):
        cast(campaign, entries[0], f"bot-{index}", ip="192.0.2.66", now=now)
    cast(campaign, entries[1], "someone", ip="198.51.100.1", now=now)
    with scope(organization=campaign.organization):
        signals = vote_abuse(campaign)
    assert [(b["ip"], b["votes"]) for b in signals.bursts] == [("192.0.2.66", BURST_PER_MINUTE)]
    assert (signals.total_votes, signals.voters) == (BURST_PER_MINUTE + 1, BURST_PER_MINUTE + 1)


def test_it_votes_through_the_page_with_a_signed_browser_cookie(contest, client):
    campaign, entries = contest
    page = client.get(reverse("contest_vote_page", kwargs={"key": campaign.public_key}))
    assert page.status_code == 200 and VOTER_COOKIE in page.cookies
    url = reverse("contest_vote", kwargs={"key": campaign.public_key, "media_key": entries[0].key})
    first = client.post(url, HTTP_HX_REQUEST="true")
    second = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and b"Thank you" in first.content
    assert second.status_code == 200 and b"already voted" in second.content
    with scopes_disabled():
        assert Vote.objects.filter(media=entries[0]).count() == 1
    # A forged cookie is not trusted: the browser gets a new id (and a new cookie), never someone else's.
    client.cookies[VOTER_COOKIE] = "someone-else"
    forged = client.post(url, HTTP_HX_REQUEST="true")
    assert forged.status_code == 200 and forged.cookies[VOTER_COOKIE].value != "someone-else"


def test_it_refuses_votes_on_the_page_after_the_closing_date(contest, client):
    campaign, entries = contest
    campaign.contest_closes_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()
    url = reverse("contest_vote", kwargs={"key": campaign.public_key, "media_key": entries[0].key})
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert (
        response.status_code == 200
        and b"Voting is closed" in response.content
        and b"vote-button" not in response.content
    )
    with scopes_disabled():
        assert not Vote.objects.exists()
    results = client.get(reverse("contest_results", kwargs={"key": campaign.public_key}))
    assert results.status_code == 200 and b"Final results" in results.content


def test_it_speaks_the_organisations_language_unless_the_visitor_chose(contest, client):
    campaign, _entries = contest
    campaign.organization.language = "fr"
    campaign.organization.save()
    page = reverse("contest_vote_page", kwargs={"key": campaign.public_key})
    assert "Votez pour vos photos préférées" in client.get(page).content.decode()
    client.cookies["og_language"] = "en"
    assert "Vote for your favourite photos" in client.get(page).content.decode()
