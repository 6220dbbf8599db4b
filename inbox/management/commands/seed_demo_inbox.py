"""The demo's inbox: the city's departments, reactivity target and saved replies, then its
comments, mentions and private messages brought in through the real sync path (simulator →
providers → sync engine's conversations step → inbox store), and a first triage routed by the
same service the inbox page uses.

Runs after ``seed_demo_networks`` (the city's accounts must be connected). Safe to run again:
departments and saved replies are created once, synced messages are upserted.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from accounts.models import Organization, Role, Workspace
from inbox.models import SavedReply, Thread, ThreadStatus
from inbox.services import threads as services
from networks.management.demo_simulator import demo_simulator
from networks.models import SocialAccount, SyncKind, SyncRun
from networks.sync.engine import account_sync

CITY = "Ville de Boulogne-Billancourt"
DEPARTMENTS = ("Enfance", "Sport", "Famille", "Social", "Voirie")
# A first triage for the demo: words of a message → the department that answers it.
ROUTING = {
    "Enfance": ("école", "crèche", "cantine", "enfant", "périscolaire", "centre de loisirs", "school"),
    "Sport": ("piscine", "sport", "stade", "gymnase", "match", "pool", "marathon"),
    "Famille": ("famille", "naissance", "mariage", "family", "parents"),
    "Social": ("ccas", "aide", "logement", "senior", "solidarité", "help"),
    "Voirie": ("travaux", "voirie", "trottoir", "stationnement", "parking", "route", "nid-de-poule", "roads"),
}
SAVED_REPLIES = (
    ("fr", "Transmis au service", "Bonjour, merci pour votre message : nous le transmettons au service concerné."),
    ("fr", "Horaires", "Bonjour, les horaires sont sur boulognebillancourt.com, rubrique Équipements."),
    ("en", "Passed on", "Hello, thank you for your message: we have passed it on to the team in charge."),
)


class Command(BaseCommand):
    help = "Set up the city's inbox (departments, target, saved replies) and sync its conversations."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start-simulator", action="store_true", help="start the simulator if it is not up")

    def handle(self, *args, **options) -> None:
        with demo_simulator(start=options["start_simulator"], needed_for="the demo's conversations") as sim:
            # The simulator's clock on the real time, as seed_demo_networks leaves it: the sync
            # reads "the last days" on the networks' clock.
            sim.set_now(dt.datetime.now(dt.UTC).replace(microsecond=0))
            self._seed()

    def _seed(self) -> None:
        with scopes_disabled():
            organization = Organization.objects.filter(name=CITY).first()
        if organization is None:
            raise CommandError(f"Run seed_demo first: no organisation named {CITY!r}.")
        with scope(organization=organization):
            workspace = Workspace.objects.filter(organization=organization).order_by("pk").first()
            owner = organization.memberships.filter(role=Role.OWNER).select_related("user").first().user
            departments = {name: services.department_create(workspace=workspace, name=name) for name in DEPARTMENTS}
            if not services.settings_for(workspace).pk:
                services.inbox_settings_update(
                    workspace=workspace, actor=owner, response_target_minutes=120, business_hours_only=True
                )
            for language, title, text in SAVED_REPLIES:
                if not SavedReply.objects.filter(organization=organization, workspace=workspace, title=title).exists():
                    services.saved_reply_create(workspace=workspace, language=language, title=title, text=text)
            accounts = list(
                SocialAccount.objects.filter(
                    organization=organization, workspace=workspace, status=SocialAccount.Status.ACTIVE
                )
            )
        for account in accounts:
            runs = account_sync(
                organization_id=organization.pk,
                account_id=account.pk,
                trigger=SyncRun.Trigger.MANUAL,
                kinds=[SyncKind.CONVERSATIONS],
            )
            for run in runs:
                self.stdout.write(f"Inbox: {account} {run.status} {run.counts} {run.error}".rstrip())
        with scope(organization=organization):
            routed = 0
            waiting = Thread.objects.filter(
                organization=organization, workspace=workspace, department__isnull=True, status=ThreadStatus.OPEN
            )
            for thread in waiting:
                text = thread.subject.lower()
                name = next((n for n, words in ROUTING.items() if any(w in text for w in words)), None)
                if name:
                    services.threads_assign(threads=[thread], department=departments[name], set_assignee=False)
                    routed += 1
            total = Thread.objects.filter(organization=organization, workspace=workspace).count()
            self.stdout.write(f"Inbox: {total} conversations, {routed} routed to a department")
