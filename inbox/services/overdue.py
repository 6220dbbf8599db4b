"""Telling people when conversations wait longer than their workspace's target.

A waiting thread (open or pending, the person's last message not answered) is overdue once the
time since that message, counted on the workspace's clock (business hours when it asks), passes
the target. Each overdue spell is told once (``overdue_notified_at``; a new message from the person
starts a new spell). The assignee hears of their threads; unassigned ones go to the members who
may answer.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import Organization, User
from accounts.services.notifications import notify
from inbox.models import InboxSettings, Thread, ThreadStatus
from inbox.services.threads import members_who_answer
from inbox.statistics import clock_for

NOTIFICATION_KIND = "inbox_overdue"


def waiting_threads(organization: Organization):
    return Thread.objects.filter(
        organization=organization,
        status__in=[ThreadStatus.OPEN, ThreadStatus.PENDING],
        last_inbound_at__isnull=False,
        overdue_notified_at__isnull=True,
    ).filter(Q(last_outbound_at__isnull=True) | Q(last_outbound_at__lt=F("last_inbound_at")))


@transaction.atomic
def overdue_notify(*, organization: Organization, now: dt.datetime) -> int:
    """Notify about threads that became overdue; returns how many threads were told about."""
    settings = {s.workspace_id: s for s in InboxSettings.objects.filter(organization=organization)}
    overdue: dict[int, list[Thread]] = {}
    for thread in waiting_threads(organization).select_related("workspace", "assignee"):
        config = settings.get(thread.workspace_id) or InboxSettings(organization=organization)
        clock = clock_for(config, organization.time_zone)
        if clock.seconds_between(thread.last_inbound_at, now) >= config.response_target_minutes * 60:
            overdue.setdefault(thread.workspace_id, []).append(thread)
    told = 0
    for threads in overdue.values():
        workspace = threads[0].workspace
        recipients: dict[int, tuple[User, int]] = {}
        fallback = None
        for thread in threads:
            if thread.assignee is not None:
                users = [thread.assignee]
            else:
                fallback = fallback if fallback is not None else members_who_answer(workspace)
                users = fallback
            for user in users:
                recipients[user.pk] = (user, recipients.get(user.pk, (user, 0))[1] + 1)
        url = reverse("inbox_threads", kwargs={"org": organization.slug, "workspace_id": workspace.pk})
        for user, count in recipients.values():
            notify(
                organization=organization,
                users=[user],
                kind=NOTIFICATION_KIND,
                title=ngettext_lazy(
                    "%(count)s conversation waits longer than the target in %(workspace)s",
                    "%(count)s conversations wait longer than the target in %(workspace)s",
                    count,
                )
                % {"count": count, "workspace": workspace.name},
                body=_("Open the inbox to answer or route them."),
                url=f"{url}?older=1",
            )
        Thread.objects.filter(organization=organization, pk__in=[t.pk for t in threads]).update(overdue_notified_at=now)
        told += len(threads)
    return told
