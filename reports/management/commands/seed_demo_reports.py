"""Seed the demo's reports: the agency (Agence LaRue) brands its reports and the Pâtisserie Lemoine
client workspace with the client's own logo and colours, saves a French weekly template and an
English monthly one, schedules the weekly report every Monday at 8:00 (Paris) to the owner, the
client and the client's manager by email (console backend in the demo), and builds one report in
French and one in English through the real build service (charts through kaleido, or matplotlib).

Runs after ``seed_demo_networks`` (the reports read the synced facts). Safe to run again: what
exists is left alone.
"""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Membership, Organization, Role, User, Workspace
from analytics.queries.params import period_from_request
from analytics.views.base import local_today
from reports.models import Report, ReportSchedule, ReportTemplate
from reports.sections import default_section_keys
from reports.selectors import branding_rows
from reports.services.branding import branding_save
from reports.services.build import report_build, report_create
from reports.services.schedules import schedule_save

AGENCY = "Agence LaRue"
CLIENT = "Pâtisserie Lemoine"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def logo(text: str, background: str, foreground: str = "#ffffff", size: tuple[int, int] = (360, 120)) -> bytes:
    """A simple wordmark drawn here (the demo ships no image file)."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44) if FONT.exists() else ImageFont.load_default()
    box = draw.textbbox((0, 0), text, font=font)
    position = ((size[0] - (box[2] - box[0])) / 2, (size[1] - (box[3] - box[1])) / 2 - box[1])
    draw.text(position, text, fill=foreground, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Command(BaseCommand):
    help = "Brand the agency's reports, save templates, schedule a weekly report and build two samples."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-build", action="store_true", help="do not build the two sample reports")

    def handle(self, *args, **options) -> None:
        with scopes_disabled():
            organization = Organization.objects.filter(name=AGENCY).first()
            if organization is None:
                raise CommandError("Run seed_demo first (the agency is missing).")
        with scope(organization=organization):
            workspace = Workspace.objects.get(organization=organization, name=CLIENT)
            owner = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user")[0].user
            self._branding(organization, workspace, owner)
            weekly = self._template(organization, workspace, owner, "Rapport hebdomadaire", period="7d", language="fr")
            self._template(
                organization, workspace, owner, "Monthly report (English)", period="last_month", language="en"
            )
            self._schedule(organization, workspace, owner, weekly)
            if not options["no_build"]:
                self._samples(organization, workspace, owner)
        self.stdout.write(self.style.SUCCESS(f"Reports ready for {CLIENT} ({AGENCY})."))

    def _branding(self, organization, workspace, owner) -> None:
        org_row, ws_row = branding_rows(organization, workspace)
        if org_row is None:
            branding_save(
                organization=organization,
                workspace=None,
                actor=owner,
                name=AGENCY,
                primary_color="#312e81",
                accent_color="#db2777",
                logo=logo("LaRue", "#312e81"),
            )
        if ws_row is None:
            branding_save(
                organization=organization,
                workspace=workspace,
                actor=owner,
                name=CLIENT,
                primary_color="#7c2d12",
                accent_color="#d97706",
                logo=logo("Lemoine", "#7c2d12", "#fde68a"),
            )

    def _template(self, organization, workspace, owner, name: str, *, period: str, language: str) -> ReportTemplate:
        template, _created = ReportTemplate.objects.get_or_create(
            organization=organization,
            workspace=workspace,
            name=name,
            defaults={
                "sections": default_section_keys(),
                "period": period,
                "comparison": ReportTemplate.Comparison.PREVIOUS,
                "language": language,
                "created_by": owner,
            },
        )
        return template

    def _schedule(self, organization, workspace, owner, template) -> None:
        if ReportSchedule.objects.filter(organization=organization, workspace=workspace).exists():
            return
        with scopes_disabled():
            client = User.objects.filter(email="client@patisserie.demo").first()
        schedule_save(
            organization=organization,
            workspace=workspace,
            actor=owner,
            template=template,
            frequency=ReportSchedule.Frequency.WEEKLY,
            weekday=0,
            day_of_month=1,
            hour=8,
            time_zone="Europe/Paris",
            members=[u for u in (owner, client) if u is not None],
            external_emails=["direction@patisserie-lemoine.example"],
            now=timezone.now(),
        )

    def _samples(self, organization, workspace, owner) -> None:
        if Report.objects.filter(organization=organization, workspace=workspace).exists():
            return
        period = period_from_request("28d", today=local_today(organization))
        for language in ("fr", "en"):
            report = report_create(
                organization=organization,
                workspace=workspace,
                actor=owner,
                period=period,
                sections=default_section_keys(),
                language=language,
                queue=False,
            )
            report_build(report_id=report.pk)
            report.refresh_from_db()
            self.stdout.write(f"  {report.title} ({language}): {report.get_status_display()}, {report.pdf_pages} pages")
