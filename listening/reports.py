"""Listening's tables in a workspace's full data export (reports/exports.py discovers this module)."""

from django.utils.translation import gettext_lazy as _

from listening.models import Hit, Watch, WatchMatch, WatchUsage, WelcomeItem
from reports.exports import register_model_table

register_model_table("listening_watches", _("Listening: watches and their rules"), Watch)
register_model_table("listening_hits", _("Listening: posts found by the watches"), Hit)
register_model_table(
    "listening_matches", _("Listening: which watch found which post"), WatchMatch, workspace_path="watch__workspace"
)
register_model_table(
    "listening_usage", _("Listening: reads and calls per watch and day"), WatchUsage, workspace_path="watch__workspace"
)
register_model_table(
    "listening_welcome", _("Listening: the welcome queue"), WelcomeItem, workspace_path="watch__workspace"
)
