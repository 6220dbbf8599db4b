"""Objects of the reports app for cross-app and tenancy tests."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scope

from reports.models import DataExport, Report, ReportSchedule, ReportShare, ReportTemplate


def make_report_objects(workspace) -> dict[str, int]:
    """A done report with its PDF, a template, a schedule, a data export with its file and a
    share link in ``workspace``: their ids by URL argument name."""
    organization = workspace.organization
    with scope(organization=organization):
        report = Report.objects.create(
            organization=organization,
            workspace=workspace,
            title=f"Report {workspace.name}",
            period_start=dt.date(2026, 11, 1),
            period_end=dt.date(2026, 11, 10),
            status=Report.Status.DONE,
            html="<article class='report-doc'></article>",
            pdf_pages=1,
        )
        report.pdf.save(f"m{report.pk}.pdf", ContentFile(b"%PDF-1.7"), save=True)
        template = ReportTemplate.objects.create(
            organization=organization, workspace=workspace, name=f"T {workspace.name}", sections=["summary"]
        )
        schedule = ReportSchedule.objects.create(
            organization=organization,
            workspace=workspace,
            template=template,
            external_emails=["x@example.org"],
            next_run_at=timezone.now() + dt.timedelta(days=1),
        )
        export = DataExport.objects.create(
            organization=organization,
            workspace=workspace,
            status=DataExport.Status.DONE,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
        export.file.save(f"m{export.pk}.zip", ContentFile(b"PK"), save=True)
        share = ReportShare.objects.create(
            organization=organization, report=report, expires_at=timezone.now() + dt.timedelta(days=1)
        )
    return {
        "workspace_id": workspace.pk,
        "report_id": report.pk,
        "template_id": template.pk,
        "schedule_id": schedule.pk,
        "export_id": export.pk,
        "share_id": share.pk,
    }
