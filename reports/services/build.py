"""Building a report: create the row (the task is queued after commit), then, in the task, run
each section's builder on the analytics query layer, render the charts in one batch, lay out the
document once as HTML (what the web page and share links show) and print it to PDF."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Organization, Role, User, Workspace
from analytics.queries.params import Period
from reports import rendering
from reports.models import Report, ReportTemplate
from reports.sections import ReportContext, SectionContent, get_section, sections
from reports.selectors import branding_for

logger = logging.getLogger(__name__)


@dataclass
class RenderedSection:
    key: str
    title: str
    content: SectionContent | None  # None: not available for this workspace and period

    @property
    def charts(self):
        if self.content is None:
            return []
        return [*self.content.charts, *(c for _t, page in self.content.pages for c in page.charts)]


def clean_sections(keys) -> list[str]:
    """The known section keys asked for, in the registry's order (unknown keys dropped)."""
    wanted = set(keys or [])
    return [s.key for s in sections() if s.key in wanted]


def default_title(workspace: Workspace, period: Period, language: str) -> str:
    with translation.override(language):
        return _("Report from %(start)s to %(end)s") % {
            "start": date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": date_format(period.end, "SHORT_DATE_FORMAT"),
        }


@transaction.atomic
def report_create(
    *,
    organization: Organization,
    workspace: Workspace,
    actor: User | None,
    period: Period,
    sections: list[str],
    comparison: str = "previous",
    language: str = "fr",
    template: ReportTemplate | None = None,
    title: str = "",
    queue: bool = True,
) -> Report:
    from reports.tasks import report_build_task  # tasks import services: keep the cycle lazy

    keys = clean_sections(sections)
    if not keys:
        raise ValueError(_("Choose at least one section."))
    report = Report.objects.create(
        organization=organization,
        workspace=workspace,
        template=template,
        title=(title or default_title(workspace, period, language))[:200],
        period_start=period.start,
        period_end=period.end,
        sections=keys,
        comparison=comparison if comparison in ("previous", "none") else "previous",
        language=language if language in ("fr", "en") else organization.language,
        created_by=actor,
        progress_total=len(keys) + 2,
    )
    if queue:
        transaction.on_commit(lambda: report_build_task.delay(report.pk))
    return report


def build_membership(report: Report) -> Membership:
    """Whose eyes the queries use: the author's while they are a member (a client's report shows
    what the client may see), else an owner's (schedules outlive people)."""
    memberships = Membership.objects.filter(organization_id=report.organization_id).select_related("organization")
    if report.created_by_id:
        own = memberships.filter(user_id=report.created_by_id).first()
        if own is not None:
            return own
    owner = memberships.filter(role=Role.OWNER).order_by("pk").first()
    if owner is None:
        raise RuntimeError("the organisation has no owner")
    return owner


def _progress(report: Report, step: str) -> None:
    report.progress_done += 1
    report.progress_step = step[:120]
    Report.objects.filter(pk=report.pk).update(progress_done=report.progress_done, progress_step=report.progress_step)


def report_content(report: Report, membership: Membership, on_section=None) -> list[RenderedSection]:
    ctx = ReportContext(
        organization=report.organization,
        workspace=report.workspace,
        membership=membership,
        period=Period(report.period_start, report.period_end),
        comparison=report.comparison,
        language=report.language,
    )
    rendered = []
    for key in report.sections:
        section = get_section(key)
        if section is None:
            continue
        content = section.build(ctx) if section.build is not None else None
        rendered.append(RenderedSection(key, str(section.title), content))
        if on_section:
            on_section(str(section.title))
    return rendered


def document_context(report: Report, rendered: list[RenderedSection], generated_at: dt.datetime, branding=None) -> dict:
    period = Period(report.period_start, report.period_end)
    previous = period.previous()
    return {
        "report": report,
        "workspace": report.workspace,
        "organization": report.organization,
        "branding": branding or branding_for(report.organization, report.workspace),
        "sections": rendered,
        "compare": report.comparison != "none",
        "period": period,
        "previous": previous,
        "generated_at": generated_at,
        "time_zone": report.organization.time_zone,
    }


def workspace_footer(brand: str, workspace: str) -> str:
    return workspace if brand == workspace else f"{brand} · {workspace}"


def report_build(*, report_id: int) -> bool:
    """Build one report (idempotent: only a waiting report is claimed, so a duplicate delivery of
    the task does nothing). Returns True when this call built it."""
    with scopes_disabled():
        claimed = Report.objects.filter(pk=report_id, status=Report.Status.PENDING).update(
            status=Report.Status.RUNNING, progress_done=0
        )
        if not claimed:
            return False
        report = Report.objects.select_related("organization", "workspace").get(pk=report_id)
    try:
        with scope(organization=report.organization), translation.override(report.language):
            membership = build_membership(report)
            rendered = report_content(report, membership, on_section=lambda title: _progress(report, title))
            branding = branding_for(report.organization, report.workspace)
            charts = [c for s in rendered for c in s.charts]
            for chart in charts:
                chart.figure = rendering.brand_figure(chart.figure, branding.primary_color, branding.accent_color)
            report.chart_renderer = rendering.render_charts(charts, report.language)
            _progress(report, _("Charts"))
            generated_at = timezone.now()
            context = document_context(report, rendered, generated_at, branding)
            with timezone.override(report.organization.time_zone):
                body = render_to_string("reports/_document.html", context)
                full = render_to_string("reports/pdf.html", {**context, "body": body})
            footer = workspace_footer(branding.name, report.workspace.name)
            pdf, pages = rendering.pdf_bytes(full, rendering.page_css(footer) + branding.stylesheet())
            report.html = body
            report.pdf_pages = pages
            report.pdf.save(f"{report.organization_id}/report-{report.pk}.pdf", ContentFile(pdf), save=False)
            report.status = Report.Status.DONE
            report.finished_at = timezone.now()
            report.progress_done = report.progress_total
            report.save(
                update_fields=[
                    "html",
                    "pdf",
                    "pdf_pages",
                    "chart_renderer",
                    "status",
                    "finished_at",
                    "progress_done",
                ]
            )
    except Exception as error:
        logger.exception("report %s failed", report_id)
        with scopes_disabled():
            Report.objects.filter(pk=report_id).update(
                status=Report.Status.FAILED,
                error=f"{error.__class__.__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
        raise
    return True
