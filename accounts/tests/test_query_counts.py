"""Lists and dashboards assert their query count, and it does not grow with the rows shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Role
from accounts.tests.factories import add_member, make_audit_event, make_invitation, make_user, make_workspace


def _grow(tenancy, rows: int) -> None:
    """``rows`` workspaces, members (half of them clients with a grant), invitations and events in A."""
    for i in range(rows):
        workspace = make_workspace(tenancy.org_a, f"W{i:02d}")
        user = make_user(f"member{i:02d}@example.com")
        if i % 2:
            add_member(tenancy.org_a, user, Role.CLIENT, workspaces=[workspace, tenancy.a1])
        else:
            add_member(tenancy.org_a, user, Role.MANAGER)
        make_invitation(tenancy.org_a, f"invitee{i:02d}@example.com", invited_by=user)
        make_audit_event(tenancy.org_a, AuditEvent.Action.ROLE_CHANGED, actor=user, target=user.email)


# Page → its queries: session, user, membership (the person's memberships, which the header's
# switcher shows too), the page's own reads, then the header's unread count. Members: members,
# their grants and granted workspaces (prefetched), the invitation form's workspaces,
# invitations. Audit log: count and one page of events with actors.
PAGES = {"organization_home": 5, "member_list": 9, "audit_log": 6}


def _count(client, name: str, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, kwargs={"org": org.slug}))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_it_keeps_the_query_count_flat(name, tenancy, login):
    alice = login(tenancy.alice)
    _count(alice, name, tenancy.org_a)  # warm up what is done once per session (last organisation)
    _grow(tenancy, 3)
    few = _count(alice, name, tenancy.org_a)
    for i in range(27):
        workspace = make_workspace(tenancy.org_a, f"X{i:02d}")
        user = make_user(f"extra{i:02d}@example.com")
        add_member(tenancy.org_a, user, Role.CLIENT, workspaces=[workspace])
        make_invitation(tenancy.org_a, f"extra-invitee{i:02d}@example.com", invited_by=user)
        make_audit_event(tenancy.org_a, AuditEvent.Action.LOGIN, actor=user, target=user.email)
    many = _count(alice, name, tenancy.org_a)
    assert few == many, f"{name}: {few} queries with 3 rows, {many} with 30"
    assert many <= PAGES[name]


@pytest.mark.parametrize("name", PAGES)
def test_it_stays_within_its_query_budget(name, tenancy, login, django_assert_max_num_queries):
    alice = login(tenancy.alice)
    alice.get(reverse(name, kwargs={"org": tenancy.org_a.slug}))
    _grow(tenancy, 3)
    with django_assert_max_num_queries(PAGES[name]):
        assert alice.get(reverse(name, kwargs={"org": tenancy.org_a.slug})).status_code == 200
