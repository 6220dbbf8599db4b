"""The tenancy matrix (STYLE.md rule 8) for the analytics API: charlie (owner of B) gets 404,
bob (analyst of A) reads but gets 403 on writes and nothing changes, dana (client of A granted A1)
gets 404 on A2's workspace, accounts and posts. ``ROUTES`` is read by
accounts/tests/test_tenancy_matrix.py to check every organisation route is covered somewhere."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from analytics.models import SpikeSettings, Theme
from analytics.tests.matrix import ACCOUNT, ORG, POST, THEME, WORKSPACE, address


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    writes: dict = field(default_factory=dict)  # method → JSON body (managers and above)

    def __str__(self) -> str:
        return self.name


ROUTES = [
    Route("api_workspace_accounts", WORKSPACE),
    Route("api_account_daily", ACCOUNT),
    Route("api_account_best_times", ACCOUNT),
    Route("api_account_forecasts", ACCOUNT),
    Route("api_post_list", ORG),
    Route("api_post_snapshots", POST),
    Route("api_overview", ORG),
    Route("api_theme_list", ORG, {"POST": {"name": "Sport", "hashtags": ["sport"]}}),
    Route("api_theme_detail", THEME, {"PATCH": {"name": "Sports"}, "DELETE": {}}),
    Route("api_theme_breakdown", ORG),
    Route("api_workspace_spike_alerts", WORKSPACE, {"PATCH": {"sensitivity": "high"}}),
    Route("api_workspace_voice", WORKSPACE),
    Route("api_account_sentiment", ACCOUNT),
    Route("api_post_sentiment", POST),
]


def call(client, method: str, url: str, body: dict | None = None):
    return client.generic(
        method, url, json.dumps(body or {}) if method != "GET" else "", content_type="application/json"
    )


def themes_state() -> list:
    with scopes_disabled():
        return [
            sorted(Theme.objects.values_list("pk", "name")),
            sorted(SpikeSettings.objects.values_list("workspace_id", "sensitivity")),
        ]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, objects):
    charlie = login(tenancy.charlie)
    for method in ("GET", *route.writes):
        assert call(charlie, method, address(route, tenancy.org_a.slug, objects["a1"])).status_code == 404
        if route.target != ORG:
            # charlie's own organisation in the URL, A's object: still 404.
            response = call(
                charlie, method, address(route, tenancy.org_b.slug, objects["a1"]), route.writes.get(method)
            )
            assert response.status_code == 404, f"{method} {route} with A's object"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, objects):
    alice = login(tenancy.alice)
    for method in ("GET", *route.writes):
        response = call(alice, method, address(route, tenancy.org_a.slug, objects["a1"]), route.writes.get(method))
        assert response.status_code < 400, f"{method} {route}: {response.status_code} {response.content[:200]}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.writes], ids=str)
def test_it_requires_write_access(route, tenancy, login, objects):
    before = themes_state()
    for user in (tenancy.bob, tenancy.dana):
        client = login(user)
        assert call(client, "GET", address(route, tenancy.org_a.slug, objects["a1"])).status_code == 200
        for method, body in route.writes.items():
            assert call(client, method, address(route, tenancy.org_a.slug, objects["a1"]), body).status_code == 403
    assert themes_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, objects):
    dana = login(tenancy.dana)
    assert call(dana, "GET", address(route, tenancy.org_a.slug, objects["a1"])).status_code == 200
    for method in ("GET", *route.writes):
        hidden = call(dana, method, address(route, tenancy.org_a.slug, objects["a2"]), route.writes.get(method))
        assert hidden.status_code == 404, f"dana {method} {route} on A2"


def test_it_hides_other_clients_from_lists(tenancy, login, objects):
    dana = login(tenancy.dana)
    posts = dana.get(reverse("api_post_list", kwargs={"org": tenancy.org_a.slug})).json()
    assert [p["id"] for p in posts["results"]] == [objects["a1"][POST]]
    themes = dana.get(reverse("api_theme_list", kwargs={"org": tenancy.org_a.slug})).json()
    assert [t["id"] for t in themes] == [objects["a1"][THEME]]
    filtered = dana.get(reverse("api_overview", kwargs={"org": tenancy.org_a.slug}), {"workspace": tenancy.a2.pk})
    assert filtered.status_code == 404


# The statistics pages have their own matrix (test_tenancy_matrix_pages.py: form posts, not JSON).
# The walker in accounts/tests/test_tenancy_matrix.py reads ROUTES here, so it lists both; the
# tests above were parametrised with the API list already, so rebinding the name changes none.
from analytics.tests.test_tenancy_matrix_pages import ROUTES as PAGE_ROUTES  # noqa: E402

ROUTES = [*ROUTES, *PAGE_ROUTES]
