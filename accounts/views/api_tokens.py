"""Page: the person's API tokens (create, shown once; list; revoke)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ApiToken
from accounts.services import api_tokens


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Give the token a name."))
            return redirect("api_tokens")
        _token, secret = api_tokens.api_token_create(user=request.user, name=name)
    tokens = ApiToken.objects.filter(user=request.user)
    # The secret is rendered in this response only (never stored, never in a redirect's URL).
    response = render(request, "accounts/api_tokens.html", {"tokens": tokens, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_tokens.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
