"""Campaigns' tables in a workspace's full data export (reports/exports.py discovers this module).

Left out: the signed upload links' nonces (a credential) and the voters' browser ids and IP
addresses (personal data with no use in an export; the people's-data tools reach them)."""

from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignMedia, DailyPick, RightsEvent, Vote
from reports.exports import register_model_table

register_model_table("campaigns", _("Campaigns: hashtags, dates and contest"), Campaign)
register_model_table(
    "campaign_media",
    _("Campaigns: collected photos and videos with their rights"),
    CampaignMedia,
    workspace_path="campaign__workspace",
    exclude=("upload_nonce",),
)
register_model_table(
    "campaign_rights_events",
    _("Campaigns: history of the rights requests"),
    RightsEvent,
    workspace_path="media__campaign__workspace",
)
register_model_table(
    "campaign_daily_picks", _("Campaigns: photos of the day"), DailyPick, workspace_path="campaign__workspace"
)
register_model_table(
    "campaign_votes",
    _("Campaigns: contest votes (without voters' browser ids or addresses)"),
    Vote,
    workspace_path="campaign__workspace",
    exclude=("browser_id", "ip_address"),
)
