"""The glossary: one written definition per metric (``analytics.definitions``), one anchor each.
Public: the definitions hold no tenant data, and a shared report's reader may follow its links."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from analytics.definitions import DEFINITIONS


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/glossary.html", {"definitions": list(DEFINITIONS.values())})
