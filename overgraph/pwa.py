"""The installable app: the service worker (served from the site's root so its scope is "/") and
the offline page it falls back to.

The worker caches only the app shell (CSS, JavaScript, icons, the offline page): never a page or an
API answer, which hold one person's private data and could be shown to the next person on a shared
phone. Navigations go to the network first; the offline page answers when the network is gone.
"""

import hashlib
import json
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Static files of the shell (cached at install). Nothing here depends on who is logged in.
SHELL_STATIC = [
    "css/app.css",
    "js/app.js",
    "vendor/htmx.min.js",
    "img/logo.svg",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "manifest.webmanifest",
]
OFFLINE_URL = "/offline/"
# Python's table lacks it (development server; whitenoise knows it in production).
mimetypes.add_type("application/manifest+json", ".webmanifest")


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_STATIC] + [OFFLINE_URL]


def shell_version(urls: list[str]) -> str:
    """Changes when a shell file changes (hashed names in production, file contents in development)."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    digest.update("\n".join(urls).encode())
    return digest.hexdigest()[:12]


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    urls = shell_urls()
    body = render(
        request,
        "pwa/sw.js",
        {
            "shell_json": json.dumps(urls),
            "version": shell_version(urls),
            "offline_url": OFFLINE_URL,
            "static_prefix": settings.STATIC_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    body["Service-Worker-Allowed"] = "/"
    return body


@require_GET
def offline(request) -> HttpResponse:
    """Shown by the service worker without a network. Same for everyone: no user data, no token."""
    return render(request, "pwa/offline.html")
