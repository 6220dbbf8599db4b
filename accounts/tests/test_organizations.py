"""Sign-up, organisation creation, and deletion of everything an organisation owns."""

from django.apps import apps
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Membership, Organization, Role, User, Workspace
from accounts.tests.factories import add_member, make_audit_event, make_invitation, make_notification, make_user

STRONG_PASSWORD = "violet-kangaroo-1987"


def _tenant_models():
    return [m for m in apps.get_models() if any(f.name == "organization" for f in m._meta.get_fields())]


def _rows_of(organization: Organization) -> dict[str, int]:
    with scopes_disabled():
        return {m._meta.label: m.objects.filter(organization_id=organization.pk).count() for m in _tenant_models()}


def test_it_signs_up_then_creates_a_single_organisation_with_its_workspace(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    weak = client.post(reverse("account_signup"), {"email": "cm@ville.example", "password1": "123", "password2": "123"})
    assert weak.status_code == 200
    assert not User.objects.exists()
    response = client.post(
        reverse("account_signup"),
        {"email": "cm@ville.example", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("organization_create")
    response = client.post(
        reverse("organization_create"),
        {"name": "Ville de Boulogne", "kind": "single", "time_zone": "Europe/Paris", "language": "fr"},
    )
    organization = Organization.objects.get()
    assert response["Location"] == reverse("organization_home", kwargs={"org": organization.slug})
    assert organization.slug == "ville-de-boulogne"
    with scope(organization=organization):
        assert list(Workspace.objects.values_list("name", flat=True)) == ["Ville de Boulogne"]
        membership = Membership.objects.get()
        assert (membership.user.email, membership.role) == ("cm@ville.example", Role.OWNER)
        assert AuditEvent.objects.filter(action=AuditEvent.Action.ORGANIZATION_CREATED).count() == 1
    # Home now leads there.
    assert client.get(reverse("home"))["Location"] == reverse("organization_home", kwargs={"org": organization.slug})


def test_it_creates_an_agency_without_workspace_and_a_unique_address(tenancy, login):
    client = login(tenancy.alice)
    data = {"name": "Org A", "kind": "agency", "time_zone": "Europe/Paris", "language": "en"}
    response = client.post(reverse("organization_create"), data)
    organization = Organization.objects.exclude(pk=tenancy.org_a.pk).get(name="Org A")
    assert organization.slug == "org-a-2"
    assert response["Location"] == reverse("organization_home", kwargs={"org": "org-a-2"})
    with scope(organization=organization):
        assert not Workspace.objects.exists()


def _fill(tenancy) -> None:
    """At least one row in every tenant table of accounts, in both organisations."""
    for org, owner, workspace, email in (
        (tenancy.org_a, tenancy.alice, tenancy.a1, "x-a@example.com"),
        (tenancy.org_b, tenancy.charlie, tenancy.b1, "x-b@example.com"),
    ):
        make_invitation(org, email, role=Role.CLIENT, invited_by=owner, workspaces=(workspace,))
        make_notification(org, owner)
        make_audit_event(org, AuditEvent.Action.LOGIN, actor=owner)
    # WorkspaceGrant of B: a client there too.
    add_member(tenancy.org_b, make_user("client-b@example.com"), Role.CLIENT, workspaces=[tenancy.b1])


def test_it_deletes_every_row_of_the_organisation_and_nothing_else(tenancy, login):
    _fill(tenancy)
    tenancy.bob.last_organization = tenancy.org_a
    tenancy.bob.save()
    rows_a, rows_b = _rows_of(tenancy.org_a), _rows_of(tenancy.org_b)
    accounts_tables = {label for label in rows_a if label.startswith("accounts.")}
    assert all(rows_a[label] for label in accounts_tables), rows_a
    url = reverse("organization_delete", kwargs={"org": tenancy.org_a.slug})
    client = login(tenancy.alice)

    wrong = client.post(url, {"confirm": "org a"})
    assert wrong.status_code == 200
    assert Organization.objects.filter(pk=tenancy.org_a.pk).exists()

    response = client.post(url, {"confirm": "Org A"})
    assert response["Location"] == reverse("home")
    assert not Organization.objects.filter(pk=tenancy.org_a.pk).exists()
    assert set(_rows_of(tenancy.org_a).values()) == {0}
    assert _rows_of(tenancy.org_b) == rows_b
    # People stay (they may belong elsewhere); they just lose this organisation.
    tenancy.bob.refresh_from_db()
    assert tenancy.bob.last_organization is None
    assert login(tenancy.bob).get(reverse("home"))["Location"] == reverse("organization_create")
