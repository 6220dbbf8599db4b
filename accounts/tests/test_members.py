"""Members: roles, a client's workspaces, removal, the last owner, transfer of ownership."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from accounts.models import Membership, Role
from accounts.services import organizations as org_services
from accounts.tests.factories import add_member, make_user


def _member(org, user) -> Membership | None:
    with scope(organization=org):
        return Membership.objects.filter(user=user).first()


def _grants(org, user) -> list[int]:
    with scope(organization=org):
        return sorted(Membership.objects.get(user=user).grants.values_list("workspace_id", flat=True))


def _edit_url(org, membership) -> str:
    return reverse("member_edit", kwargs={"org": org.slug, "membership_id": membership.pk})


def _remove_url(org, membership) -> str:
    return reverse("member_remove", kwargs={"org": org.slug, "membership_id": membership.pk})


def test_it_changes_a_role(tenancy, login):
    bob = _member(tenancy.org_a, tenancy.bob)
    response = login(tenancy.alice).post(_edit_url(tenancy.org_a, bob), {"role": "manager"})
    assert response.status_code == 302
    assert _member(tenancy.org_a, tenancy.bob).role == Role.MANAGER


def test_it_changes_a_clients_workspaces(tenancy, login):
    dana = _member(tenancy.org_a, tenancy.dana)
    alice = login(tenancy.alice)
    response = alice.post(_edit_url(tenancy.org_a, dana), {"role": "client", "workspaces": [tenancy.a2.pk]})
    assert response.status_code == 302
    assert _grants(tenancy.org_a, tenancy.dana) == [tenancy.a2.pk]
    # A client keeps at least one workspace.
    response = alice.post(_edit_url(tenancy.org_a, dana), {"role": "client"})
    assert response.status_code == 200
    assert "workspaces" in response.context["form"].errors
    assert _grants(tenancy.org_a, tenancy.dana) == [tenancy.a2.pk]
    # Another organisation's workspace is not a choice.
    response = alice.post(_edit_url(tenancy.org_a, dana), {"role": "client", "workspaces": [tenancy.b1.pk]})
    assert response.status_code == 200
    assert _grants(tenancy.org_a, tenancy.dana) == [tenancy.a2.pk]


def test_it_drops_the_grants_of_a_client_promoted(tenancy, login):
    dana = _member(tenancy.org_a, tenancy.dana)
    login(tenancy.alice).post(_edit_url(tenancy.org_a, dana), {"role": "analyst", "workspaces": [tenancy.a1.pk]})
    assert _member(tenancy.org_a, tenancy.dana).role == Role.ANALYST
    assert _grants(tenancy.org_a, tenancy.dana) == []


def test_it_removes_a_member(tenancy, login):
    bob = _member(tenancy.org_a, tenancy.bob)
    response = login(tenancy.alice).post(_remove_url(tenancy.org_a, bob))
    assert response.status_code == 302
    assert _member(tenancy.org_a, tenancy.bob) is None
    assert login(tenancy.bob).get(reverse("organization_home", kwargs={"org": "org-a"})).status_code == 404


def test_it_keeps_the_last_owner(tenancy, login):
    alice = _member(tenancy.org_a, tenancy.alice)
    response = login(tenancy.alice).post(_remove_url(tenancy.org_a, alice), follow=True)
    assert b"last owner cannot leave" in response.content
    assert _member(tenancy.org_a, tenancy.alice).role == Role.OWNER
    with pytest.raises(ValidationError):
        org_services.membership_remove(membership=alice, actor=tenancy.alice)


def test_it_does_not_let_an_admin_remove_or_demote_the_owner(tenancy, login):
    erin = make_user("erin@example.com")
    add_member(tenancy.org_a, erin, Role.ADMIN)
    alice = _member(tenancy.org_a, tenancy.alice)
    client = login(erin)
    response = client.post(_remove_url(tenancy.org_a, alice), follow=True)
    assert b"Only an owner can remove an owner" in response.content
    client.post(_edit_url(tenancy.org_a, alice), {"role": "analyst"})
    assert _member(tenancy.org_a, tenancy.alice).role == Role.OWNER
    # Nor take ownership for themselves.
    bob = _member(tenancy.org_a, tenancy.bob)
    assert client.post(_edit_url(tenancy.org_a, bob), {"role": "owner"}).status_code == 200
    assert _member(tenancy.org_a, tenancy.bob).role == Role.ANALYST
    assert client.get(reverse("ownership_transfer", kwargs={"org": "org-a"})).status_code == 403


def test_it_transfers_ownership(tenancy, login):
    bob = _member(tenancy.org_a, tenancy.bob)
    url = reverse("ownership_transfer", kwargs={"org": tenancy.org_a.slug})
    client = login(tenancy.alice)
    # A client cannot become owner: not even offered.
    dana = _member(tenancy.org_a, tenancy.dana)
    assert client.post(url, {"membership": dana.pk}).status_code == 200
    assert _member(tenancy.org_a, tenancy.dana).role == Role.CLIENT
    response = client.post(url, {"membership": bob.pk})
    assert response.status_code == 302
    assert _member(tenancy.org_a, tenancy.alice).role == Role.ADMIN
    assert _member(tenancy.org_a, tenancy.bob).role == Role.OWNER
    # The former owner is now an admin: the owner's pages are closed to them.
    assert client.get(url).status_code == 403
