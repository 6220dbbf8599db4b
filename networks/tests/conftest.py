"""Fixtures of the networks tests (the simulator's come from networks.simulator.testing, registered
in the root conftest)."""

from collections.abc import Iterator

import pytest

from networks import http
from networks.tests.recorded import Replay


@pytest.fixture
def replay(monkeypatch) -> Iterator[Replay]:
    adapter = Replay()
    monkeypatch.setattr(http, "_test_adapters", [adapter])
    yield adapter


@pytest.fixture
def networks_configured(settings):
    """Credentials set and every network at a fake host (served by ``replay``)."""
    settings.SITE_URL = "http://testserver"
    settings.X_API_BASE_URL = "https://x.test"
    settings.X_AUTHORIZE_URL = "https://x.test/i/oauth2/authorize"
    settings.X_TOKEN_URL = "https://x.test/2/oauth2/token"
    settings.GRAPH_API_BASE_URL = "https://graph.test/"
    settings.FACEBOOK_DIALOG_URL = "https://www.facebook.test"
    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = "client-id", "client-secret"
    settings.META_APP_ID, settings.META_APP_SECRET = "app-id", "app-secret"
    settings.X_ENABLED = settings.FACEBOOK_ENABLED = settings.INSTAGRAM_ENABLED = True
