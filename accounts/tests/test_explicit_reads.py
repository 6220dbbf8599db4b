"""The accounts reads of every request written as SQL (accounts/selectors.py): one statement each,
the ORM's rows, the same 404s, and the related objects cached."""

import contextlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Organization, Role, User, Workspace
from accounts.selectors import membership_for, memberships_of, visible_workspaces, workspace_for_member
from accounts.tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db

TOO_BIG = 2**70  # beyond any integer column: the ORM found no row, SQLite's driver would raise


def assert_same_row(ours, theirs):
    fields = type(theirs)._meta.concrete_fields
    assert [getattr(ours, f.attname) for f in fields] == [getattr(theirs, f.attname) for f in fields]
    assert not ours._state.adding and ours._state.db == theirs._state.db


def _membership(user, organization) -> Membership:
    return next(m for m in memberships_of(user) if m.organization_id == organization.pk)


def test_it_reads_a_workspace_as_the_orm_does_in_one_statement(tenancy, django_assert_num_queries):
    alice = _membership(tenancy.alice, tenancy.org_a)
    with scope(organization=tenancy.org_a), django_assert_num_queries(1):
        workspace = workspace_for_member(alice, str(tenancy.a2.pk))
    with scope(organization=tenancy.org_a):
        assert_same_row(workspace, Workspace.objects.get(pk=tenancy.a2.pk))
    assert timezone.is_aware(workspace.created_at)
    with django_assert_num_queries(0):
        assert workspace.organization is alice.organization


def test_it_hides_workspaces_of_other_tenants_missing_ones_and_odd_ids(tenancy):
    alice = _membership(tenancy.alice, tenancy.org_a)
    for workspace_id in (tenancy.b1.pk, tenancy.b1.pk + 1000, "abc", None, TOO_BIG, -TOO_BIG):
        with pytest.raises(Http404):
            workspace_for_member(alice, workspace_id)


def test_it_hides_the_workspaces_a_client_was_not_granted(tenancy, django_assert_num_queries):
    # Another client's grant of A2 opens nothing to dana.
    add_member(tenancy.org_a, make_user("erin@example.com"), Role.CLIENT, workspaces=[tenancy.a2])
    dana = _membership(tenancy.dana, tenancy.org_a)
    with django_assert_num_queries(1):
        assert workspace_for_member(dana, tenancy.a1.pk) == tenancy.a1
    with pytest.raises(Http404):
        workspace_for_member(dana, tenancy.a2.pk)
    erin = membership_for(User.objects.get(email="erin@example.com"), "org-a")
    assert workspace_for_member(erin, tenancy.a2.pk) == tenancy.a2
    with pytest.raises(Http404):
        workspace_for_member(erin, tenancy.a1.pk)


def test_it_lets_every_role_see_what_visible_workspaces_lists(tenancy):
    for user in (tenancy.alice, tenancy.bob, tenancy.dana):
        membership = _membership(user, tenancy.org_a)
        with scope(organization=tenancy.org_a):
            visible = set(visible_workspaces(membership))
        readable = set()
        for workspace in (tenancy.a1, tenancy.a2, tenancy.b1):
            with contextlib.suppress(Http404):
                readable.add(workspace_for_member(membership, workspace.pk))
        assert readable == visible, user


def test_it_reads_a_membership_with_its_organisation_and_person(tenancy, django_assert_num_queries):
    with django_assert_num_queries(1):
        membership = membership_for(tenancy.dana, "org-a")
    with scopes_disabled():
        expected = Membership.objects.get(user=tenancy.dana, organization=tenancy.org_a)
    assert_same_row(membership, expected)
    assert_same_row(membership.organization, Organization.objects.get(pk=tenancy.org_a.pk))
    with django_assert_num_queries(0):
        assert membership.organization.slug == "org-a"
        assert membership.user is tenancy.dana


def test_it_answers_404_for_an_organisation_the_person_is_not_in(tenancy):
    for user, slug in ((tenancy.charlie, "org-a"), (tenancy.alice, "org-b"), (tenancy.alice, "nowhere")):
        with pytest.raises(Http404):
            membership_for(user, slug)
    with pytest.raises(Http404):
        membership_for(AnonymousUser(), "org-a")
