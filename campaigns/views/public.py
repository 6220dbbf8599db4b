"""Public pages, outside /o/<org>/ and without login: the contest's voting and results pages, the
contest photos, and the private upload link.

Each is reached through an unguessable key (the campaign's ``public_key``, a media's ``key``, a
signed upload token) and shows only what that key opens: the entries of that one contest, the one
media of that link. Nothing names the organisation's other campaigns, media or people. They speak
the organisation's language unless the visitor chose one.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope, scopes_disabled

from accounts.access import chosen_with_cookie
from accounts.services.audit import client_ip
from campaigns.forms import UploadForm
from campaigns.models import Campaign
from campaigns.selectors import contest_results
from campaigns.services import CampaignError
from campaigns.services.rights import UploadLinkInvalid, media_for_upload_token, original_upload
from campaigns.services.votes import Refusal, VoteRefused, contest_entries, vote_cast

VOTER_COOKIE = "og_voter"
VOTER_SALT = "campaigns.voter"
VOTER_MAX_AGE = 400 * 24 * 3600  # a browser keeps its id for the next contest too (Chrome caps at 400 days)

REFUSALS = {
    Refusal.NOT_OPEN: gettext_lazy("Voting is not open yet."),
    Refusal.CLOSED: gettext_lazy("Voting is closed."),
    Refusal.NOT_AN_ENTRY: gettext_lazy("This photo is not in the contest."),
    Refusal.ALREADY_VOTED: gettext_lazy("You already voted for this photo."),
    Refusal.TOO_MANY: gettext_lazy("Too many votes from your connection in the last hour: try again later."),
}


def _language(request: HttpRequest, language: str) -> None:
    if not chosen_with_cookie(request):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _campaign(request: HttpRequest, key: str) -> Campaign:
    # The key is the credential and names no organisation: the lookup crosses tenants on purpose.
    with scopes_disabled():
        campaign = Campaign.objects.select_related("organization").filter(public_key=key).first()
    if campaign is None or campaign.contest_closes_at is None:
        raise Http404
    _language(request, campaign.organization.language)
    return campaign


def _browser_id(request: HttpRequest) -> tuple[str, bool]:
    """The browser's id from its signed cookie, or a new one (True: the cookie must be set)."""
    try:
        return request.get_signed_cookie(VOTER_COOKIE, salt=VOTER_SALT, max_age=VOTER_MAX_AGE), False
    except (KeyError, signing.BadSignature):
        return secrets.token_urlsafe(18), True


def _with_voter_cookie(response: HttpResponse, browser_id: str, new: bool) -> HttpResponse:
    if new:
        response.set_signed_cookie(
            VOTER_COOKIE,
            browser_id,
            salt=VOTER_SALT,
            max_age=VOTER_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _render(request: HttpRequest, campaign: Campaign, template: str, context: dict, status: int = 200):
    with timezone.override(campaign.organization.time_zone):
        return render(request, template, {"campaign": campaign, **context}, status=status)


def _voted(campaign: Campaign, browser_id: str) -> set[int]:
    return set(
        campaign.votes.filter(organization=campaign.organization_id, browser_id=browser_id).values_list(
            "media_id", flat=True
        )
    )


@require_safe
def contest_vote_page(request: HttpRequest, key: str) -> HttpResponse:
    campaign = _campaign(request, key)
    browser_id, new = _browser_id(request)
    with scope(organization=campaign.organization):
        entries = list(contest_entries(campaign).select_related("campaign").order_by("published_at", "pk"))
        voted = _voted(campaign, browser_id)
        response = _render(
            request,
            campaign,
            "campaigns/public/vote.html",
            {"entries": entries, "voted": voted, "state": campaign.contest_state()},
        )
    # The page shows this browser's own votes: never from a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return _with_voter_cookie(response, browser_id, new)


@require_POST
def contest_vote(request: HttpRequest, key: str, media_key: str) -> HttpResponse:
    campaign = _campaign(request, key)
    browser_id, new = _browser_id(request)
    refusal = None
    with scope(organization=campaign.organization):
        try:
            vote_cast(
                campaign=campaign,
                media_key=media_key,
                browser_id=browser_id,
                ip_address=client_ip(request) or "0.0.0.0",  # noqa: S104 (a value, never bound)
            )
        except VoteRefused as error:
            refusal = error.reason
        if request.htmx:
            response = _render(
                request,
                campaign,
                "campaigns/public/_vote_button.html",
                {
                    "entry_key": media_key,
                    "voted": refusal in (None, Refusal.ALREADY_VOTED),
                    "message": REFUSALS[refusal] if refusal else _("Thank you, your vote counts!"),
                    "refused": refusal is not None,
                    "state": campaign.contest_state(),
                },
                # 200 even when refused: htmx swaps only successful answers, and the refusal is
                # what this browser must read in place of the button.
            )
            return _with_voter_cookie(response, browser_id, new)
    if refusal:
        messages.error(request, REFUSALS[refusal])
    else:
        messages.success(request, _("Thank you, your vote counts!"))
    return _with_voter_cookie(redirect("contest_vote_page", key=campaign.public_key), browser_id, new)


@require_safe
def contest_results_page(request: HttpRequest, key: str) -> HttpResponse:
    campaign = _campaign(request, key)
    with scope(organization=campaign.organization):
        results = contest_results(campaign)
        total = sum(item.vote_count for item in results)
        return _render(
            request,
            campaign,
            "campaigns/public/results.html",
            {"results": results, "total": total, "state": campaign.contest_state()},
        )


@require_safe
def contest_media_file(request: HttpRequest, key: str, media_key: str) -> FileResponse:
    """A contest photo: only an entry of this contest, never another media of the organisation."""
    campaign = _campaign(request, key)
    with scope(organization=campaign.organization):
        media = contest_entries(campaign).filter(key=media_key).first()
    if media is None or not media.file:
        raise Http404
    response = FileResponse(media.file.open("rb"), content_type=media.file_type or None)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def campaign_upload(request: HttpRequest, token: str) -> HttpResponse:
    """The private upload link: the author sends the full-size original of their photo."""
    try:
        media = media_for_upload_token(token)
    except UploadLinkInvalid as error:
        message = (
            _("This link has expired: ask the team for a new one.")
            if error.expired
            else _("This link is not valid (it may have been replaced by a newer one).")
        )
        return render(
            request, "campaigns/public/upload_invalid.html", {"message": message}, status=410 if error.expired else 404
        )
    _language(request, media.organization.language)
    form = UploadForm()
    done = False
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            with scope(organization=media.organization):
                try:
                    original_upload(media=media, upload=form.cleaned_data["file"], ip_address=client_ip(request))
                except CampaignError as error:
                    form.add_error("file", str(error))
                else:
                    done = True
        if form.errors:
            status = 400
    context = {"media": media, "form": form, "done": done, "token": token, "hashtag": media.campaign.main_hashtag}
    return render(request, "campaigns/public/upload.html", context, status=status)


@require_safe
def upload_preview(request: HttpRequest, token: str) -> FileResponse:
    """The collected photo shown on the upload page, so the author sees which one is asked for."""
    try:
        media = media_for_upload_token(token)
    except UploadLinkInvalid:
        raise Http404 from None
    if not media.file:
        raise Http404
    response = FileResponse(media.file.open("rb"), content_type=media.file_type or None)
    response["Cache-Control"] = "private, max-age=600"
    return response
