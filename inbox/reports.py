"""The inbox in reports: its tables in a workspace's full data export and the reactivity section
(reports/exports.py discovers this module)."""

from django.utils.translation import gettext_lazy as _

from inbox.models import Department, InboxSettings, InternalNote, Message, ModerationAction, SavedReply, Thread
from reports.exports import register_model_table
from reports.sections import register_section

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


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _reactivity_section(ctx):
    """The report's reactivity section: conversations received in the period, answered, the median
    and 90th-percentile first response times and the share within the workspace's target, per
    network (inbox.statistics, on the workspace's clock)."""
    from django.utils import timezone

    from analytics.charts import Table, network_name
    from analytics.queries.results import Delta
    from inbox.statistics import Params, ReactivityQuery
    from reports.sections import KeyNumber, SectionContent

    stats = ReactivityQuery(ctx.workspace, Params(ctx.period.start, ctx.period.end)).run(timezone.now())
    current, previous = stats.current, stats.previous
    if not current.threads:
        return None
    content = SectionContent(
        numbers=[
            KeyNumber(str(_("Conversations received")), Delta.of(current.threads, previous.threads)),
            KeyNumber(str(_("Answered")), Delta.of(current.answered, previous.answered)),
            KeyNumber(
                str(_("Median first response (minutes)")),
                Delta.of(_minutes(current.median_seconds), _minutes(previous.median_seconds)),
            ),
            KeyNumber(
                str(_("Answered within the target")),
                Delta.of(current.within_target_share, previous.within_target_share),
                rate=True,
            ),
        ]
    )
    content.paragraphs.append(
        str(_("Target: a first response within %(minutes)d minutes%(hours)s."))
        % {
            "minutes": stats.target_minutes,
            "hours": str(_(", counted in business hours")) if stats.business_hours else "",
        }
    )
    if stats.by_network:
        content.tables.append(
            (
                str(_("By network")),
                Table(
                    [
                        str(_("Network")),
                        str(_("Conversations")),
                        str(_("Answered")),
                        str(_("Median (minutes)")),
                        str(_("90th percentile (minutes)")),
                    ],
                    [
                        [
                            network_name(network),
                            s.threads,
                            s.answered,
                            _minutes(s.median_seconds),
                            _minutes(s.p90_seconds),
                        ]
                        for network, s in stats.by_network
                    ],
                ),
            )
        )
    return content


register_section("reactivity", _("Reactivity"), _reactivity_section, order=62)
