"""Saving and deleting report templates, and deleting schedules."""

from django.db import transaction

from accounts.models import AuditEvent, Organization, User, Workspace
from accounts.services.audit import audit_record
from reports.models import ReportSchedule, ReportTemplate
from reports.services.build import clean_sections

TEMPLATE_FIELDS = ("name", "period", "sections", "comparison", "language")


@transaction.atomic
def template_save(
    *,
    organization: Organization,
    workspace: Workspace,
    actor: User,
    data: dict,
    template: ReportTemplate | None = None,
) -> ReportTemplate:
    template = template or ReportTemplate(organization=organization, workspace=workspace, created_by=actor)
    for field in TEMPLATE_FIELDS:
        setattr(template, field, data[field])
    template.sections = clean_sections(template.sections)
    template.save()
    return template


@transaction.atomic
def template_delete(*, template: ReportTemplate, actor: User) -> None:
    """Deletes its schedules too (a schedule sends a template)."""
    audit_record(
        organization=template.organization,
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"report template deleted: {template.name}",
        details={"template": template.pk, "schedules": list(template.schedules.values_list("pk", flat=True))},
    )
    template.delete()


@transaction.atomic
def schedule_delete(*, schedule: ReportSchedule, actor: User) -> None:
    audit_record(
        organization=schedule.organization,
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"report schedule deleted: {schedule.template.name}",
        details={"schedule": schedule.pk},
    )
    schedule.delete()
