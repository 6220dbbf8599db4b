"""Public endpoints Meta calls: webhooks, deauthorisation, data deletion, and the deletion status
page people are sent to. No login and no CSRF token (Meta cannot send either): every POST is
authenticated by the app secret's signature instead, checked before anything is stored.

Views stay thin: verify, call one service, answer. Webhook processing happens in a task, so Meta
gets its 200 quickly (it retries a delivery that is not acknowledged in time).
https://developers.facebook.com/docs/graph-api/webhooks/getting-started
"""

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks.webhooks import services
from networks.webhooks.selectors import deletion_request_for_code
from networks.webhooks.signatures import InvalidSignedRequestError, signed_request_decode, valid_body_signature

logger = logging.getLogger(__name__)


def _verification(request: HttpRequest) -> HttpResponse:
    """Meta's subscription handshake: echo ``hub.challenge`` when the verify token matches."""
    expected = settings.META_WEBHOOK_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and expected
        and hmac.compare_digest(given.encode(), expected.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verification(request)
    # The exact bytes received: re-encoding parsed JSON would not give the signed bytes back.
    body = request.body
    if not valid_body_signature(body, request.headers.get("X-Hub-Signature-256"), settings.META_APP_SECRET):
        logger.warning("Meta webhook with a missing or invalid signature refused")
        return HttpResponseForbidden()
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    events = services.webhook_events_store(payload=payload)
    return JsonResponse({"received": len(events)})


def _signed_payload(request: HttpRequest) -> dict | None:
    try:
        return signed_request_decode(request.POST.get("signed_request", ""), settings.META_APP_SECRET)
    except InvalidSignedRequestError as error:
        logger.warning("Meta callback with an invalid signed_request refused: %s", error)
        return None


@csrf_exempt
@require_POST
def meta_deauthorize(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if payload is None or not payload.get("user_id"):
        return HttpResponseForbidden()
    services.meta_user_deauthorize(facebook_user_id=str(payload["user_id"]))
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def meta_data_deletion(request: HttpRequest) -> HttpResponse:
    payload = _signed_payload(request)
    if payload is None or not payload.get("user_id"):
        return HttpResponseForbidden()
    deletion = services.meta_user_data_delete(facebook_user_id=str(payload["user_id"]))
    # The answer Meta expects: it shows the code to the person and links the URL.
    # https://developers.facebook.com/docs/development/create-an-app/app-dashboard/data-deletion-callback
    return JsonResponse(
        {"url": services.deletion_status_url(deletion), "confirmation_code": deletion.confirmation_code}
    )


@require_safe
def meta_deletion_status(request: HttpRequest, code: str) -> HttpResponse:
    deletion = deletion_request_for_code(code)
    if deletion is None:
        raise Http404
    return render(request, "networks/webhooks_deletion_status.html", {"deletion": deletion})
