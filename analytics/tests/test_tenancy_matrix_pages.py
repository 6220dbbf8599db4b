"""The tenancy matrix (STYLE.md rule 8) for the statistics pages: charlie (owner of B) gets 404,
bob (analyst of A) reads but gets 403 on writes and nothing changes, dana (client of A granted A1)
gets 404 on A2's workspace, accounts and posts. ``ROUTES`` joins the analytics matrix that
accounts/tests/test_tenancy_matrix.py reads (through ``analytics.tests.test_tenancy_matrix``)."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from analytics.models import Post, PostTheme, SpikeSettings, Theme
from analytics.tests.matrix import ACCOUNT, ORG, POST, THEME, WORKSPACE, address


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    # method → form data (callable of the test's objects) for the writes (managers and above).
    writes: dict = field(default_factory=dict)
    reads: bool = True  # False: a POST-only route (GET is 405 once the member is known)

    def __str__(self) -> str:
        return self.name

    @property
    def methods(self) -> tuple[str, ...]:
        return (*(("GET",) if self.reads else ()), *self.writes)


ROUTES = [
    Route("analytics_agency_overview", ORG),
    Route("analytics_dashboard", WORKSPACE),
    Route("analytics_account", ACCOUNT),
    Route("analytics_account_forecasts", ACCOUNT),
    Route("analytics_post", POST),
    Route("analytics_themes", ORG, {"POST": lambda ids: {"action": "create", "name": "Sport", "hashtags": "sport"}}),
    Route("analytics_theme_edit", THEME, {"POST": lambda ids: {"name": "Sports", "color": "#047857"}}),
    Route("analytics_theme_delete", THEME, {"POST": lambda ids: {}}, reads=False),
    Route("analytics_post_themes", POST, {"POST": lambda ids: {"theme": ids[THEME]}}, reads=False),
    Route("analytics_spikes", WORKSPACE, {"POST": lambda ids: {"sensitivity": "high"}}),
    Route("analytics_voice", WORKSPACE),
]


def call(client, method: str, url: str, route: Route, ids: dict):
    if method == "GET":
        return client.get(url)
    return client.post(url, route.writes[method](ids))


def tenant_state() -> tuple:
    with scopes_disabled():
        return (
            sorted(Theme.objects.values_list("pk", "name", "color")),
            sorted(PostTheme.objects.values_list("post_id", "theme_id")),
            Post.objects.count(),
            sorted(SpikeSettings.objects.values_list("workspace_id", "sensitivity")),
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, objects):
    before = tenant_state()
    charlie = login(tenancy.charlie)
    # Whatever the method, an outsider learns nothing (404 before any 405).
    for method in ("GET", *route.writes):
        response = call(charlie, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert response.status_code == 404, f"{method} {route} on A"
        if route.target != ORG and method in route.methods:
            # charlie's own organisation in the URL, A's object: still 404.
            response = call(charlie, method, address(route, tenancy.org_b.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 404, f"{method} {route} with A's object"
    assert tenant_state() == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, objects):
    alice = login(tenancy.alice)
    for method in route.methods:
        response = call(alice, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert response.status_code < 400, f"{method} {route}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.writes], ids=str)
def test_it_requires_write_access(route, tenancy, login, objects):
    before = tenant_state()
    for user in (tenancy.bob, tenancy.dana):  # analyst, then client: both read-only
        client = login(user)
        for method in route.writes:
            response = call(client, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert tenant_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, objects):
    dana = login(tenancy.dana)
    if not route.writes:
        assert (
            call(dana, "GET", address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"]).status_code
            == 200
        )
    for method in ("GET", *route.writes) if not route.writes else route.writes:
        hidden = call(dana, method, address(route, tenancy.org_a.slug, objects["a2"]), route, objects["a2"])
        assert hidden.status_code == 404, f"dana {method} {route} on A2"


def test_it_hides_other_clients_from_the_overview(tenancy, login, objects):
    html = login(tenancy.dana).get(reverse("analytics_agency_overview", kwargs={"org": tenancy.org_a.slug}))
    assert b">A1<" in html.content and b">A2<" not in html.content
