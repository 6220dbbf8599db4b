"""The demo seeding runs the real path (simulator → hashtag search → collect → download) and
leaves every workflow with data: approved and granted media, photos of the day, an open contest."""

from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from accounts.models import Workspace
from campaigns.models import Campaign, CampaignMedia, DailyPick, Vote
from campaigns.selectors import vote_abuse
from conftest import make_organization, make_user


def test_it_seeds_the_city_campaign_from_the_simulator(db, simulated_networks, settings):
    from listening.tests.factories import ig_account

    settings.SIMULATOR_URL = simulated_networks.url
    with scopes_disabled():
        city = make_organization("Ville de Boulogne-Billancourt", make_user("cm@ville.demo"), language="fr")
        workspace = Workspace.objects.create(organization=city, name="Ville")
    ig_account(workspace, simulated_networks)
    call_command("seed_demo_campaigns", weeks=2)
    with scope(organization=city):
        campaign = Campaign.objects.get(organization=city)
        media = CampaignMedia.objects.filter(campaign=campaign)
        assert media.count() > 20 and not media.filter(file="").exists()
        assert media.filter(status="approved", rights="granted").exists()
        assert DailyPick.objects.filter(campaign=campaign).count() > 5
        assert campaign.contest_state() == "open" and Vote.objects.filter(campaign=campaign).exists()
        bursts = vote_abuse(campaign).bursts
        assert [b["ip"] for b in bursts] == ["192.0.2.66"], "the script's burst is shown, not the family"
    call_command("seed_demo_campaigns", weeks=2)  # again: nothing changes
    with scope(organization=city):
        assert CampaignMedia.objects.filter(campaign=campaign).count() == media.count()
