"""Requests that no view should see."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """A NUL character in a query parameter is never meaningful, and PostgreSQL refuses it in any
    text value (a DataError: a 500). Forms already refuse it (Django's CharField validator); this
    answers 400 for query strings, on every page and endpoint at once."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "") and any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            message = _("A parameter contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
