"""Reads of the reports app, and its access helpers: every object is looked up inside a workspace
the member may see (another tenant's, a client's other workspace's, or a missing object: the same
404)."""

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from accounts.models import Membership, Organization, Role, User, Workspace
from reports.media import data_uri
from reports.models import Branding, DataExport, Report, ReportDelivery, ReportSchedule, ReportShare, ReportTemplate

DEFAULT_PRIMARY = "#1d4ed8"
DEFAULT_ACCENT = "#047857"


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def reports_of(workspace: Workspace) -> QuerySet[Report]:
    return Report.objects.filter(organization_id=workspace.organization_id, workspace=workspace).defer("html")


def report_in(workspace: Workspace, report_id) -> Report:
    report = Report.objects.filter(organization_id=workspace.organization_id, workspace=workspace, pk=_pk(report_id))
    found = report.select_related("workspace").first()
    if found is None:
        raise Http404
    return found


def templates_of(workspace: Workspace) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(organization_id=workspace.organization_id, workspace=workspace)


def template_in(workspace: Workspace, template_id) -> ReportTemplate:
    found = templates_of(workspace).filter(pk=_pk(template_id)).first()
    if found is None:
        raise Http404
    return found


def schedules_of(workspace: Workspace) -> QuerySet[ReportSchedule]:
    return (
        ReportSchedule.objects.filter(organization_id=workspace.organization_id, workspace=workspace)
        .select_related("template")
        .prefetch_related("member_recipients")
    )


def schedule_in(workspace: Workspace, schedule_id) -> ReportSchedule:
    found = schedules_of(workspace).filter(pk=_pk(schedule_id)).first()
    if found is None:
        raise Http404
    return found


def deliveries_of(workspace: Workspace, limit: int = 20) -> list[ReportDelivery]:
    return list(
        ReportDelivery.objects.filter(organization_id=workspace.organization_id, schedule__workspace=workspace)
        .select_related("schedule__template", "report")
        .order_by("-due_at", "-pk")[:limit]
    )


def exports_of(workspace: Workspace) -> QuerySet[DataExport]:
    return DataExport.objects.filter(organization_id=workspace.organization_id, workspace=workspace)


def export_in(workspace: Workspace, export_id) -> DataExport:
    found = exports_of(workspace).filter(pk=_pk(export_id)).first()
    if found is None:
        raise Http404
    return found


def shares_of(report: Report) -> QuerySet[ReportShare]:
    return ReportShare.objects.filter(organization_id=report.organization_id, report=report)


def share_in(report: Report, share_id) -> ReportShare:
    found = shares_of(report).filter(pk=_pk(share_id)).first()
    if found is None:
        raise Http404
    return found


def share_by_key(key: str) -> ReportShare | None:
    """The share behind a (verified) link, any tenant: the signed link is the credential."""
    with scopes_disabled():
        return (
            ReportShare.objects.filter(key=key)
            .select_related("report__workspace", "report__organization", "organization")
            .first()
        )


def recipient_members(organization: Organization, workspace: Workspace) -> QuerySet[Membership]:
    """Members who may receive a workspace's reports: everyone who may read it."""
    return (
        Membership.objects.filter(organization=organization)
        .filter(~Q(role=Role.CLIENT) | Q(grants__workspace=workspace))
        .select_related("user")
        .order_by("user__email")
        .distinct()
    )


def recipient_users(organization: Organization, workspace: Workspace) -> QuerySet[User]:
    return User.objects.filter(pk__in=recipient_members(organization, workspace).values("user_id")).order_by("email")


@dataclass(frozen=True)
class EffectiveBranding:
    name: str
    primary_color: str
    accent_color: str
    logo: str  # data: URI or ""
    organization_row: Branding | None
    workspace_row: Branding | None

    @property
    def stylesheet_colors(self) -> dict[str, str]:
        """The arguments of the ``reports_brand_css`` address."""
        return {"primary": self.primary_color.lstrip("#").lower(), "accent": self.accent_color.lstrip("#").lower()}

    def stylesheet(self) -> str:
        """The CSS rule WeasyPrint reads for a PDF (the web pages link the same rule)."""
        return f".report-doc, .brand-preview {{ --brand: {self.primary_color}; --accent: {self.accent_color}; }}"


def branding_rows(organization: Organization, workspace: Workspace | None) -> tuple[Branding | None, Branding | None]:
    rows = Branding.objects.filter(organization=organization).filter(
        Q(workspace__isnull=True) | Q(workspace=workspace) if workspace else Q(workspace__isnull=True)
    )
    org_row = ws_row = None
    for row in rows:
        if row.workspace_id is None:
            org_row = row
        else:
            ws_row = row
    return org_row, ws_row


def color(value: str, default: str) -> str:
    """A #rrggbb colour (lower case), or the default: the value goes into CSS and an address."""
    return value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value or "") else default


def branding_for(organization: Organization, workspace: Workspace | None) -> EffectiveBranding:
    """The workspace's branding over the organisation's, field by field; the organisation's name
    and the product's colours when neither says."""
    org_row, ws_row = branding_rows(organization, workspace)

    def pick(field: str) -> str:
        for row in (ws_row, org_row):
            if row is not None and getattr(row, field):
                return getattr(row, field)
        return ""

    logo = ""
    for row in (ws_row, org_row):
        if row is not None and row.logo:
            logo = data_uri(bytes(row.logo), row.logo_type)
            break
    return EffectiveBranding(
        name=pick("name") or organization.name,
        primary_color=color(pick("primary_color"), DEFAULT_PRIMARY),
        accent_color=color(pick("accent_color"), DEFAULT_ACCENT),
        logo=logo,
        organization_row=org_row,
        workspace_row=ws_row,
    )
