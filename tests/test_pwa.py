"""The installable app's server side (overgraph/pwa.py): the service worker is served for the whole
site and lists only the app shell; the offline page is the same for everyone."""

import json
import re

import pytest


def test_it_serves_the_service_worker_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", response.content.decode()).group(1))
    assert "/offline/" in shell and "/static/css/app.css" in shell
    # Only static files and the offline page: never a page or an API answer.
    assert all(url.startswith("/static/") or url == "/offline/" for url in shell)


@pytest.mark.django_db
def test_it_shows_no_private_data_on_the_offline_page(tenancy, client):
    client.force_login(tenancy.alice)
    response = client.get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert tenancy.org_a.name not in page and tenancy.alice.email not in page
    assert "csrfmiddlewaretoken" not in page


def test_it_links_the_manifest_from_every_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="manifest" href="/static/manifest.webmanifest"' in page
    assert 'data-service-worker="/sw.js"' in page


def test_it_serves_the_service_worker_with_hashed_static_names(client, settings, tmp_path):
    """Production stores static files under hashed names (a manifest): the worker must still render."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert 'const STATIC_PREFIX = "/static/"' in response.content.decode()
    assert re.search(r'"/static/css/app\.[0-9a-f]{12}\.css"', response.content.decode())
