"""Listening pages: watches (list, create, edit, delete, collect now), a watch's hits and cost, the
workspace's listening dashboard, and the "to welcome" queue.

Every object is resolved for the member first (another tenant's, or one of a workspace a client
was not granted, is a 404), then the right to change it is checked (403): the order matters, a 403
would say the object exists.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from accounts.selectors import visible_workspaces, workspace_for_member
from analytics.views.base import chart_download, int_list, local_today, page_template, period_choice, render_local
from analytics.views.sentiment import sentiment_block
from listening import charts, selectors
from listening.forms import AuthorForm, ReplyForm, WatchForm
from listening.models import ListeningNetwork, WelcomeItem
from listening.queries import ListeningQuery
from listening.quota import HASHTAG_LIMIT, HASHTAG_WINDOW, quotas_by_workspace
from listening.services.collect import x_account
from listening.services.watches import WatchInvalid, instagram_plan, watch_delete, watch_save
from listening.services.welcome import WelcomeError, hit_author_fill, welcome_mark, welcome_reply
from listening.tasks import watch_collect_task
from listening.texts import watch_sentiment

HITS_PER_PAGE = 30
SENTIMENT_DAYS = 28


def _can_operate(request: HttpRequest) -> bool:
    return role_can(request.membership.role, Capability.OPERATE)


def _require_operate(request: HttpRequest) -> None:
    if not _can_operate(request):
        raise PermissionDenied(_("Your role does not allow this."))


def _back(request: HttpRequest, default: str) -> HttpResponse:
    # Only our own pages: a "next" pointing elsewhere is ignored.
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/o/") else default)


@org_view()
@require_safe
def listening_home(request: HttpRequest) -> HttpResponse:
    workspaces = list(visible_workspaces(request.membership))
    watches = list(selectors.watches_of(request.membership))
    quotas = quotas_by_workspace(workspaces)
    by_workspace = [(w, [watch for watch in watches if watch.workspace_id == w.pk], quotas[w.pk]) for w in workspaces]
    context = {
        "by_workspace": by_workspace,
        "can_operate": _can_operate(request),
        "pending": selectors.welcome_queue(request.membership).count(),
        "limit": HASHTAG_LIMIT,
        "window_days": HASHTAG_WINDOW.days,
    }
    return render_local(request, "listening/home.html", context)


@org_view()
def watch_create(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    if request.method == "POST":
        _require_operate(request)
        form = WatchForm(request.POST)
        if form.is_valid():
            try:
                watch = watch_save(workspace=workspace, data=form.to_input(), actor=request.user)
            except WatchInvalid as error:
                form.add_error(error.field, error.message)
            else:
                transaction.on_commit(lambda: watch_collect_task.delay(watch.organization_id, watch.pk))
                messages.success(request, _("Watch created: its first posts arrive within a minute."))
                return redirect("listening_watch", org=request.organization.slug, watch_id=watch.pk)
    elif request.method == "GET":
        form = WatchForm()
    else:
        return HttpResponse(status=405)
    context = {"form": form, "workspace": workspace, "watch": None, "can_operate": _can_operate(request)}
    return render_local(request, "listening/watch_form.html", context, status=400 if form.errors else 200)


@org_view()
def watch_edit(request: HttpRequest, watch_id: int) -> HttpResponse:
    watch = selectors.watch_for_member(request.membership, watch_id)
    if request.method == "POST":
        _require_operate(request)
        form = WatchForm(request.POST)
        if form.is_valid():
            try:
                watch_save(workspace=watch.workspace, data=form.to_input(), actor=request.user, watch=watch)
            except WatchInvalid as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Watch saved."))
                return redirect("listening_watch", org=request.organization.slug, watch_id=watch.pk)
    elif request.method == "GET":
        form = WatchForm(initial=WatchForm.initial_for(watch))
    else:
        return HttpResponse(status=405)
    context = {"form": form, "workspace": watch.workspace, "watch": watch, "can_operate": _can_operate(request)}
    return render_local(request, "listening/watch_form.html", context, status=400 if form.errors else 200)


@org_view()
@require_POST
def watch_remove(request: HttpRequest, watch_id: int) -> HttpResponse:
    watch = selectors.watch_for_member(request.membership, watch_id)
    _require_operate(request)
    watch_delete(watch=watch, actor=request.user)
    messages.success(request, _("Watch deleted."))
    return redirect("listening_home", org=request.organization.slug)


@org_view()
@require_POST
def watch_collect_now(request: HttpRequest, watch_id: int) -> HttpResponse:
    watch = selectors.watch_for_member(request.membership, watch_id)
    _require_operate(request)
    transaction.on_commit(lambda: watch_collect_task.delay(watch.organization_id, watch.pk))
    messages.success(request, _("Collection queued: new posts appear within a minute."))
    return redirect("listening_watch", org=request.organization.slug, watch_id=watch.pk)


@org_view()
@require_safe
def watch_page(request: HttpRequest, watch_id: int) -> HttpResponse:
    watch = selectors.watch_for_member(request.membership, watch_id)
    # The sentiment of its hits over the last 28 days (analytics.text.timeline), today included.
    today = local_today(request.organization)
    sentiment = sentiment_block(
        watch_sentiment(watch, today - dt.timedelta(days=SENTIMENT_DAYS - 1), today),
        title=_("Sentiment of the matching posts"),
    )
    download = chart_download(request, {"sentiment": lambda: sentiment["chart"]}, watch.name)
    if download is not None:
        return download
    hits = selectors.watch_hits(watch)
    page = Paginator(hits, HITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "watch": watch,
        "page": page,
        "cost": selectors.watch_cost(watch),
        "plan": instagram_plan(watch.workspace, watch.rule) if watch.listens_to_instagram else [],
        "x_query": _x_query(watch),
        "can_operate": _can_operate(request),
        "author_form": AuthorForm(),
        "networks": [ListeningNetwork(n).label for n in watch.networks if n in ListeningNetwork.values],
        "sentiment": sentiment,
        "sentiment_days": SENTIMENT_DAYS,
    }
    return render_local(request, "listening/watch.html", context)


def _x_query(watch) -> str:
    if not watch.listens_to_x:
        return ""
    try:
        return watch.parsed().x_query()
    except ValueError:
        return ""


@org_view()
@require_POST
def hit_author(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = selectors.hit_for_member(request.membership, hit_id)
    _require_operate(request)
    form = AuthorForm(request.POST)
    if form.is_valid():
        try:
            hit_author_fill(hit=hit, handle=form.cleaned_data["author"], actor=request.user)
            messages.success(request, _("Author saved."))
        except WelcomeError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("The author's handle is not valid."))
    return _back(request, reverse("listening_home", kwargs={"org": request.organization.slug}))


@org_view()
@require_safe
def listening_dashboard(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = workspace_for_member(request.membership, workspace_id)
    choice = period_choice(request)
    watch_ids = int_list(request, "watch")
    query = ListeningQuery(workspace, choice.period, watch_ids=watch_ids)
    cache: dict = {}

    def result():
        if "result" not in cache:
            cache["result"] = query.run()
        return cache["result"]

    downloads = {
        "volume": lambda: charts.volume_chart(result(), choice.period),
        "share": lambda: charts.share_chart(result()),
        "languages": lambda: charts.languages_chart(result()),
        "authors": lambda: charts.authors_chart(result()),
        "posts": lambda: charts.posts_table(result()),
    }
    download = chart_download(request, downloads, f"{workspace.name}-listening")
    if download is not None:
        return download
    data = result()
    context = {
        "workspace": workspace,
        "choice": choice,
        "result": data,
        "watch_ids": watch_ids,
        "charts": [downloads[key]() for key in ("volume", "share", "languages", "authors")],
        "posts_chart": downloads["posts"](),
    }
    template = page_template(request, "listening/dashboard.html", "listening/_dashboard_body.html")
    return render_local(request, template, context)


@org_view()
@require_safe
def welcome_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", WelcomeItem.Status.PENDING)
    if status not in WelcomeItem.Status.values:
        status = WelcomeItem.Status.PENDING
    items = selectors.welcome_queue(request.membership, status)
    page = Paginator(items, HITS_PER_PAGE).get_page(request.GET.get("page"))
    # One X account lookup per workspace on the page, not per item.
    workspaces = {item.watch.workspace_id: item.watch.workspace for item in page}
    has_x = {pk: x_account(workspace) is not None for pk, workspace in workspaces.items()}
    for item in page:
        item.can_reply_here = item.how == WelcomeItem.How.REPLY and has_x[item.watch.workspace_id]
    context = {
        "page": page,
        "status": status,
        "statuses": WelcomeItem.Status.choices,
        "can_operate": _can_operate(request),
        "reply_form": ReplyForm(),
        "author_form": AuthorForm(),
    }
    return render_local(request, "listening/welcome.html", context)


@org_view()
@require_POST
def welcome_send(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.welcome_item_for_member(request.membership, item_id)
    _require_operate(request)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply of 280 characters at most."))
    else:
        try:
            welcome_reply(item=item, text=form.cleaned_data["text"], actor=request.user)
            messages.success(request, _("Reply posted on X and marked done."))
        except WelcomeError as error:
            messages.error(request, error.message)
    return _back(request, reverse("listening_welcome", kwargs={"org": request.organization.slug}))


@org_view()
@require_POST
def welcome_status(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.welcome_item_for_member(request.membership, item_id)
    _require_operate(request)
    try:
        welcome_mark(item=item, status=request.POST.get("status", ""), actor=request.user)
    except WelcomeError as error:
        messages.error(request, error.message)
    return _back(request, reverse("listening_welcome", kwargs={"org": request.organization.slug}))
