"""The accounts API: workspaces through the same services as the pages, members, health."""

from django.test import Client
from django.urls import reverse
from django_scopes import scope

from accounts.models import AuditEvent, Workspace


def _workspaces_url(org) -> str:
    return reverse("api_workspace_list", kwargs={"org": org.slug})


def _workspace_url(org, workspace) -> str:
    return reverse("api_workspace_detail", kwargs={"org": org.slug, "workspace_id": workspace.pk})


def _audited(org) -> list[str]:
    with scope(organization=org):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_it_creates_renames_and_deletes_a_workspace(tenancy, login):
    alice = login(tenancy.alice)
    created = alice.post(_workspaces_url(tenancy.org_a), {"name": "A3", "description": "Third"}, "application/json")
    assert created.status_code == 201
    assert created.json()["name"] == "A3"
    with scope(organization=tenancy.org_a):
        workspace = Workspace.objects.get(name="A3")
    duplicate = alice.post(_workspaces_url(tenancy.org_a), {"name": "a3"}, "application/json")
    assert duplicate.status_code == 400
    assert "name" in duplicate.json()
    renamed = alice.patch(_workspace_url(tenancy.org_a, workspace), {"name": "A3 bis"}, "application/json")
    assert renamed.json()["name"] == "A3 bis"
    assert alice.delete(_workspace_url(tenancy.org_a, workspace)).status_code == 204
    assert _audited(tenancy.org_a) == ["workspace_created", "workspace_renamed", "workspace_deleted"]


def test_it_lists_members_with_a_clients_workspaces(tenancy, login):
    members = login(tenancy.alice).get(reverse("api_member_list", kwargs={"org": tenancy.org_a.slug})).json()
    by_email = {m["email"]: m for m in members["results"]}
    assert sorted(by_email) == ["alice@example.com", "bob@example.com", "dana@example.com"]
    assert by_email["dana@example.com"]["workspaces"] == [tenancy.a1.pk]
    assert by_email["bob@example.com"]["role"] == "analyst"


def test_it_requires_a_login_except_for_the_health_check(tenancy):
    anonymous = Client()
    assert anonymous.get(reverse("api_organization_list")).status_code == 403
    assert anonymous.get(_workspaces_url(tenancy.org_a)).status_code == 403
    assert anonymous.get(reverse("api_health")).status_code == 204
