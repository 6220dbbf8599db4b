"""The tenancy attack suite (issue 11), generated from the URL resolver and the OpenAPI schema.

Each app's ``tests/test_tenancy_matrix*.py`` lists its routes with the capability each method
needs. This suite needs no such list: it walks every route of the URL resolver, fills each URL
argument from one recipe per argument name (``RECIPES``: an object of that kind in workspace A1,
in A2 and in organisation B), and attacks every route with every verb:

* charlie (owner of B) on A's organisation, and on his own organisation with A's ids: exactly the
  answer of a missing organisation or missing ids (404; 405 where the route has no such verb),
  so nothing tells A apart; never A's data, never a write;
* dana (client of A granted only A1) on A2's objects: 404 for reads, and for any verb the same
  answer as on a missing object; never a write;
* bob (read-only analyst of A) on A1: every write is 403 (or 405), never a write;
* alice (owner) posting without a CSRF token: refused (403), on every route that takes a POST.

It fails when a route has an argument no recipe knows, when a route outside an organisation is
not declared public or personal (``OUTSIDE``), and when the OpenAPI schema lists a path the
resolver does not serve — so a new route is attacked the day it is added.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from tests.tenant_world import RECIPES, build_world

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
MISSING = 2_147_483_000
TENANT = re.compile(r"^(o/<slug:org>/|api/v1/organizations/<slug:org>/)")
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")

# Routes outside an organisation, each with why it may be there. Prefixes cover allauth's login,
# signup, password, MFA and session pages and the Django admin (staff only).
OUTSIDE_PREFIXES = ("accounts/", "admin/")
OUTSIDE = {
    "home": "the welcome page, or a redirect to the person's organisation",
    "organization_create": "any logged-in person may create an organisation",
    "profile": "the person's own profile",
    "api_tokens": "the person's own API tokens",
    "api_token_revoke": "revokes one of the person's own tokens (another's id is a 404: accounts tests)",
    "language_switch": "the person's language",
    "invitation_accept": "an invitation link (a signed token)",
    "api_health": "health check, no data",
    "api_organization_list": "the caller's own organisations",
    "api_schema": "the OpenAPI schema",
    "api_docs": "Swagger UI",
    "api_redoc": "Redoc",
    "glossary": "metric definitions, no tenant data",
    "networks_x_callback": "OAuth callback, bound to the session that started it",
    "networks_facebook_callback": "OAuth callback, bound to the session that started it",
    "webhooks_meta": "Meta webhooks, signed with the app secret",
    "webhooks_meta_deauthorize": "Meta callback, signed_request",
    "webhooks_meta_data_deletion": "Meta callback, signed_request",
    "webhooks_meta_deletion_status": "a deletion's public status, by its random code",
    "reports_shared": "a report's share link (signed, expiring, revocable)",
    "reports_shared_pdf": "a report's share link (signed, expiring, revocable)",
    "contest_vote_page": "a contest's public page, by its random key",
    "contest_vote": "a public vote, by random keys",
    "contest_results": "a contest's public results, by its random key",
    "contest_media_file": "a contest photo, by random keys",
    "campaign_upload": "an author's private upload link (signed, expiring)",
    "campaign_upload_preview": "an author's private upload link (signed, expiring)",
    "reports_brand_css": "an organisation's report colours as CSS (no data; referenced by shared reports)",
    "offline": "the installable app's offline page (no data)",
    "service_worker": "the service worker script (caches the app shell only, never private pages)",
}
# Posts a read-only member may make (DESIGN.md's role table): marking their own notifications,
# building a report and exporting data are reading.
READ_LEVEL_WRITES = {"notification_read", "reports_build", "reports_export_create"}
# Not protected by a CSRF token, because the caller is not a browser: each is signed instead.
CSRF_EXEMPT = {"webhooks_meta", "webhooks_meta_deauthorize", "webhooks_meta_data_deletion"}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    arguments: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, pattern)
        elif isinstance(entry, URLPattern):
            yield Route(pattern, entry.name or pattern, tuple(name for _, name in ARGUMENT.findall(pattern)))


ROUTES = list(_walk(get_resolver().url_patterns))
TENANT_ROUTES = [r for r in ROUTES if TENANT.match(r.pattern)]


@pytest.fixture
def world(tenancy, settings, tmp_path) -> dict[str, dict[str, int]]:
    settings.MEDIA_ROOT = tmp_path  # files made by the recipes (PDFs, photos) stay in the test
    return build_world(tenancy)


def url(route: Route, org: str, ids: dict[str, int]) -> str:
    kwargs = {name: (org if name == "org" else ids.get(name, MISSING)) for name in route.arguments}
    return reverse(route.name, kwargs=kwargs)


def call(client: Client, method: str, target: str, api: bool):
    if api:
        return client.generic(method, target, "{}", content_type="application/json")
    if method == "GET":
        return client.get(target)
    return client.generic(method, target, urlencode({"name": "x"}), content_type="application/x-www-form-urlencoded")


def fingerprint() -> str:
    """Every tenant row of every app, hashed: a change anywhere shows."""
    digest = hashlib.sha256()
    with scopes_disabled():
        for model in apps.get_models():
            if any(f.name == "organization" for f in model._meta.fields):
                for row in model.objects.order_by("pk").values_list():
                    digest.update(repr(row).encode())
    return digest.hexdigest()


def _is_api(route: Route) -> bool:
    return route.pattern.startswith("api/")


# --- Coverage ------------------------------------------------------------------------------------


def test_it_knows_every_route():
    unknown_arguments = {r.name: set(r.arguments) - RECIPES for r in TENANT_ROUTES if set(r.arguments) - RECIPES}
    assert not unknown_arguments, "add a recipe (an object in A1, A2 and B) for these URL arguments"
    outside = [r for r in ROUTES if not TENANT.match(r.pattern) and not r.pattern.startswith(OUTSIDE_PREFIXES)]
    undeclared = sorted(r.name for r in outside if r.name not in OUTSIDE)
    assert not undeclared, "a route outside /o/<org>/: declare why it is public or personal in OUTSIDE"
    assert not set(OUTSIDE) - {r.name for r in ROUTES}, "these declared routes no longer exist"


def test_it_serves_every_path_of_the_openapi_schema(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json").json()
    served = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + r.pattern) for r in ROUTES}
    assert set(schema["paths"]) <= served
    documented = {path for path in served if path.startswith("/api/v1/organizations/{org}")}
    assert documented <= set(schema["paths"]), "an organisation's API route is missing from the schema"


# --- Attacks -------------------------------------------------------------------------------------


def test_it_answers_404_to_another_organisation_on_every_route_and_verb(tenancy, login, world):
    """A's organisation answers charlie exactly as one that does not exist (404, or 405 for a verb
    the route lacks, whatever the organisation), and A's ids exactly as missing ids."""
    charlie = login(tenancy.charlie)
    before, failures = fingerprint(), []
    for route in TENANT_ROUTES:
        api = _is_api(route)
        for method in METHODS:
            nowhere = call(charlie, method, url(route, "no-such-organisation", world["b"]), api).status_code
            into_a = call(charlie, method, url(route, tenancy.org_a.slug, world["a1"]), api).status_code
            if nowhere not in (404, 405) or into_a != nowhere:
                failures.append(f"{method} {route}: A's organisation {into_a}, none {nowhere}")
            if set(route.arguments) == {"org"}:
                continue
            missing = call(charlie, method, url(route, tenancy.org_b.slug, {}), api).status_code
            a_ids = call(charlie, method, url(route, tenancy.org_b.slug, world["a1"]), api).status_code
            if missing not in (404, 405) or a_ids != missing:
                failures.append(f"{method} {route}: A's ids in B {a_ids}, missing ids {missing}")
    assert not failures, "charlie could tell organisation A apart:\n" + "\n".join(failures)
    assert fingerprint() == before, "a refused request wrote something"


def test_it_answers_404_to_a_client_on_another_clients_workspace(tenancy, login, world):
    """dana reads A2's objects as missing ones (404), and any other verb answers as it would on a
    missing object: never a success, never a write."""
    dana = login(tenancy.dana)
    before, failures = fingerprint(), []
    scoped = [r for r in TENANT_ROUTES if set(r.arguments) - {"org", "membership_id", "invitation_id"}]
    assert len(scoped) > 50
    for route in scoped:
        api = _is_api(route)
        for method in METHODS:
            a2 = call(dana, method, url(route, tenancy.org_a.slug, world["a2"]), api).status_code
            missing = call(dana, method, url(route, tenancy.org_a.slug, {}), api).status_code
            if a2 != missing or a2 not in (404, 405, 403) or (method == "GET" and a2 == 403):
                failures.append(f"{method} {route}: A2 {a2}, missing {missing}")
    assert not failures, "dana could reach or tell apart workspace A2:\n" + "\n".join(failures)
    assert fingerprint() == before


def test_it_refuses_every_write_to_a_read_only_member(tenancy, login, world):
    bob = login(tenancy.bob)
    before, failures = fingerprint(), []
    for route in TENANT_ROUTES:
        if route.name in READ_LEVEL_WRITES:
            continue
        for method in WRITES:
            status = call(bob, method, url(route, tenancy.org_a.slug, world["a1"]), _is_api(route)).status_code
            if status not in (403, 405):
                failures.append(f"{method} {route}: {status}")
    assert not failures, "bob (read-only) was not refused:\n" + "\n".join(failures)
    assert fingerprint() == before, "bob (read-only) wrote something"


def test_it_requires_a_csrf_token_on_every_form(tenancy, world):
    alice = Client(enforce_csrf_checks=True)
    alice.force_login(tenancy.alice)
    before, failures, skipped = fingerprint(), [], []
    for route in ROUTES:
        if route.name in CSRF_EXEMPT or route.pattern.startswith("admin/"):
            continue
        ids = world["a1"]
        kwargs = {n: (tenancy.org_a.slug if n == "org" else ids.get(n, "x")) for n in route.arguments}
        try:
            target = reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:  # allauth's routes whose keys have another shape: their own tests
            skipped.append(route.name)
            continue
        status = alice.post(target, {"name": "x"}).status_code
        if status not in (403, 404, 405):
            failures.append(f"POST {route}: {status}")
    assert not failures, "accepted a POST without a CSRF token:\n" + "\n".join(failures)
    assert len(skipped) < 10, skipped
    assert fingerprint() == before
