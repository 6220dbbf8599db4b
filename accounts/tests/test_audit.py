"""The audit log: one event per security action, visible to the organisation's owners and admins."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Membership, Role
from accounts.services import invitations as invitation_services
from accounts.tests.factories import PASSWORD, add_member, make_audit_event, make_invitation, make_user

Action = AuditEvent.Action


def _events(org) -> list[tuple[str, str]]:
    with scope(organization=org):
        return [(e.action, e.target) for e in AuditEvent.objects.order_by("id")]


def _new_events(org, before: int) -> list[tuple[str, str]]:
    return _events(org)[before:]


def test_it_records_a_login_through_allauth(tenancy):
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert _events(tenancy.org_a) == [(Action.LOGIN, "alice@example.com")]
    with scope(organization=tenancy.org_a):
        assert AuditEvent.objects.get().ip_address == "203.0.113.9"
    assert _events(tenancy.org_b) == []


def test_it_records_a_failed_login_in_the_persons_organisations(tenancy):
    response = Client().post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert _events(tenancy.org_a) == [(Action.LOGIN_FAILED, "alice@example.com")]


def test_it_records_a_failed_login_for_an_unknown_email_without_organisation(tenancy):
    Client().post(reverse("account_login"), {"login": "nobody@example.com", "password": "wrong"})
    with scopes_disabled():
        event = AuditEvent.objects.get()
    assert (event.organization_id, event.action, event.target) == (None, Action.LOGIN_FAILED, "nobody@example.com")


def _post(client, name, data=None, **kwargs):
    return client.post(reverse(name, kwargs=kwargs), data or {})


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("invite", (Action.INVITATION_SENT, "frank@example.com")),
        ("revoke", (Action.INVITATION_REVOKED, "frank@example.com")),
        ("accept", (Action.INVITATION_ACCEPTED, "frank@example.com")),
        ("role", (Action.ROLE_CHANGED, "bob@example.com")),
        ("grants", (Action.GRANTS_CHANGED, "dana@example.com")),
        ("remove", (Action.MEMBER_REMOVED, "bob@example.com")),
        ("settings", (Action.SETTINGS_CHANGED, "Org A")),
        ("workspace_create", (Action.WORKSPACE_CREATED, "A3")),
        ("workspace_rename", (Action.WORKSPACE_RENAMED, "A1 bis")),
        ("workspace_delete", (Action.WORKSPACE_DELETED, "A1")),
        ("transfer", (Action.OWNERSHIP_TRANSFERRED, "bob@example.com")),
    ],
)
def test_it_records_one_event_per_action(action, expected, tenancy, login):
    org, alice = tenancy.org_a, login(tenancy.alice)
    slug = org.slug
    invitation = make_invitation(org, "frank@example.com", invited_by=tenancy.alice)
    with scope(organization=org):
        bob = Membership.objects.get(user=tenancy.bob)
        dana = Membership.objects.get(user=tenancy.dana)
    before = len(_events(org))
    if action == "invite":
        invitation_services.invitation_revoke(invitation=invitation, actor=tenancy.alice)
        before += 1
        _post(alice, "invitation_create", {"email": "frank@example.com", "role": "analyst"}, org=slug)
    elif action == "revoke":
        _post(alice, "invitation_revoke", org=slug, invitation_id=invitation.pk)
    elif action == "accept":
        frank = make_user("frank@example.com")
        login(frank).post(
            reverse("invitation_accept", args=[invitation_services.invitation_link(invitation).split("/")[-2]])
        )
    elif action == "role":
        _post(alice, "member_edit", {"role": "manager"}, org=slug, membership_id=bob.pk)
    elif action == "grants":
        _post(alice, "member_edit", {"role": "client", "workspaces": [tenancy.a2.pk]}, org=slug, membership_id=dana.pk)
    elif action == "remove":
        _post(alice, "member_remove", org=slug, membership_id=bob.pk)
    elif action == "settings":
        data = {"name": "Org A", "time_zone": "Europe/London", "language": "en", "require_mfa": ""}
        assert _post(alice, "organization_settings", data, org=slug).status_code == 302
    elif action == "workspace_create":
        _post(alice, "workspace_create", {"name": "A3"}, org=slug)
    elif action == "workspace_rename":
        _post(alice, "workspace_edit", {"name": "A1 bis"}, org=slug, workspace_id=tenancy.a1.pk)
    elif action == "workspace_delete":
        _post(alice, "workspace_delete", {"confirm": "A1"}, org=slug, workspace_id=tenancy.a1.pk)
    elif action == "transfer":
        _post(alice, "ownership_transfer", {"membership": bob.pk}, org=slug)
    assert _new_events(org, before) == [expected]
    assert _events(tenancy.org_b) == []


def test_it_saves_settings_and_records_what_changed(tenancy, login):
    data = {"name": "Org A renamed", "time_zone": "America/New_York", "language": "fr", "require_mfa": ""}
    response = login(tenancy.alice).post(reverse("organization_settings", kwargs={"org": "org-a"}), data)
    assert response.status_code == 302
    tenancy.org_a.refresh_from_db()
    assert (tenancy.org_a.name, tenancy.org_a.time_zone, tenancy.org_a.language) == (
        "Org A renamed",
        "America/New_York",
        "fr",
    )
    with scope(organization=tenancy.org_a):
        event = AuditEvent.objects.get(action=Action.SETTINGS_CHANGED)
    assert event.details == {
        "name": ["Org A", "Org A renamed"],
        "time_zone": ["Europe/Paris", "America/New_York"],
        "language": ["en", "fr"],
    }
    # Saving again without a change records nothing.
    login(tenancy.alice).post(reverse("organization_settings", kwargs={"org": "org-a"}), data)
    with scope(organization=tenancy.org_a):
        assert AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED).count() == 1


def test_it_shows_the_audit_log_to_owners_and_admins_only(tenancy, login):
    make_audit_event(tenancy.org_a, Action.ROLE_CHANGED, target="visible-in-a@example.com")
    make_audit_event(tenancy.org_b, Action.ROLE_CHANGED, target="secret-of-b@example.com")
    make_audit_event(None, Action.LOGIN_FAILED, target="unknown@example.com")
    erin = make_user("erin@example.com")
    add_member(tenancy.org_a, erin, Role.ADMIN)
    url = reverse("audit_log", kwargs={"org": tenancy.org_a.slug})
    for user in (tenancy.alice, erin):
        page = login(user).get(url)
        assert page.status_code == 200
        assert b"visible-in-a@example.com" in page.content
        assert b"secret-of-b@example.com" not in page.content
        assert b"unknown@example.com" not in page.content
    for user in (tenancy.bob, tenancy.dana):
        assert login(user).get(url).status_code == 403
    filtered = login(tenancy.alice).get(url, {"action": Action.LOGIN})
    assert b"visible-in-a@example.com" not in filtered.content
