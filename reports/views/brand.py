"""The brand's colours as a stylesheet: the content security policy allows no inline style, so a
report page links ``/reports/brand/<main>-<accent>.css``. The address holds the two colours and
nothing of a tenant (anyone may ask for any pair), so it is public and cached for a year."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def brand_stylesheet(request: HttpRequest, primary: str, accent: str) -> HttpResponse:
    css = f".report-doc, .brand-preview {{ --brand: #{primary}; --accent: #{accent}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
