"""The demo's listening: the city's watches on its hashtags, collected through the real code path
(simulator → providers → listening services), with the "to welcome" queue for new residents.

Runs after ``seed_demo_networks`` (the city's X and Instagram accounts must be connected). Safe to
run again: watches are updated in place and hits are deduplicated.
"""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from accounts.models import Organization, Role, Workspace
from listening.models import Watch, WatchMatch, WelcomeItem
from listening.services.watches import WatchInput, WatchInvalid, watch_collect, watch_save
from networks.management.demo_simulator import demo_simulator

CITY = "Ville de Boulogne-Billancourt"
WELCOME_FR = (
    "Bienvenue à Boulogne-Billancourt {author} ! 🏡 Démarches, écoles, sport, culture : le guide des nouveaux "
    "habitants est sur boulognebillancourt.com"
)
WELCOME_EN = (
    "Welcome to Boulogne-Billancourt {author}! 🏡 Everything newcomers need (schools, sport, culture) is on "
    "boulognebillancourt.com"
)
WATCHES = [
    WatchInput(name="#Boulogne", rule="#Boulogne", networks=["x", "instagram"]),
    WatchInput(name="#BoulogneBillancourt", rule="#BoulogneBillancourt", networks=["x", "instagram"]),
    WatchInput(name="#Boulbi", rule="#Boulbi", networks=["x", "instagram"]),
    WatchInput(name="#InstaBoulogne", rule="#InstaBoulogne", networks=["x", "instagram"], alerts=Watch.Alerts.DAILY),
    WatchInput(
        name="Nouveaux habitants",
        rule='#Déménagement AND (Boulogne OR "Boulogne-Billancourt" OR Boulbi) NOT Lyon',
        networks=["x", "instagram"],
        alerts=Watch.Alerts.IMMEDIATE,
        welcome=True,
        reply_templates={"fr": WELCOME_FR, "en": WELCOME_EN},
    ),
]


class Command(BaseCommand):
    help = "Create the city's listening watches and collect their first posts from the simulator."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start-simulator", action="store_true", help="start the simulator if it is not up")

    def handle(self, *args, **options) -> None:
        with demo_simulator(start=options["start_simulator"], needed_for="the demo's posts"):
            self._seed()

    def _seed(self) -> None:
        with scopes_disabled():
            organization = Organization.objects.filter(name=CITY).first()
        if organization is None:
            raise CommandError(f"Run seed_demo first: no organisation named {CITY!r}.")
        with scope(organization=organization):
            workspace = Workspace.objects.filter(organization=organization).order_by("pk").first()
            owner = organization.memberships.filter(role=Role.OWNER).select_related("user").first()
            for data in WATCHES:
                watch = Watch.objects.filter(organization=organization, workspace=workspace, name=data.name).first()
                try:
                    watch = watch_save(workspace=workspace, data=data, actor=owner.user if owner else None, watch=watch)
                except WatchInvalid as error:
                    raise CommandError(f"{data.name}: {error.message}") from None
                collected = watch_collect(organization_id=organization.pk, watch_id=watch.pk)
                errors = f" ({'; '.join(collected.errors)})" if collected and collected.errors else ""
                matches = WatchMatch.objects.filter(organization=organization, watch=watch).count()
                self.stdout.write(f"Listening: {data.name}: {matches} posts{errors}")
            queued = WelcomeItem.objects.filter(organization=organization, status=WelcomeItem.Status.PENDING).count()
            self.stdout.write(f"Listening: {queued} posts to welcome")
