"""The tenancy matrix (STYLE.md rule 8) for every listening page and endpoint: charlie (owner of B)
gets 404, bob (analyst of A) and dana (client of A granted A1) get 403 on writes and nothing
changes, dana gets 404 on A2's workspace, watches, hits and queue items. ``ROUTES`` is read by
accounts/tests/test_tenancy_matrix.py to check every organisation route is covered."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from listening.models import Hit, Watch, WelcomeItem
from listening.tests.factories import make_queue_objects

ORG, WORKSPACE, WATCH, HIT, ITEM = "org", "workspace", "watch", "hit", "item"
KWARG = {WORKSPACE: "workspace_id", WATCH: "watch_id", HIT: "hit_id", ITEM: "item_id"}
WATCH_FORM = {"name": "Boulogne", "rule": "#Boulogne", "networks": ["x"], "alerts": "off", "active": "on"}


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    writes: dict = field(default_factory=dict)  # method → form data (pages) or JSON body (API)
    reads: bool = True  # False: POST only
    api: bool = False

    def __str__(self) -> str:
        return self.name

    @property
    def methods(self) -> tuple[str, ...]:
        return (*(("GET",) if self.reads else ()), *self.writes)


ROUTES = [
    Route("listening_home", ORG),
    Route("listening_welcome", ORG),
    Route("listening_dashboard", WORKSPACE),
    Route("listening_watch_create", WORKSPACE, {"POST": WATCH_FORM}),
    Route("listening_watch", WATCH),
    Route("listening_watch_edit", WATCH, {"POST": {**WATCH_FORM, "name": "Renamed"}}),
    Route("listening_watch_delete", WATCH, {"POST": {}}, reads=False),
    Route("listening_watch_collect", WATCH, {"POST": {}}, reads=False),
    Route("listening_hit_author", HIT, {"POST": {"author": "@camille"}}, reads=False),
    Route("listening_welcome_reply", ITEM, {"POST": {"text": "Bienvenue !"}}, reads=False),
    Route("listening_welcome_status", ITEM, {"POST": {"status": "done"}}, reads=False),
    Route("api_listening_watches", ORG, api=True),
    Route("api_listening_watch", WATCH, api=True),
    Route("api_listening_watch_hits", WATCH, api=True),
    Route("api_listening_watch_sentiment", WATCH, api=True),
]


@pytest.fixture
def objects(tenancy) -> dict[str, dict[str, int]]:
    """A watch, a matched Instagram hit and a queue item in A1, A2 and B (each with an X account)."""
    made = {}
    for key, workspace in (("a1", tenancy.a1), ("a2", tenancy.a2), ("b", tenancy.b1)):
        watch, hit, item = make_queue_objects(workspace, key)
        made[key] = {WORKSPACE: workspace.pk, WATCH: watch.pk, HIT: hit.pk, ITEM: item.pk}
    return made


def address(route: Route, org_slug: str, ids: dict) -> str:
    kwargs = {"org": org_slug}
    if route.target != ORG:
        kwargs[KWARG[route.target]] = ids[route.target]
    return reverse(route.name, kwargs=kwargs)


def call(client, method: str, route: Route, url: str):
    if method == "GET":
        return client.get(url)
    if route.api:
        return client.generic(method, url, json.dumps(route.writes[method]), content_type="application/json")
    return client.post(url, route.writes[method])


def tenant_state() -> tuple:
    with scopes_disabled():
        return (
            sorted(Watch.objects.values_list("pk", "name", "rule")),
            sorted(Hit.objects.values_list("pk", "author_handle")),
            sorted(WelcomeItem.objects.values_list("pk", "status")),
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, objects):
    before = tenant_state()
    charlie = login(tenancy.charlie)
    for method in ("GET", *route.writes):
        response = call(charlie, method, route, address(route, tenancy.org_a.slug, objects["a1"]))
        assert response.status_code == 404, f"{method} {route} on A"
        if route.target != ORG and method in route.methods:
            response = call(charlie, method, route, address(route, tenancy.org_b.slug, objects["a1"]))
            assert response.status_code == 404, f"{method} {route} with A's object"
    assert tenant_state() == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, objects):
    alice = login(tenancy.alice)
    for method in route.methods:
        response = call(alice, method, route, address(route, tenancy.org_a.slug, objects["a1"]))
        assert response.status_code < 400, f"{method} {route}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.writes], ids=str)
def test_it_requires_write_access(route, tenancy, login, objects):
    before = tenant_state()
    for user in (tenancy.bob, tenancy.dana):  # analyst, then client: both read-only
        client = login(user)
        for method in route.writes:
            response = call(client, method, route, address(route, tenancy.org_a.slug, objects["a1"]))
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert tenant_state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, objects):
    before = tenant_state()
    dana = login(tenancy.dana)
    if route.reads:
        granted = call(dana, "GET", route, address(route, tenancy.org_a.slug, objects["a1"]))
        assert granted.status_code == 200, f"dana GET {route} on A1"
    for method in route.methods:
        hidden = call(dana, method, route, address(route, tenancy.org_a.slug, objects["a2"]))
        assert hidden.status_code == 404, f"dana {method} {route} on A2"
    assert tenant_state() == before


def test_it_hides_other_clients_from_lists(tenancy, login, objects):
    dana = login(tenancy.dana)
    org = tenancy.org_a.slug
    a1_watch = reverse("listening_watch", kwargs={"org": org, "watch_id": objects["a1"][WATCH]})
    a2_watch = reverse("listening_watch", kwargs={"org": org, "watch_id": objects["a2"][WATCH]})
    home = dana.get(reverse("listening_home", kwargs={"org": org})).content.decode()
    assert a1_watch in home and a2_watch not in home and ">A2<" not in home
    queue = dana.get(reverse("listening_welcome", kwargs={"org": org})).content.decode()
    assert f"item-{objects['a1'][ITEM]}" in queue and f"item-{objects['a2'][ITEM]}" not in queue
    listing = dana.get(reverse("api_listening_watches", kwargs={"org": org})).json()
    assert [w["id"] for w in listing["results"]] == [objects["a1"][WATCH]]
