"""The tenancy matrix (STYLE.md rule 8) for every inbox page and endpoint: charlie (owner of B)
gets 404, bob (analyst of A) and dana (client of A) read but get 403 on writes and nothing
changes, dana gets 404 on workspace A2's inbox and threads. ``ROUTES`` is read by
accounts/tests/test_tenancy_matrix.py (every tenant route must be listed)."""

import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from inbox.models import Department, InternalNote, Thread
from inbox.tests.conftest import make_thread, utc
from networks.tests.factories import make_account

ORG, WORKSPACE, THREAD = "org", "workspace", "thread"
KWARG = {WORKSPACE: "workspace_id", THREAD: "thread_id"}


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    writes: dict = field(default_factory=dict)  # method → payload (callable of the objects' ids)
    reads: bool = True
    api: bool = False

    def __str__(self) -> str:
        return self.name


ROUTES = [
    Route("inbox_home", ORG),
    Route(
        "inbox_threads",
        WORKSPACE,
        {"POST": lambda ids: {"action": "status", "status": "closed", "thread": ids[THREAD]}},
    ),
    Route("inbox_stats", WORKSPACE),
    Route("inbox_settings", WORKSPACE, {"POST": lambda ids: {"action": "department", "name": "Sport"}}),
    Route("inbox_thread", THREAD, {"POST": lambda ids: {"action": "note", "text": "Rappeler demain"}}),
    Route("api_inbox_threads", WORKSPACE, api=True),
    Route("api_inbox_stats", WORKSPACE, api=True),
    Route("api_inbox_thread", THREAD, {"PATCH": lambda ids: {"status": "closed"}}, api=True),
    Route("api_inbox_thread_reply", THREAD, {"POST": lambda ids: {"text": "Bonjour"}}, reads=False, api=True),
]


@pytest.fixture
def objects(tenancy) -> dict:
    made = {}
    for key, workspace in (("a1", tenancy.a1), ("a2", tenancy.a2), ("b", tenancy.b1)):
        account = make_account(workspace, network="facebook", external_id=f"page-{key}")
        thread = make_thread(workspace, account, key=f"t{key}", inbound=[utc(2026, 11, 30, 9)])
        made[key] = {WORKSPACE: workspace.pk, THREAD: thread.pk}
    return made


def address(route: Route, org_slug: str, ids: dict) -> str:
    kwargs = {"org": org_slug}
    if route.target != ORG:
        kwargs[KWARG[route.target]] = ids[route.target]
    return reverse(route.name, kwargs=kwargs)


def call(client, method: str, url: str, route: Route, ids: dict):
    if method == "GET":
        return client.get(url)
    data = route.writes[method](ids)
    if route.api:
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def state() -> tuple:
    with scopes_disabled():
        return (
            sorted(Thread.objects.values_list("pk", "status", "department_id")),
            Department.objects.count(),
            InternalNote.objects.count(),
        )


def methods(route: Route) -> tuple[str, ...]:
    return (*(("GET",) if route.reads else ()), *route.writes)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, objects):
    before = state()
    charlie = login(tenancy.charlie)
    for method in methods(route):
        response = call(charlie, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        assert response.status_code == 404, f"{method} {route} on A"
        if route.target != ORG:
            response = call(charlie, method, address(route, tenancy.org_b.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 404, f"{method} {route} with A's object"
    assert state() == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, objects):
    alice = login(tenancy.alice)
    for method in methods(route):
        response = call(alice, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
        if route.name == "api_inbox_thread_reply":
            # No network here: the answer is refused by the network (400), never by tenancy.
            assert response.status_code == 400, response.content
        else:
            assert response.status_code < 400, f"{method} {route}: {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.writes], ids=str)
def test_it_requires_write_access(route, tenancy, login, objects):
    before = state()
    for user in (tenancy.bob, tenancy.dana):
        client = login(user)
        for method in route.writes:
            response = call(client, method, address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"])
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert state() == before


def test_it_lists_only_the_clients_workspaces_in_the_inbox_home(tenancy, login, objects):
    response = login(tenancy.dana).get(reverse("inbox_home", kwargs={"org": tenancy.org_a.slug}))
    # dana sees one workspace: she goes straight to A1's inbox, never A2's.
    assert response.status_code == 302 and response.url.endswith(f"/w/{tenancy.a1.pk}/inbox/")
    html = login(tenancy.alice).get(reverse("inbox_home", kwargs={"org": tenancy.org_a.slug})).content
    assert b">A1<" in html and b">A2<" in html


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(route, tenancy, login, objects):
    dana = login(tenancy.dana)
    if route.reads:
        assert (
            call(dana, "GET", address(route, tenancy.org_a.slug, objects["a1"]), route, objects["a1"]).status_code
            == 200
        )
    for method in methods(route):
        hidden = call(dana, method, address(route, tenancy.org_a.slug, objects["a2"]), route, objects["a2"])
        assert hidden.status_code == 404, f"dana {method} {route} on A2"
