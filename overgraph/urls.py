from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from overgraph import pwa

# Redoc writes its styles into the page at run time. Scripts stay strict (nonce only); inline
# styles are allowed on this one documentation page, which shows no user data.
redoc = csp_update({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularRedocView.as_view(url_name="api_schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("accounts.api_urls")),
    path("api/v1/", include("analytics.api_urls")),
    path("api/v1/", include("listening.api_urls")),
    path("api/v1/", include("inbox.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", redoc, name="api_redoc"),
    path("", include("accounts.urls")),
    path("", include("networks.urls")),
    path("", include("analytics.urls")),
    path("", include("listening.urls")),
    path("", include("reports.urls")),
    path("", include("campaigns.urls")),
    path("", include("inbox.urls")),
]
