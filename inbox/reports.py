"""The inbox's tables in a workspace's full data export (reports/exports.py discovers this module)."""

from django.utils.translation import gettext_lazy as _

from inbox.models import Department, InboxSettings, InternalNote, Message, ModerationAction, SavedReply, Thread
from reports.exports import register_model_table

register_model_table("inbox_settings", _("Inbox: response target and business hours"), InboxSettings)
register_model_table("inbox_departments", _("Inbox: departments conversations are routed to"), Department)
register_model_table("inbox_threads", _("Inbox: conversations (comments, mentions, private messages)"), Thread)
register_model_table(
    "inbox_messages",
    _("Inbox: every message of the conversations, received and sent"),
    Message,
    workspace_path="thread__workspace",
)
register_model_table(
    "inbox_notes", _("Inbox: internal notes on conversations"), InternalNote, workspace_path="thread__workspace"
)
register_model_table("inbox_saved_replies", _("Inbox: saved replies"), SavedReply)
register_model_table(
    "inbox_moderation",
    _("Inbox: moderation actions (hide, delete)"),
    ModerationAction,
    workspace_path="message__thread__workspace",
)
