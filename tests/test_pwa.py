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
