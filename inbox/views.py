"""The inbox pages: a workspace's threads (filters, search, bulk actions), one thread (answer,
route, status, notes, moderation), the reactivity statistics (CSV export) and the settings
(target, business hours, departments, saved replies)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import org_view
from accounts.models import User
from accounts.roles import Capability, role_can
from inbox import selectors
from inbox.models import Direction, Message, ModerationAction, ThreadKind, ThreadStatus
from inbox.services import threads as services
from inbox.statistics import Params, ReactivityQuery
from inbox.windows import network_link, reply_window
from networks.sync.clock import network_now
from overgraph.exports import csv_response

PAGE_SIZE = 30


@org_view(Capability.READ)
@require_http_methods(["GET"])
def inbox_home(request):
    """The organisation's inboxes: each visible workspace with its waiting conversations (one
    workspace: straight to its inbox)."""
    workspaces = list(selectors.visible_workspaces_with_waiting(request.membership))
    if len(workspaces) == 1:
        return redirect("inbox_threads", org=request.organization.slug, workspace_id=workspaces[0].pk)
    return render(request, "inbox/home.html", {"workspaces": workspaces})


def _filters(data) -> selectors.ThreadFilters:
    def number(name: str) -> int | None:
        value = data.get(name, "")
        return int(value) if str(value).isdigit() else None

    return selectors.ThreadFilters(
        network=data.get("network", ""),
        kind=data.get("kind", ""),
        department=number("department"),
        status=data.get("status", ""),
        assignee=number("assignee"),
        language=data.get("language", ""),
        sentiment=data.get("sentiment", ""),
        older_than_hours=number("older"),
        questions=data.get("questions") == "1",
        q=data.get("q", "")[:100],
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _member(request, user_id) -> User | None:
    if not str(user_id or "").isdigit():
        return None
    return next((u for u in services.members_who_answer(request.workspace_for_inbox) if u.pk == int(user_id)), None)


@org_view(Capability.READ, write_methods_need=Capability.OPERATE)
@require_http_methods(["GET", "POST"])
def thread_list(request, workspace_id: int):
    workspace = selectors.workspace_of(request.membership, workspace_id)
    request.workspace_for_inbox = workspace
    if request.method == "POST":
        return _bulk(request, workspace)
    now = network_now()
    filters = _filters(request.GET)
    page = Paginator(selectors.threads_of(workspace, filters, now), PAGE_SIZE).get_page(request.GET.get("page"))
    for thread in page.object_list:  # pure: the account is already joined
        thread.window = reply_window(thread, now, handle=thread.account.handle)
    context = {
        "workspace": workspace,
        "page": page,
        "filters": filters,
        "departments": list(selectors.departments_of(workspace)),
        "members": services.members_who_answer(workspace),
        "statuses": ThreadStatus.choices,
        "kinds": ThreadKind.choices,
        "can_operate": role_can(request.membership.role, Capability.OPERATE),
        "now": now,
        "query": request.GET.urlencode(),
    }
    return render(request, "inbox/threads.html", context)


def _bulk(request, workspace):
    threads = selectors.threads_for_member(request.membership, workspace, request.POST.getlist("thread"))
    action = request.POST.get("action", "")
    back = reverse("inbox_threads", kwargs={"org": request.organization.slug, "workspace_id": workspace.pk})
    if not threads:
        messages.error(request, _("Choose at least one conversation."))
        return redirect(back)
    try:
        if action == "assign":
            services.threads_assign(
                threads=threads,
                department=selectors.department_for(workspace, request.POST.get("department")),
                assignee=_member(request, request.POST.get("assignee")),
            )
        elif action == "status":
            services.threads_status_set(threads=threads, status=request.POST.get("status", ""))
        elif action in ModerationAction.Action.values:
            comments = list(
                Message.objects.filter(
                    organization=request.organization, thread__in=threads, direction=Direction.IN
                ).select_related("thread", "account")
            )
            comments = [m for m in comments if m.thread.kind != ThreadKind.MESSAGE]
            results = services.messages_moderate(
                messages=comments,
                action=action,
                reason=request.POST.get("reason", ""),
                actor=request.user,
                request=request,
            )
            failed = [r for r in results if not r.ok]
            if failed:
                messages.warning(request, _("Refused by the network: %(count)s.") % {"count": len(failed)})
        else:
            messages.error(request, _("Unknown action."))
            return redirect(back)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    messages.success(request, _("Conversations updated: %(count)s.") % {"count": len(threads)})
    return redirect(back)


@org_view(Capability.READ)  # writes need OPERATE, checked once the thread is found (a hidden one is 404)
@require_http_methods(["GET", "POST"])
def thread_detail(request, thread_id: int):
    thread = selectors.thread_for_member(request.membership, thread_id)
    if request.method == "POST" and not role_can(request.membership.role, Capability.OPERATE):
        raise PermissionDenied(_("Your role does not allow this."))
    workspace = thread.workspace
    request.workspace_for_inbox = workspace
    here = reverse("inbox_thread", kwargs={"org": request.organization.slug, "thread_id": thread.pk})
    draft = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reply":
                draft = request.POST.get("text", "")
                services.reply_send(thread=thread, user=request.user, text=draft)
                messages.success(request, _("Answer sent."))
                return redirect(here)
            if action == "assign":
                services.threads_assign(
                    threads=[thread],
                    department=selectors.department_for(workspace, request.POST.get("department")),
                    assignee=_member(request, request.POST.get("assignee")),
                )
            elif action == "status":
                services.threads_status_set(threads=[thread], status=request.POST.get("status", ""))
            elif action == "note":
                services.note_add(thread=thread, author=request.user, text=request.POST.get("text", ""))
            elif action in ModerationAction.Action.values:
                message = selectors.thread_messages(thread).filter(pk=request.POST.get("message") or 0).first()
                if message is None:
                    raise ValidationError(_("Choose a message."))
                message.thread = thread
                [result] = services.messages_moderate(
                    messages=[message],
                    action=action,
                    reason=request.POST.get("reason", ""),
                    actor=request.user,
                    request=request,
                )
                if not result.ok:
                    raise ValidationError(_("The network refused: %(error)s") % {"error": result.error})
            else:
                raise ValidationError(_("Unknown action."))
            messages.success(request, _("Saved."))
            return redirect(here)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        thread.refresh_from_db()
    now = network_now()
    context = {
        "thread": thread,
        "workspace": workspace,
        "thread_messages": list(selectors.thread_messages(thread)),
        "notes": list(thread.notes.select_related("author")),
        "window": reply_window(thread, now, handle=thread.account.handle),
        "network_link": network_link(thread),
        "now": now,
        "departments": list(selectors.departments_of(workspace)),
        "members": services.members_who_answer(workspace),
        "statuses": ThreadStatus.choices,
        "saved_replies": list(selectors.saved_replies_of(workspace)),
        "can_operate": role_can(request.membership.role, Capability.OPERATE),
        "draft": draft,
        "moderation_actions": ModerationAction.Action.choices,
    }
    return render(request, "inbox/thread.html", context, status=400 if request.method == "POST" else 200)


def _params(request) -> Params:
    today = network_now().astimezone(dt.UTC).date()

    def day(name: str, default: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    end = day("end", today)
    start = day("start", end - dt.timedelta(days=27))
    if start > end:
        start, end = end, start
    start = max(start, end - dt.timedelta(days=366))
    department = request.GET.get("department", "")
    return Params(start, end, request.GET.get("network", ""), int(department) if department.isdigit() else None)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds / 60:.1f}"


@org_view(Capability.READ)
@require_http_methods(["GET"])
def stats(request, workspace_id: int):
    workspace = selectors.workspace_of(request.membership, workspace_id)
    params = _params(request)
    result = ReactivityQuery(workspace, params).run(network_now())
    if request.GET.get("format") == "csv":
        header = [
            _("Group"),
            _("Name"),
            _("Conversations"),
            _("Answered"),
            _("Response rate"),
            _("Median first response (minutes)"),
            _("P90 first response (minutes)"),
            _("Within target"),
        ]
        rows = []
        groups = [
            (_("Period"), [(f"{params.start} - {params.end}", result.current)]),
            (_("Previous period"), [(str(params.previous().start), result.previous)]),
            (_("Network"), result.by_network),
            (_("Department"), result.by_department),
            (_("Member"), result.by_member),
            (_("Day"), [(str(d), s) for d, s in result.daily]),
        ]
        for group, items in groups:
            for name, summary in items:
                rows.append(
                    [
                        group,
                        name,
                        summary.threads,
                        summary.answered,
                        summary.response_rate,
                        _duration(summary.median_seconds),
                        _duration(summary.p90_seconds),
                        summary.within_target_share,
                    ]
                )
        return csv_response(f"reactivity-{workspace.name}-{params.start}-{params.end}", header, rows)
    context = {
        "workspace": workspace,
        "stats": result,
        "params": params,
        "departments": list(selectors.departments_of(workspace)),
        "query": request.GET.urlencode(),
    }
    return render(request, "inbox/stats.html", context)


@org_view(Capability.READ, write_methods_need=Capability.OPERATE)
@require_http_methods(["GET", "POST"])
def settings_page(request, workspace_id: int):
    workspace = selectors.workspace_of(request.membership, workspace_id)
    here = reverse("inbox_settings", kwargs={"org": request.organization.slug, "workspace_id": workspace.pk})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "settings":
                days = [int(d) for d in request.POST.getlist("business_days") if d in "1234567" and d]
                services.inbox_settings_update(
                    workspace=workspace,
                    actor=request.user,
                    request=request,
                    response_target_minutes=int(request.POST.get("response_target_minutes") or 0) or 120,
                    business_hours_only=request.POST.get("business_hours_only") == "on",
                    business_start=dt.time.fromisoformat(request.POST.get("business_start") or "09:00"),
                    business_end=dt.time.fromisoformat(request.POST.get("business_end") or "18:00"),
                    business_days=days or [1, 2, 3, 4, 5],
                    french_holidays=request.POST.get("french_holidays") == "on",
                )
            elif action == "department":
                services.department_create(workspace=workspace, name=request.POST.get("name", ""))
            elif action == "department_delete":
                department = selectors.department_for(workspace, request.POST.get("department"))
                if department:
                    services.department_delete(department=department)
            elif action == "saved_reply":
                services.saved_reply_create(
                    workspace=workspace,
                    language=request.POST.get("language", ""),
                    title=request.POST.get("title", ""),
                    text=request.POST.get("text", ""),
                )
            elif action == "saved_reply_delete":
                saved = selectors.saved_replies_of(workspace).filter(pk=request.POST.get("saved_reply") or 0).first()
                if saved:
                    services.saved_reply_delete(saved_reply=saved)
            else:
                raise ValidationError(_("Unknown action."))
            messages.success(request, _("Saved."))
            return redirect(here)
        except (ValidationError, ValueError) as error:
            messages.error(request, _error_text(error) if isinstance(error, ValidationError) else _("Invalid value."))
    context = {
        "workspace": workspace,
        "settings": services.settings_for(workspace),
        "departments": list(selectors.departments_of(workspace)),
        "saved_replies": list(selectors.saved_replies_of(workspace)),
        "can_operate": role_can(request.membership.role, Capability.OPERATE),
        "weekdays": [
            (1, _("Mon")),
            (2, _("Tue")),
            (3, _("Wed")),
            (4, _("Thu")),
            (5, _("Fri")),
            (6, _("Sat")),
            (7, _("Sun")),
        ],
    }
    return render(request, "inbox/settings.html", context, status=400 if request.method == "POST" else 200)
