"""Celery tasks of the campaigns app: thin, they take ids (STYLE.md rule 16)."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from accounts.models import Organization
from campaigns.models import Campaign
from campaigns.services.collect import campaign_collect as collect
from campaigns.services.collect import campaigns_due


@shared_task
def campaigns_collect_dispatch() -> int:
    """Queue a collection for every running campaign (beat, hourly: Instagram's recent media
    cover the last 24 hours, and searching a hashtag again costs no quota)."""
    with scopes_disabled():
        due = list(campaigns_due().values_list("organization_id", "pk"))
    for organization_id, campaign_id in due:
        campaign_collect.delay(organization_id, campaign_id)
    return len(due)


@shared_task
def campaign_collect(organization_id: int, campaign_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    with scope(organization=organization):
        campaign = (
            Campaign.objects.filter(organization=organization, pk=campaign_id).select_related("workspace").first()
        )
        if campaign is None:
            return 0
        return collect(campaign=campaign).new
