"""Seed the demo: a French city and an agency with three client workspaces, members in every role.

Safe to run again: everything is looked up before it is created. Prints the logins.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Organization, Role, User, Workspace, WorkspaceGrant
from accounts.services.organizations import organization_create, workspace_create

DEMO_PASSWORD = "overgraph-demo"  # noqa: S105 (printed on purpose: this is the local demo)

CITY = {
    "name": "Ville de Boulogne-Billancourt",
    "kind": Organization.Kind.SINGLE,
    "language": "fr",
    "time_zone": "Europe/Paris",
    "owner": ("cm@ville.demo", "Virginie Lominet"),
    "members": [
        ("elu@ville.demo", "Cabinet du maire", Role.ANALYST),
        ("sport@ville.demo", "Service des sports", Role.MANAGER),
    ],
    "workspaces": [],
}
AGENCY = {
    "name": "Agence LaRue",
    "kind": Organization.Kind.AGENCY,
    "language": "fr",
    "time_zone": "Europe/Paris",
    "owner": ("owner@agence.demo", "Noémie Martinez"),
    "members": [
        ("admin@agence.demo", "Camille Admin", Role.ADMIN),
        ("manager@agence.demo", "Hugo Manager", Role.MANAGER),
        ("analyst@agence.demo", "Inès Analyste", Role.ANALYST),
        ("client@patisserie.demo", "Pâtisserie Lemoine (client)", Role.CLIENT),
    ],
    "workspaces": [
        ("Pâtisserie Lemoine", "Artisan pâtissier, Paris 15e"),
        ("Festival des Lumières", "Festival annuel de la ville, en décembre"),
        ("Northwind Outdoor", "Outdoor gear brand, UK market (English)"),
    ],
    "client_grants": {"client@patisserie.demo": ["Pâtisserie Lemoine"]},
}


def _user(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, language=language)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed_organization(spec: dict) -> Organization:
    owner = _user(*spec["owner"], spec["language"])
    with scopes_disabled():
        organization = Organization.objects.filter(name=spec["name"]).first()
    if organization is None:
        organization = organization_create(
            owner=owner, name=spec["name"], kind=spec["kind"], time_zone=spec["time_zone"], language=spec["language"]
        )
    with scope(organization=organization):
        for name, description in spec["workspaces"]:
            if not Workspace.objects.filter(organization=organization, name=name).exists():
                workspace_create(organization=organization, actor=owner, name=name, description=description)
        for email, full_name, role in spec["members"]:
            user = _user(email, full_name, "en" if "Northwind" in full_name else spec["language"])
            membership, _ = Membership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": role}
            )
            for workspace_name in spec.get("client_grants", {}).get(email, []):
                workspace = Workspace.objects.get(organization=organization, name=workspace_name)
                WorkspaceGrant.objects.get_or_create(
                    organization=organization, membership=membership, workspace=workspace
                )
    return organization


class Command(BaseCommand):
    help = "Create (or complete) the demo organisations and print the logins."

    @transaction.atomic
    def handle(self, *args, **options):
        organizations = [seed_organization(CITY), seed_organization(AGENCY)]
        if not User.objects.filter(email="admin@over-graph.demo").exists():
            User.objects.create_superuser(
                email="admin@over-graph.demo", password=DEMO_PASSWORD, full_name="Platform admin"
            )
        self.stdout.write(self.style.SUCCESS("Demo ready. Password for every login: " + DEMO_PASSWORD))
        for organization in organizations:
            with scope(organization=organization):
                self.stdout.write(f"\n  {organization.name}")
                for m in Membership.objects.filter(organization=organization).select_related("user").order_by("role"):
                    self.stdout.write(f"    {m.get_role_display():<40} {m.user.email}")
        self.stdout.write("\n  Platform admin (Django admin at /admin/)   admin@over-graph.demo\n")
