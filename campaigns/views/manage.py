"""The team's campaign pages under /o/<org>/campaigns/: list and create, gallery and moderation,
one media (author, tags, rights, upload link), photo of the day, contest results and abuse
signals, statistics, collection and the exhibition export.

Everyone who reads the organisation (and a client, for its granted workspaces) sees them; changes
need the OPERATE capability (owner, admin, manager: DESIGN.md "Tenancy"). Every object is
resolved for the member first (404), then the right to change it is checked (403).
"""

import datetime as dt
import zoneinfo
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import org_view
from accounts.roles import Capability, role_can
from analytics.views.base import chart_download
from analytics.views.sentiment import sentiment_block
from campaigns import selectors
from campaigns.forms import CampaignForm, ContestForm, RightsForm, contest_initial
from campaigns.models import CampaignMedia
from campaigns.services import CampaignError
from campaigns.services import media as media_services
from campaigns.services import picks as pick_services
from campaigns.services import rights as rights_services
from campaigns.services.exhibition import exhibition_media, exhibition_zip
from overgraph.exports import content_disposition, safe_filename

# Pages answer only the verbs they use: anything else is a 405, never a page served to a write.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])  # noqa: N816 (named like Django's)

CALENDAR_DAYS_BEFORE = 14
CALENDAR_DAYS = 42
GALLERY_PAGE_SIZE = 48  # a multiple of 2, 3 and 4: full rows on a phone, a tablet and a desktop


def _zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(request.organization.time_zone)


def _today(request: HttpRequest) -> dt.date:
    return timezone.localdate(timezone=_zone(request))


def _can_operate(request: HttpRequest) -> bool:
    return role_can(request.membership.role, Capability.OPERATE)


def _require_operate(request: HttpRequest) -> None:
    if not _can_operate(request):
        raise PermissionDenied(_("Your role does not allow this."))


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    with timezone.override(_zone(request)):
        return render(request, template, {"can_operate": _can_operate(request), **context}, status=status)


def _campaign(request: HttpRequest, campaign_id: int):
    return selectors.campaign_for_member(request.membership, campaign_id)


@org_view()
@require_GET_or_POST
def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(membership=request.membership, initial={"starts_on": _today(request)})
    if request.method == "POST":
        _require_operate(request)
        form = CampaignForm(request.POST, membership=request.membership)
        if form.is_valid():
            try:
                campaign = media_services.campaign_create(
                    organization=request.organization, user=request.user, **form.cleaned_data
                )
            except CampaignError as error:
                form.add_error("hashtags", str(error))
            else:
                messages.success(request, _("Campaign %(name)s created.") % {"name": campaign.name})
                return redirect("campaign_gallery", org=request.organization.slug, campaign_id=campaign.pk)
    campaigns = list(selectors.campaigns_for_member(request.membership).order_by("-starts_on", "name"))
    return _render(
        request, "campaigns/list.html", {"campaigns": campaigns, "form": form}, status=400 if form.errors else 200
    )


@org_view()
@require_GET_or_POST
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    _require_operate(request)
    initial = {
        "name": campaign.name,
        "workspace": campaign.workspace_id,
        "hashtags": " ".join(f"#{t}" for t in campaign.hashtags),
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "author_cooldown_days": campaign.author_cooldown_days,
    }
    with timezone.override(_zone(request)):
        form = CampaignForm(request.POST or None, membership=request.membership, initial=initial)
        contest = ContestForm(request.POST or None, initial=contest_initial(campaign, request.organization.time_zone))
        if request.method == "POST" and form.is_valid() and contest.is_valid():
            try:
                media_services.campaign_update(
                    campaign=campaign, user=request.user, **form.cleaned_data, **contest.cleaned_data
                )
            except CampaignError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Campaign %(name)s saved.") % {"name": campaign.name})
                return redirect("campaign_gallery", org=request.organization.slug, campaign_id=campaign.pk)
    status = 400 if form.errors or contest.errors else 200
    return _render(request, "campaigns/edit.html", {"campaign": campaign, "form": form, "contest": contest}, status)


@org_view()
@require_POST
def campaign_collect(request: HttpRequest, campaign_id: int) -> HttpResponse:
    from campaigns.tasks import campaign_collect as collect_task

    campaign = _campaign(request, campaign_id)
    _require_operate(request)
    organization_id = request.organization.pk
    transaction.on_commit(lambda: collect_task.delay(organization_id, campaign.pk))
    messages.success(request, _("Collection started: new photos appear in the gallery within a minute."))
    return redirect("campaign_gallery", org=request.organization.slug, campaign_id=campaign.pk)


@org_view()
@require_safe
def campaign_gallery(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    filters = {name: request.GET.get(name, "") for name in selectors.GALLERY_FILTERS}
    page = Paginator(selectors.gallery(campaign, filters).select_related("campaign"), GALLERY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "media": list(page.object_list),
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "tags": selectors.campaign_tags(campaign),
        "statuses": CampaignMedia.Status.choices,
        "rights_choices": CampaignMedia.Rights.choices,
        "contest_state": campaign.contest_state(),
    }
    return _render(request, "campaigns/gallery.html", context)


def _media_card(request: HttpRequest, media: CampaignMedia, error: str | None = None) -> HttpResponse:
    media.refresh_from_db()  # a refused change may have touched the instance before failing
    return _render(request, "campaigns/_media_card.html", {"item": media, "campaign": media.campaign, "error": error})


MEDIA_ACTIONS = {"moderate", "favourite", "tags", "author", "rights", "upload_link", "contest", "exhibition"}


def _apply(request: HttpRequest, media: CampaignMedia, action: str) -> str | None:
    """Run one change on ``media``; returns the link made by ``upload_link``."""
    data = request.POST
    if action == "moderate":
        media_services.media_moderate(media=media, status=data.get("status", ""), user=request.user)
    elif action == "favourite":
        media_services.media_set_favourite(media=media, favourite=data.get("value") == "1")
    elif action == "tags":
        media_services.media_set_tags(media=media, tags=media_services.clean_tags(data.get("tags", "")))
    elif action == "author":
        media_services.media_set_author(media=media, handle=data.get("author", ""), user=request.user)
    elif action == "rights":
        form = RightsForm(data)
        if not form.is_valid():
            raise CampaignError(_("Unknown rights state."))
        rights_services.media_rights_set(
            media=media, rights=form.cleaned_data["rights"], note=form.cleaned_data["note"], user=request.user
        )
    elif action == "upload_link":
        token = rights_services.upload_link_create(media=media, user=request.user)
        return request.build_absolute_uri(reverse("campaign_upload", kwargs={"token": token}))
    elif action == "contest":
        media_services.media_set_contest(media=media, entered=data.get("value") == "1")
    elif action == "exhibition":
        media_services.media_set_exhibition(media=media, selected=data.get("value") == "1")
    return None


@org_view()
@require_GET_or_POST
def campaign_media(request: HttpRequest, campaign_id: int, media_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    media = selectors.media_for_member(campaign, media_id)
    upload_link = None
    error = None
    if request.method == "POST":
        _require_operate(request)
        action = request.POST.get("action", "")
        if action not in MEDIA_ACTIONS:
            error = _("Unknown action.")
        else:
            try:
                upload_link = _apply(request, media, action)
            except CampaignError as failure:
                error = str(failure)
        if request.htmx and request.POST.get("card"):
            # The card comes back with the refusal inside it (htmx swaps only a 200).
            return _media_card(request, media, error)
        if error:
            messages.error(request, error)
        elif upload_link is None:
            messages.success(request, _("Saved."))
            return redirect(request.get_full_path())
    context = {
        "campaign": campaign,
        "item": media,
        "events": list(media.rights_events.select_related("by").order_by("at", "pk")),
        "picks": list(media.picks.order_by("day")),
        "upload_link": upload_link,
        "rights_form": RightsForm(),
        "vote_count": media.votes.count(),
        "credit": pick_services.credit_line(media),
    }
    return _render(request, "campaigns/media.html", context, status=400 if error else 200)


@org_view()
@require_safe
def campaign_media_file(request: HttpRequest, campaign_id: int, media_id: int) -> FileResponse:
    campaign = _campaign(request, campaign_id)
    media = selectors.media_for_member(campaign, media_id)
    original = request.GET.get("original") == "1"
    stored = media.original if original else media.file
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"), content_type=(media.original_type if original else media.file_type) or None
    )
    response["Cache-Control"] = "private, max-age=3600"
    if original:
        response["Content-Disposition"] = content_disposition(f"{media.external_id}{PurePosixPath(stored.name).suffix}")
    return response


@org_view()
@require_GET_or_POST
def campaign_picks(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    today = _today(request)
    try:
        day = parse_date(request.GET.get("day") or request.POST.get("day") or "") or today
    except ValueError:  # well formed but impossible ("2026-02-30"): the page shows today
        day = today
    error = None
    if request.method == "POST":
        _require_operate(request)
        media = selectors.media_for_member(campaign, request.POST.get("media"))
        try:
            pick = pick_services.daily_pick_create(campaign=campaign, media=media, day=day, user=request.user)
        except CampaignError as failure:
            error = str(failure)
            messages.error(request, error)
        else:
            when = date_format(day)  # "1 décembre 2026" in French, not the ISO date
            message = _("Photo of the day for %(day)s: %(credit)s") % {"day": when, "credit": pick.credit}
            messages.success(request, message)
            return redirect(f"{request.path}?day={day.isoformat()}")
    start = today - dt.timedelta(days=CALENDAR_DAYS_BEFORE)
    context = {
        "campaign": campaign,
        "day": day,
        "today": today,
        "calendar": selectors.pick_calendar(campaign, start, CALENDAR_DAYS),
        "candidates": selectors.pick_candidates(campaign, day),
    }
    return _render(request, "campaigns/picks.html", context, status=400 if error else 200)


@org_view()
@require_POST
def campaign_pick_delete(request: HttpRequest, campaign_id: int, pick_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    pick = selectors.pick_for_member(campaign, pick_id)
    _require_operate(request)
    day = pick.day
    pick_services.daily_pick_delete(pick=pick, user=request.user)
    messages.success(request, _("The photo of %(day)s was removed.") % {"day": day.isoformat()})
    url = reverse("campaign_picks", kwargs={"org": request.organization.slug, "campaign_id": campaign.pk})
    return redirect(f"{url}?day={day.isoformat()}")


@org_view()
@require_safe
def campaign_contest(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    context = {
        "campaign": campaign,
        "results": selectors.contest_results(campaign),
        "abuse": selectors.vote_abuse(campaign),
        "state": campaign.contest_state(),
        "public_url": request.build_absolute_uri(reverse("contest_vote_page", kwargs={"key": campaign.public_key})),
        "many_votes": selectors.MANY_VOTES_FROM_ONE_IP,
        "burst": selectors.BURST_PER_MINUTE,
    }
    return _render(request, "campaigns/contest.html", context)


@org_view()
@require_safe
def campaign_stats(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    stats = selectors.campaign_stats(campaign, _zone(request))
    peak = max((count for _monday, count, _total in stats.weeks), default=0)
    sentiment = sentiment_block(
        selectors.campaign_sentiment(campaign, _zone(request), _today(request)),
        title=_("Sentiment of the captions"),
    )
    download = chart_download(request, {"sentiment": lambda: sentiment["chart"]}, campaign.name)
    if download is not None:
        return download
    context = {"campaign": campaign, "stats": stats, "peak": peak, "sentiment": sentiment}
    return _render(request, "campaigns/stats.html", context)


@org_view()
@require_safe
def campaign_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    media = list(exhibition_media(campaign))
    try:
        archive = exhibition_zip(campaign=campaign, media=media, tz=_zone(request))
    except CampaignError as error:
        messages.error(request, str(error))
        return redirect(
            reverse("campaign_gallery", kwargs={"org": request.organization.slug, "campaign_id": campaign.pk})
        )
    filename = safe_filename(f"{campaign.name} exhibition {_today(request).isoformat()}.zip")
    response = FileResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
