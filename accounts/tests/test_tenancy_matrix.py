"""The tenancy matrix (STYLE.md rule 8) for every page and endpoint of the accounts app.

Each route is listed once with the capability each HTTP method needs. From that table:

* ``test_it_checks_ownership``: charlie (owner of B) gets 404 on A's URLs and objects, whatever the
  method, and so does anyone on a missing organisation or object;
* ``test_it_requires_write_access``: bob (analyst of A) gets 403 on every method that needs more than
  reading, and nothing changes;
* ``test_it_hides_other_clients``: dana (client of A granted A1) gets 404 on A2 exactly as on a
  missing workspace, and never sees A2 in a list;
* ``test_it_lists_every_tenant_route``: a new route under ``/o/<org>/`` or
  ``/api/v1/organizations/<org>/`` fails until it is added here, or, for another app's route, to
  ``<app>/tests/test_tenancy_matrix.py``'s ``ROUTES`` (which may reuse ``Route``, ``page`` and ``api``).
"""

import importlib
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from accounts.models import AuditEvent, Organization, Workspace
from accounts.roles import Capability

READ, MANAGE, ADMINISTER, OWN = Capability.READ, Capability.MANAGE_WORKSPACES, Capability.ADMINISTER, Capability.OWN

# What each route addresses besides the organisation.
ORG, WORKSPACE, MEMBER, INVITATION = "org", "workspace", "member", "invitation"
OBJECT_KWARG = {WORKSPACE: "workspace_id", MEMBER: "membership_id", INVITATION: "invitation_id"}
MISSING_ID = 987_654


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    needs: dict[str, Capability]  # HTTP method → capability; the order is the order tests call them
    api: bool = False
    # Valid data for a method, so a broken guard would really write (callable of the test's world).
    payload: dict[str, Callable] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def page(name: str, target: str, payload: dict | None = None, **needs: Capability) -> Route:
    return Route(name, target, needs, payload=payload or {})


def api(name: str, target: str, payload: dict | None = None, **needs: Capability) -> Route:
    return Route(name, target, needs, api=True, payload=payload or {})


ROUTES = [
    page("organization_home", ORG, GET=READ),
    page(
        "organization_settings",
        ORG,
        {"POST": lambda w: {"name": "Renamed", "time_zone": "Europe/London", "language": "fr", "require_mfa": "on"}},
        GET=ADMINISTER,
        POST=ADMINISTER,
    ),
    page("organization_delete", ORG, {"POST": lambda w: {"confirm": w.org.name}}, GET=OWN, POST=OWN),
    page("audit_log", ORG, GET=ADMINISTER),
    page(
        "privacy",
        ORG,
        {"POST": lambda w: {"action": "retention", "people_data_retention_days": "30"}},
        GET=ADMINISTER,
        POST=ADMINISTER,
    ),
    page("workspace_create", ORG, {"POST": lambda w: {"name": "Brand new"}}, GET=MANAGE, POST=MANAGE),
    page("workspace_home", WORKSPACE, GET=READ),
    page("workspace_edit", WORKSPACE, {"POST": lambda w: {"name": "Renamed"}}, GET=MANAGE, POST=MANAGE),
    page("workspace_delete", WORKSPACE, {"POST": lambda w: {"confirm": w.workspace.name}}, GET=MANAGE, POST=MANAGE),
    page("notification_list", ORG, GET=READ),
    # Marks the person's own notifications: reading members use it, it changes nothing of the tenant.
    page("notification_read", ORG, POST=READ),
    page("member_list", ORG, GET=ADMINISTER),
    page("member_edit", MEMBER, {"POST": lambda w: {"role": "manager"}}, GET=ADMINISTER, POST=ADMINISTER),
    page("member_remove", MEMBER, POST=ADMINISTER),
    page("ownership_transfer", ORG, {"POST": lambda w: {"membership": w.member}}, GET=OWN, POST=OWN),
    page(
        "invitation_create", ORG, {"POST": lambda w: {"email": "new@example.com", "role": "analyst"}}, POST=ADMINISTER
    ),
    page("invitation_resend", INVITATION, POST=ADMINISTER),
    page("invitation_revoke", INVITATION, POST=ADMINISTER),
    api("api_organization_detail", ORG, GET=READ),
    api("api_workspace_list", ORG, {"POST": lambda w: {"name": "Brand new"}}, GET=READ, POST=MANAGE),
    api(
        "api_workspace_detail",
        WORKSPACE,
        {"PUT": lambda w: {"name": "Renamed", "description": ""}, "PATCH": lambda w: {"name": "Renamed again"}},
        GET=READ,
        PUT=MANAGE,
        PATCH=MANAGE,
        DELETE=MANAGE,
    ),
    api("api_member_list", ORG, GET=ADMINISTER),
]


@dataclass
class World:
    """What a route is called on: an organisation and one object of each kind in it."""

    org: Organization
    workspace: Workspace
    member: int
    invitation: int

    def object_id(self, target: str) -> int | None:
        return {WORKSPACE: self.workspace.pk, MEMBER: self.member, INVITATION: self.invitation}.get(target)


def url(route: Route, org_slug: str, object_id: int | None = None) -> str:
    kwargs = {"org": org_slug}
    if route.target != ORG:
        kwargs[OBJECT_KWARG[route.target]] = object_id
    return reverse(route.name, kwargs=kwargs)


def call(client, route: Route, method: str, target_url: str, world: World | None = None):
    make = route.payload.get(method)
    data = make(world) if make and world else {}
    if route.api:
        body = json.dumps(data) if method != "GET" else None
        return client.generic(method, target_url, body or "", content_type="application/json")
    if method == "GET":
        return client.get(target_url)
    return client.generic(method, target_url, urlencode(data), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def world_a(tenancy, objects) -> World:
    return World(tenancy.org_a, tenancy.a1, objects.a_member, objects.a_invitation)


@pytest.fixture
def world_b(tenancy, objects) -> World:
    return World(tenancy.org_b, tenancy.b1, objects.b_member, objects.b_invitation)


ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(route, tenancy, login, world_a, world_b):
    charlie = login(tenancy.charlie)
    a_object = world_a.object_id(route.target)
    for method in ALL_METHODS:
        # A's organisation and A's object.
        response = call(charlie, route, method, url(route, world_a.org.slug, a_object), world_a)
        assert response.status_code == 404, f"charlie {method} {route} on A: {response.status_code}"
        # charlie's own organisation in the URL, A's object id: still 404 (for the methods the
        # route has; others are 405 whatever the id).
        if route.target != ORG and method in route.needs:
            response = call(charlie, route, method, url(route, world_b.org.slug, a_object), world_a)
            assert response.status_code == 404, f"charlie {method} {route} with A's object: {response.status_code}"
        # A missing organisation answers like another tenant's.
        response = call(charlie, route, method, url(route, "no-such-organization", world_b.object_id(route.target)))
        assert response.status_code == 404, f"charlie {method} {route} on a missing organisation"
    alice = login(tenancy.alice)
    for method in route.needs:
        if route.target != ORG:
            response = call(alice, route, method, url(route, world_a.org.slug, MISSING_ID), world_a)
            assert response.status_code == 404, f"alice {method} {route} on a missing object: {response.status_code}"
        response = call(alice, route, method, url(route, world_b.org.slug, world_b.object_id(route.target)), world_b)
        assert response.status_code == 404, f"alice {method} {route} on B: {response.status_code}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_lets_the_owner_in(route, tenancy, login, world_a):
    """The other side of the matrix: the guards are not simply closed for everyone."""
    alice = login(tenancy.alice)
    for method in route.needs:
        response = call(alice, route, method, url(route, world_a.org.slug, world_a.object_id(route.target)), world_a)
        assert response.status_code < 400, f"alice {method} {route}: {response.status_code}"


def _tenant_state(tenancy) -> tuple:
    with scopes_disabled():
        return (
            AuditEvent.objects.count(),
            sorted(Workspace.objects.values_list("pk", "name")),
            sorted(Organization.objects.values_list("pk", "name", "require_mfa")),
            sorted(tenancy.org_a.memberships.values_list("pk", "role")),
        )


@pytest.mark.parametrize("route", [r for r in ROUTES if any(c != READ for c in r.needs.values())], ids=str)
def test_it_requires_write_access(route, tenancy, login, world_a):
    before = _tenant_state(tenancy)
    for user in (tenancy.bob, tenancy.dana):  # analyst, then client: both read-only
        client = login(user)
        for method, capability in route.needs.items():
            if capability == READ:
                continue
            response = call(
                client, route, method, url(route, world_a.org.slug, world_a.object_id(route.target)), world_a
            )
            assert response.status_code == 403, f"{user} {method} {route}: {response.status_code}"
    assert _tenant_state(tenancy) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target == WORKSPACE], ids=str)
def test_it_hides_other_clients(route, tenancy, login):
    dana = login(tenancy.dana)
    for method, capability in route.needs.items():
        granted = call(dana, route, method, url(route, tenancy.org_a.slug, tenancy.a1.pk))
        not_granted = call(dana, route, method, url(route, tenancy.org_a.slug, tenancy.a2.pk))
        missing = call(dana, route, method, url(route, tenancy.org_a.slug, MISSING_ID))
        # A workspace not granted is indistinguishable from a missing one, whatever the verb…
        assert not_granted.status_code == missing.status_code == 404, f"dana {method} {route}"
        # …and on her own workspace a read-only client reads but never writes.
        assert granted.status_code == (200 if capability == READ else 403), f"dana {method} {route}"


def test_it_hides_other_clients_from_lists(tenancy, login):
    dana = login(tenancy.dana)
    home = dana.get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug}))
    a1_url = reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    a2_url = reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a2.pk})
    assert a1_url in home.content.decode()
    assert a2_url not in home.content.decode()
    listing = dana.get(reverse("api_workspace_list", kwargs={"org": tenancy.org_a.slug})).json()
    assert [w["id"] for w in listing["results"]] == [tenancy.a1.pk]
    organizations = dana.get(reverse("api_organization_list")).json()
    assert [(o["slug"], o["role"]) for o in organizations] == [(tenancy.org_a.slug, "client")]


def test_it_lists_only_the_callers_organisations(tenancy, login):
    organizations = login(tenancy.charlie).get(reverse("api_organization_list")).json()
    assert [o["slug"] for o in organizations] == [tenancy.org_b.slug]


def _tenant_routes(patterns, prefix: str = "") -> set[str]:
    found = set()
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found |= _tenant_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and (
            route.startswith(("o/<slug:org>/", "api/v1/organizations/<slug:org>/"))
        ):
            found.add(entry.name or route)
    return found


def _matrices() -> dict[str, set[str]]:
    """Route names listed by each app's matrix: ``<app>/tests/test_tenancy_matrix.py`` exposing
    ``ROUTES`` (items with a ``name``), so each app tests its own routes with its own objects."""
    listed = {}
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(config.path).parts:
            continue
        name = f"{config.name}.tests.test_tenancy_matrix"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # the app has no tests package
            found = False
        if found:
            listed[config.name] = {route.name for route in importlib.import_module(name).ROUTES}
    return listed


def test_it_lists_every_tenant_route():
    """Every route of an organisation must be in a tenancy matrix: ROUTES above for the accounts
    app, the same table in ``<app>/tests/test_tenancy_matrix.py`` for another app."""
    routes = _tenant_routes(get_resolver().url_patterns)
    matrices = _matrices()
    listed = set().union(*matrices.values())
    assert routes - listed == set(), "add these routes to their app's tenancy matrix (ROUTES)"
    assert {route.name for route in ROUTES} <= routes, "these routes no longer exist"
