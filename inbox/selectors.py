"""Reads of the inbox: a workspace's threads with filters and search, one thread for a member."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Membership, Workspace
from accounts.selectors import visible_workspaces, workspace_for_member
from inbox.models import Department, Message, SavedReply, Thread, ThreadStatus


@dataclass(frozen=True)
class ThreadFilters:
    network: str = ""
    kind: str = ""
    department: int | None = None
    status: str = ""  # "" = waiting (open + pending); "all" = every status
    assignee: int | None = None
    language: str = ""
    sentiment: str = ""
    older_than_hours: int | None = None
    questions: bool = False
    q: str = ""


def threads_of(workspace: Workspace, filters: ThreadFilters, now: dt.datetime) -> QuerySet[Thread]:
    threads = Thread.objects.filter(organization=workspace.organization_id, workspace=workspace)
    if filters.status == "all":
        pass
    elif filters.status:
        threads = threads.filter(status=filters.status)
    else:
        threads = threads.filter(status__in=[ThreadStatus.OPEN, ThreadStatus.PENDING])
    if filters.network:
        threads = threads.filter(network=filters.network)
    if filters.kind:
        threads = threads.filter(kind=filters.kind)
    if filters.department:
        threads = threads.filter(department=filters.department)
    if filters.assignee:
        threads = threads.filter(assignee=filters.assignee)
    if filters.language:
        threads = threads.filter(language=filters.language)
    if filters.sentiment:
        threads = threads.filter(sentiment=filters.sentiment)
    if filters.questions:
        threads = threads.filter(is_question=True)
    if filters.older_than_hours:
        threads = threads.filter(last_inbound_at__lte=now - dt.timedelta(hours=filters.older_than_hours))
    if filters.q:
        words = filters.q.strip()
        matching = Message.objects.filter(
            organization=workspace.organization_id, thread=OuterRef("pk"), text__icontains=words
        )
        threads = threads.filter(Q(author_name__icontains=words) | Q(subject__icontains=words) | Exists(matching))
    return threads.select_related("account", "department", "assignee").order_by("-last_inbound_at", "-pk")


def thread_for_member(membership: Membership, thread_id: int | str) -> Thread:
    """A thread of a workspace the member sees; any other is the same 404 as a missing one."""
    try:
        pk = int(thread_id)
    except (TypeError, ValueError):
        raise Http404 from None
    thread = (
        Thread.objects.filter(organization=membership.organization, pk=pk, workspace__in=visible_workspaces(membership))
        .select_related("account", "department", "assignee", "workspace", "post")
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def threads_for_member(membership: Membership, workspace: Workspace, ids: list) -> list[Thread]:
    clean = [int(i) for i in ids if str(i).isdigit()]
    return list(
        Thread.objects.filter(organization=membership.organization, workspace=workspace, pk__in=clean).select_related(
            "account"
        )
    )


def departments_of(workspace: Workspace) -> QuerySet[Department]:
    return Department.objects.filter(organization=workspace.organization_id, workspace=workspace)


def department_for(workspace: Workspace, department_id) -> Department | None:
    if department_id in (None, ""):
        return None
    found = departments_of(workspace).filter(pk=department_id).first() if str(department_id).isdigit() else None
    if found is None:
        raise Http404
    return found


def saved_replies_of(workspace: Workspace) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(organization=workspace.organization_id, workspace=workspace)


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return Message.objects.filter(organization=thread.organization_id, thread=thread).select_related("sent_by")


def visible_workspaces_with_waiting(membership: Membership) -> QuerySet[Workspace]:
    """The member's workspaces, each annotated with ``waiting`` (open and pending threads)."""
    waiting = (
        Thread.objects.filter(
            organization=membership.organization,
            workspace=OuterRef("pk"),
            status__in=[ThreadStatus.OPEN, ThreadStatus.PENDING],
        )
        .order_by()
        .values("workspace")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return visible_workspaces(membership).annotate(waiting=Coalesce(Subquery(waiting), 0)).order_by("name")


def workspace_of(membership: Membership, workspace_id) -> Workspace:
    return workspace_for_member(membership, workspace_id)
