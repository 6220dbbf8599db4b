"""Invitations end to end: sent by email, opened, accepted by a new or an existing person."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_scopes import scope, scopes_disabled

from accounts.models import Invitation, Membership, Role
from accounts.services import invitations as invitation_services
from accounts.tests.factories import PASSWORD, add_member, make_invitation, make_user

STRONG_PASSWORD = "violet-kangaroo-1987"


def _invite(client, org, **data):
    return client.post(reverse("invitation_create", kwargs={"org": org.slug}), data)


def _link_in(message) -> str:
    match = re.search(r"https?://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _membership(org, user) -> Membership | None:
    with scope(organization=org):
        return Membership.objects.filter(user=user).prefetch_related("grants").first()


def _anonymous() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_it_emails_the_invitation_in_the_organisations_language(tenancy, login, django_capture_on_commit_callbacks):
    tenancy.org_a.language = "fr"
    tenancy.org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(login(tenancy.alice), tenancy.org_a, email="Erin@Example.com", role="analyst")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erin@example.com"]
    assert _path(_link_in(message)).startswith("/invitations/")
    with scope(organization=tenancy.org_a):
        invitation = Invitation.objects.get(email="erin@example.com")
    # No French catalogue of our own yet: Django's French month names prove the language.
    expires = timezone.localtime(invitation.expires_at, timezone=zoneinfo.ZoneInfo(tenancy.org_a.time_zone))
    with translation.override("fr"):
        french_month = formats.date_format(expires, "F")
    with translation.override("en"):
        english_month = formats.date_format(expires, "F")
    assert french_month in message.body
    assert english_month not in message.body


def test_it_lets_a_new_person_create_an_account_from_the_link(tenancy, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            login(tenancy.alice), tenancy.org_a, email="erin@example.com", role="client", workspaces=[tenancy.a1.pk]
        )
    link = _path(_link_in(mail.outbox[0]))
    erin = _anonymous()
    assert erin.get(link).status_code == 200
    # The password validators apply.
    weak = erin.post(link, {"full_name": "Erin", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert weak.context["form"].errors["password1"]
    differ = erin.post(link, {"full_name": "Erin", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD + "x"})
    assert differ.context["form"].errors["password2"]

    response = erin.post(link, {"full_name": "Erin", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("organization_home", kwargs={"org": tenancy.org_a.slug})
    with scopes_disabled():
        membership = Membership.objects.select_related("user").get(user__email="erin@example.com")
    assert membership.organization_id == tenancy.org_a.pk
    assert membership.role == Role.CLIENT
    with scope(organization=tenancy.org_a):
        assert [g.workspace_id for g in membership.grants.all()] == [tenancy.a1.pk]
    assert membership.user.check_password(STRONG_PASSWORD)
    assert membership.user.language == ""  # follows the organisation's until they choose
    # Logged in, and sees only the granted workspace.
    assert (
        erin.get(reverse("workspace_home", kwargs={"org": "org-a", "workspace_id": tenancy.a1.pk})).status_code == 200
    )
    assert (
        erin.get(reverse("workspace_home", kwargs={"org": "org-a", "workspace_id": tenancy.a2.pk})).status_code == 404
    )


def test_it_accepts_in_one_click_for_the_logged_in_person(tenancy, login):
    frank = make_user("frank@example.com")
    invitation = make_invitation(tenancy.org_a, "Frank@example.com", role=Role.MANAGER, invited_by=tenancy.alice)
    link = invitation_services.invitation_link(invitation)
    client = login(frank)
    page = client.get(_path(link))
    assert page.status_code == 200
    assert b"Accept the invitation" in page.content
    response = client.post(_path(link))
    assert response.status_code == 302
    assert _membership(tenancy.org_a, frank).role == Role.MANAGER


def test_it_sends_an_existing_person_to_log_in_and_back(tenancy):
    frank = make_user("frank@example.com")
    invitation = make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    link = _path(invitation_services.invitation_link(invitation))
    client = _anonymous()
    page = client.get(link)
    assert page.status_code == 200
    assert b"An account already exists" in page.content
    logged_in = client.post(reverse("account_login"), {"login": frank.email, "password": PASSWORD, "next": link})
    assert logged_in.status_code == 302
    assert logged_in["Location"] == link
    client.post(link)
    assert _membership(tenancy.org_a, frank).role == Role.ANALYST


def test_it_tells_the_wrong_person_to_switch_account(tenancy, login):
    invitation = make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    link = _path(invitation_services.invitation_link(invitation))
    charlie = login(tenancy.charlie)
    for response in (charlie.get(link), charlie.post(link)):
        assert response.status_code == 403
        assert b"charlie@example.com" in response.content
        assert b"Log out" in response.content
    assert _membership(tenancy.org_a, tenancy.charlie) is None


@pytest.mark.parametrize("state", ["expired", "revoked", "tampered", "accepted"])
def test_it_refuses_an_invalid_link(state, tenancy):
    invitation = make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    link = _path(invitation_services.invitation_link(invitation))
    with scope(organization=tenancy.org_a):
        if state == "expired":
            invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
        elif state == "revoked":
            invitation.revoked_at = timezone.now()
        elif state == "accepted":
            invitation.accepted_at = timezone.now()
        invitation.save()
    if state == "tampered":
        link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    client = _anonymous()
    for response in (client.get(link), client.post(link, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})):
        assert response.status_code == 404
        assert b"no longer valid" in response.content
    with scopes_disabled():
        assert not Membership.objects.filter(user__email="frank@example.com").exists()


def test_it_refuses_a_garbage_token(db):
    response = _anonymous().get(reverse("invitation_accept", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404


def test_it_resends_with_a_new_expiry(tenancy, login, django_capture_on_commit_callbacks):
    invitation = make_invitation(
        tenancy.org_a, "frank@example.com", invited_by=tenancy.alice, expires_in=dt.timedelta(days=-1)
    )
    assert invitation.status == "expired"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(tenancy.alice).post(
            reverse("invitation_resend", kwargs={"org": tenancy.org_a.slug, "invitation_id": invitation.pk})
        )
    assert response.status_code == 302
    with scope(organization=tenancy.org_a):
        invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    assert invitation.send_count == 2
    assert len(mail.outbox) == 1
    assert _path(_link_in(mail.outbox[0])) == _path(invitation_services.invitation_link(invitation))


def test_it_revokes(tenancy, login):
    invitation = make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    response = login(tenancy.alice).post(
        reverse("invitation_revoke", kwargs={"org": tenancy.org_a.slug, "invitation_id": invitation.pk})
    )
    assert response.status_code == 302
    with scope(organization=tenancy.org_a):
        invitation.refresh_from_db()
    assert invitation.status == "revoked"
    with pytest.raises(ValidationError):
        invitation_services.invitation_resend(invitation=invitation, actor=tenancy.alice)
    with pytest.raises(ValidationError):
        invitation_services.invitation_revoke(invitation=invitation, actor=tenancy.alice)


def test_it_never_creates_two_memberships(tenancy, login):
    frank = make_user("frank@example.com")
    invitation = make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    link = _path(invitation_services.invitation_link(invitation))
    client = login(frank)
    assert client.post(link).status_code == 302
    assert client.post(link).status_code == 404
    with pytest.raises(ValidationError):
        invitation_services.invitation_accept(invitation=invitation, user=frank)
    with scopes_disabled():
        assert Membership.objects.filter(user=frank).count() == 1


def test_it_refuses_to_invite_a_member(tenancy, login):
    response = _invite(login(tenancy.alice), tenancy.org_a, email="BOB@example.com", role="manager")
    assert response.status_code == 400
    assert "already a member" in str(response.context["invite_form"].errors)
    with scope(organization=tenancy.org_a):
        assert not Invitation.objects.exists()


def test_it_refuses_a_second_pending_invitation(tenancy, login):
    make_invitation(tenancy.org_a, "frank@example.com", invited_by=tenancy.alice)
    response = _invite(login(tenancy.alice), tenancy.org_a, email="frank@example.com", role="manager")
    assert response.status_code == 400
    assert "send it again" in str(response.context["invite_form"].errors)


def test_it_does_not_let_an_admin_grant_ownership(tenancy, login):
    erin = make_user("erin@example.com")
    admin = add_member(tenancy.org_a, erin, Role.ADMIN)
    response = _invite(login(erin), tenancy.org_a, email="frank@example.com", role="owner")
    assert response.status_code == 400
    assert "role" in response.context["invite_form"].errors
    with pytest.raises(ValidationError):
        invitation_services.invitation_create(inviter=admin, email="frank@example.com", role=Role.OWNER)
    # An admin may invite another admin.
    assert _invite(login(erin), tenancy.org_a, email="frank@example.com", role="admin").status_code == 302


def test_it_requires_a_workspace_for_a_client(tenancy, login):
    response = _invite(login(tenancy.alice), tenancy.org_a, email="frank@example.com", role="client")
    assert response.status_code == 400
    assert "workspaces" in response.context["invite_form"].errors


def test_it_refuses_a_workspace_of_another_organisation(tenancy, login):
    response = _invite(
        login(tenancy.alice), tenancy.org_a, email="frank@example.com", role="client", workspaces=[tenancy.b1.pk]
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        with scope(organization=tenancy.org_a):
            alice = Membership.objects.get(user=tenancy.alice)
        invitation_services.invitation_create(
            inviter=alice, email="frank@example.com", role=Role.CLIENT, workspaces=[tenancy.b1]
        )
