"""The tenancy matrix (STYLE.md rule 8) for every page of the networks app: charlie (owner of B)
gets 404, bob (analyst of A) gets 403 on writes and nothing changes, dana (client of A granted A1)
gets 404 on A2. ``ROUTES`` is read by accounts/tests/test_tenancy_matrix.py to check that every
organisation route is covered somewhere."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_scopes import scope

from networks.models import SocialAccount
from networks.tests.factories import make_account

WORKSPACE, ACCOUNT, ORG = "workspace", "account", "org"


@dataclass(frozen=True)
class Route:
    name: str
    target: str
    method: str

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


ROUTES = [
    Route("networks_connect_x", WORKSPACE, "post"),
    Route("networks_connect_facebook", WORKSPACE, "post"),
    Route("networks_account_check", ACCOUNT, "post"),
    Route("networks_account_disconnect", ACCOUNT, "post"),
    Route("networks_account_delete", ACCOUNT, "get"),
    Route("networks_account_delete", ACCOUNT, "post"),
    Route("networks_facebook_choose", ORG, "get"),
    Route("networks_facebook_choose", ORG, "post"),
    # The sync engine's pages (more in test_sync_views.py): reading is for every role.
    Route("networks_sync_history", ACCOUNT, "get"),
    Route("networks_sync_status", ACCOUNT, "get"),
    Route("networks_sync_now", ACCOUNT, "post"),
]
READ_ROUTES = {"networks_sync_history", "networks_sync_status"}


def address(route: Route, tenancy, workspace) -> str:
    kwargs = {"org": tenancy.org_a.slug}
    if route.target == WORKSPACE:
        kwargs["workspace_id"] = workspace.pk
    elif route.target == ACCOUNT:
        kwargs["account_id"] = make_account(workspace, external_id=f"t{workspace.pk}").pk
    return reverse(route.name, kwargs=kwargs)


def accounts_of_a(tenancy) -> list[SocialAccount]:
    with scope(organization=tenancy.org_a):
        return list(SocialAccount.objects.filter(organization=tenancy.org_a))


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_checks_ownership(tenancy, login, networks_configured, route):
    response = getattr(login(tenancy.charlie), route.method)(address(route, tenancy, tenancy.a1))
    assert response.status_code == 404
    assert len(accounts_of_a(tenancy)) == (1 if route.target == ACCOUNT else 0)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in READ_ROUTES], ids=str)
def test_it_requires_write_access(tenancy, login, networks_configured, route):
    response = getattr(login(tenancy.bob), route.method)(address(route, tenancy, tenancy.a1))
    assert response.status_code == 403
    assert all(a.status == SocialAccount.Status.ACTIVE for a in accounts_of_a(tenancy))
    assert len(accounts_of_a(tenancy)) == (1 if route.target == ACCOUNT else 0)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.target != ORG], ids=str)
def test_it_hides_other_clients(tenancy, login, networks_configured, route):
    response = getattr(login(tenancy.dana), route.method)(address(route, tenancy, tenancy.a2))
    assert response.status_code == 404


def test_it_hides_other_clients_on_the_choice_page(tenancy, login, networks_configured):
    # An organisation-level page (no workspace in its URL): a client, read-only, may not use it.
    assert (
        login(tenancy.dana).get(reverse("networks_facebook_choose", kwargs={"org": tenancy.org_a.slug})).status_code
        == 403
    )


def test_it_hides_other_clients_accounts_on_the_workspace_page(tenancy, login):
    make_account(tenancy.a2, name="Secret client", external_id="s")
    client = login(tenancy.dana)
    a1 = reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    a2 = reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a2.pk})
    assert client.get(a2).status_code == 404
    assert b"Secret client" not in client.get(a1).content
