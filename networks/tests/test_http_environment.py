"""The boundary sessions read the environment's proxies and CA bundle once per origin (requests
reads them at every call), and still honour them."""

import pytest

from networks import http


@pytest.fixture
def fresh_environment(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(http, "_environment", {})
    return monkeypatch


def test_it_honours_the_environments_proxy_and_ca_bundle(fresh_environment):
    fresh_environment.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    fresh_environment.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/our-bundle.pem")
    session = http.graph_session()
    settings = session.merge_environment_settings("https://graph.facebook.com/v23.0/me?x=1", {}, None, None, None)
    assert settings["proxies"]["https"] == "http://proxy.internal:3128"
    assert settings["verify"] == "/etc/ssl/our-bundle.pem"
    # An explicit argument still wins over the environment.
    explicit = session.merge_environment_settings(
        "https://graph.facebook.com/me", {"https": "http://other:1"}, None, False, None
    )
    assert explicit["proxies"]["https"] == "http://other:1" and explicit["verify"] is False


def test_it_reads_the_environment_once_per_origin_and_honours_no_proxy(fresh_environment):
    fresh_environment.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    fresh_environment.setenv("NO_PROXY", "api.x.com")
    session = http.x_session()
    assert session.merge_environment_settings("https://api.x.com/2/users/me", {}, None, None, None)["proxies"] == {}
    session.merge_environment_settings("https://graph.facebook.com/a", {}, None, None, None)
    session.merge_environment_settings("https://graph.facebook.com/b?c=d", {}, None, None, None)
    assert set(http._environment) == {"https://api.x.com", "https://graph.facebook.com"}
