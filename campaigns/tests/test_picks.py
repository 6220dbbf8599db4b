"""Photo of the day: only approved and granted media, and a known author comes back only after the
campaign's cooldown (checked on both sides of the day)."""

import datetime as dt

import pytest
from django.utils import translation
from django_scopes import scope

from campaigns.models import CampaignMedia
from campaigns.selectors import pick_calendar, pick_candidates
from campaigns.services import CampaignError
from campaigns.services.picks import credit_line, daily_pick_create
from campaigns.tests.factories import granted, make_campaign, make_media

DAY = dt.date(2026, 11, 30)


@pytest.fixture
def campaign(tenancy):
    return make_campaign(tenancy.a1, author_cooldown_days=10)


def pick(campaign, media, day, user=None):
    with scope(organization=campaign.organization):
        return daily_pick_create(campaign=campaign, media=media, day=day, user=user)


def test_it_prepares_the_credit_line(campaign, tenancy):
    media = granted(campaign, author="marie.b")
    assert pick(campaign, media, DAY, tenancy.alice).credit == "📷 @marie.b — #InstaBoulogne"
    assert credit_line(granted(campaign)) == "📷 #InstaBoulogne"


@pytest.mark.parametrize(
    ("status", "rights"),
    [
        (CampaignMedia.Status.PENDING, CampaignMedia.Rights.GRANTED),
        (CampaignMedia.Status.APPROVED, CampaignMedia.Rights.REQUESTED),
        (CampaignMedia.Status.APPROVED, CampaignMedia.Rights.REFUSED),
        (CampaignMedia.Status.APPROVED, CampaignMedia.Rights.NONE),
        (CampaignMedia.Status.HIDDEN, CampaignMedia.Rights.GRANTED),
    ],
)
def test_it_picks_only_approved_media_with_granted_rights(campaign, status, rights):
    media = make_media(campaign, author="x", status=status, rights=rights)
    with pytest.raises(CampaignError):
        pick(campaign, media, DAY)
    with scope(organization=campaign.organization):
        assert media not in [c.media for c in pick_candidates(campaign, DAY)]


def test_it_keeps_a_known_author_away_within_the_cooldown(campaign):
    first, second, other = (
        granted(campaign, author="marie.b"),
        granted(campaign, author="Marie.B"),
        granted(campaign, author="paul"),
    )
    pick(campaign, first, DAY)
    for day in (DAY + dt.timedelta(days=9), DAY - dt.timedelta(days=9)):  # after, and before a planned pick
        with pytest.raises(CampaignError, match=r"(?i)@marie\.b est déjà la photo du jour"):
            pick(campaign, second, day)
    pick(campaign, other, DAY + dt.timedelta(days=1))
    pick(campaign, second, DAY + dt.timedelta(days=10))  # the cooldown is over


def test_it_puts_blocked_authors_last_among_candidates(campaign):
    picked, blocked, free = (
        granted(campaign, author="marie.b"),
        granted(campaign, author="marie.b", likes=999),
        granted(campaign, author="paul"),
    )
    pick(campaign, picked, DAY)
    with scope(organization=campaign.organization):
        candidates = pick_candidates(campaign, DAY + dt.timedelta(days=1))
    assert [(c.media, c.allowed) for c in candidates] == [(free, True), (blocked, False)]
    assert candidates[1].blocked_on == [DAY]


def test_it_allows_unknown_authors_and_one_photo_per_day(campaign):
    anonymous, another = granted(campaign), granted(campaign)
    pick(campaign, anonymous, DAY)
    with pytest.raises(CampaignError, match="a déjà sa photo du jour"):
        pick(campaign, another, DAY)
    pick(campaign, another, DAY + dt.timedelta(days=1))
    with pytest.raises(CampaignError, match="Ce média est déjà la photo du jour"):
        pick(campaign, anonymous, DAY + dt.timedelta(days=2))


def test_it_lays_out_past_and_planned_picks(campaign):
    media = granted(campaign, author="paul")
    pick(campaign, media, DAY + dt.timedelta(days=2))
    with scope(organization=campaign.organization):
        calendar = pick_calendar(campaign, DAY, 7)
    assert [d for d, p in calendar if p] == [DAY + dt.timedelta(days=2)] and len(calendar) == 7


def test_its_refusals_name_the_day_in_the_readers_language(campaign):
    first, second = granted(campaign, author="marie.b"), granted(campaign, author="marie.b")
    pick(campaign, first, DAY)
    with translation.override("fr"), pytest.raises(CampaignError) as refused:
        pick(campaign, second, DAY + dt.timedelta(days=1))
    assert "30 novembre 2026" in str(refused.value) and "2026-11-30" not in str(refused.value)
    with translation.override("fr"), pytest.raises(CampaignError) as refused:
        pick(campaign, granted(campaign), DAY)
    assert str(refused.value).startswith("Le 30 novembre 2026 a déjà sa photo du jour")
