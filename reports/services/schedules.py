"""Scheduled reports: when the next one is due (in the schedule's own time zone, DST included),
claiming what is due, and one delivery — build the report, email it with the PDF attached and a
share link, record it in the history; a failure is retried by the task and, once retries are
exhausted, reported to the organisation's owners through the notifications module."""

import calendar
import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, Membership, Organization, Role, User, Workspace
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from analytics.queries.params import period_from_request
from reports.models import Report, ReportDelivery, ReportSchedule, ReportTemplate
from reports.selectors import shares_of
from reports.services.build import report_build, report_create
from reports.services.shares import share_create, share_url

logger = logging.getLogger(__name__)

MAX_EXTERNAL_RECIPIENTS = 20


def next_occurrence(
    *, frequency: str, weekday: int, day_of_month: int, hour: int, time_zone: str, after: dt.datetime
) -> dt.datetime:
    """The first sending strictly after ``after`` (aware), in UTC.

    The hour is local wall-clock time. On the spring DST change an hour that does not exist
    (02:30 in Paris on the last Sunday of March) is sent one hour later by the wall clock (03:30,
    the same instant as "02:30 before the change"); on the autumn change an hour that happens twice
    is sent once, at its first occurrence (``fold=0``). A monthly day past the month's end (31 in
    April) means the month's last day."""
    zone = zoneinfo.ZoneInfo(time_zone)
    local = after.astimezone(zone)
    day = local.date()
    for _step in range(400):
        if frequency == ReportSchedule.Frequency.WEEKLY:
            matches = day.weekday() == weekday
        else:
            last = calendar.monthrange(day.year, day.month)[1]
            matches = day.day == min(day_of_month, last)
        if matches:
            candidate = dt.datetime.combine(day, dt.time(hour), zone).astimezone(dt.UTC)
            if candidate > after:
                return candidate
        day += dt.timedelta(days=1)
    raise ValueError("no occurrence found")  # pragma: no cover - 400 days always hold one


def schedule_next_run(schedule: ReportSchedule, after: dt.datetime) -> dt.datetime:
    return next_occurrence(
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        day_of_month=schedule.day_of_month,
        hour=schedule.hour,
        time_zone=schedule.time_zone,
        after=after,
    )


def clean_external_emails(raw: str) -> list[str]:
    """Comma, semicolon or newline separated addresses, validated (``ValueError`` names the bad one)."""
    emails = []
    for part in raw.replace(";", ",").replace("\n", ",").split(","):
        email = part.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except Exception:  # noqa: BLE001 (ValidationError: reported below with the address)
            raise ValueError(_("%(email)s is not a valid email address.") % {"email": email}) from None
        if email not in emails:
            emails.append(email)
    if len(emails) > MAX_EXTERNAL_RECIPIENTS:
        raise ValueError(_("At most %(max)d other recipients.") % {"max": MAX_EXTERNAL_RECIPIENTS})
    return emails


@transaction.atomic
def schedule_save(
    *,
    organization: Organization,
    workspace: Workspace,
    actor: User,
    template: ReportTemplate,
    frequency: str,
    weekday: int,
    day_of_month: int,
    hour: int,
    time_zone: str,
    members: list[User],
    external_emails: list[str],
    active: bool = True,
    schedule: ReportSchedule | None = None,
    now: dt.datetime | None = None,
) -> ReportSchedule:
    if not members and not external_emails:
        raise ValueError(_("Choose at least one recipient."))
    schedule = schedule or ReportSchedule(organization=organization, workspace=workspace, created_by=actor)
    schedule.template = template
    schedule.frequency = frequency
    schedule.weekday = weekday
    schedule.day_of_month = day_of_month
    schedule.hour = hour
    schedule.time_zone = time_zone
    schedule.external_emails = external_emails
    schedule.active = active
    schedule.next_run_at = schedule_next_run(schedule, now or timezone.now()) if active else None
    schedule.save()
    schedule.member_recipients.set(members)
    # Reports leave the organisation by email: who receives them is worth a trace.
    audit_record(
        organization=organization,
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"report schedule saved: {template.name}",
        details={
            "schedule": schedule.pk,
            "members": sorted(u.email for u in members),
            "external_emails": external_emails,
            "active": active,
        },
    )
    return schedule


def schedules_dispatch(*, now: dt.datetime | None = None) -> list[int]:
    """Claim every due schedule (a conditional UPDATE moves its next run forward, so two beats or a
    duplicate delivery cannot send twice), record a delivery and queue it. Returns delivery ids."""
    from reports.tasks import delivery_send_task

    now = now or timezone.now()
    queued = []
    with scopes_disabled():
        due = list(ReportSchedule.objects.filter(active=True, next_run_at__lte=now).order_by("next_run_at"))
        for schedule in due:
            with transaction.atomic():
                claimed = ReportSchedule.objects.filter(pk=schedule.pk, next_run_at=schedule.next_run_at).update(
                    next_run_at=schedule_next_run(schedule, now)
                )
                if not claimed:
                    continue
                delivery = ReportDelivery.objects.create(
                    organization_id=schedule.organization_id, schedule=schedule, due_at=schedule.next_run_at
                )
                transaction.on_commit(lambda pk=delivery.pk: delivery_send_task.delay(pk))
            queued.append(delivery.pk)
    return queued


def _recipients(schedule: ReportSchedule) -> list[tuple[str, str]]:
    """(email, language) of each recipient still allowed to read the workspace, then the others."""
    readers = Membership.objects.filter(
        organization_id=schedule.organization_id, user__in=schedule.member_recipients.all()
    )
    out = []
    for membership in readers.select_related("user").prefetch_related("grants"):
        if membership.role == Role.CLIENT and schedule.workspace_id not in {
            g.workspace_id for g in membership.grants.all()
        }:
            continue
        out.append((membership.user.email, membership.user.language or schedule.template.language))
    known = {email for email, _language in out}
    out += [(email, schedule.template.language) for email in schedule.external_emails if email not in known]
    return out


def delivery_send(*, delivery_id: int) -> bool:
    """Build and send one delivery. Raises on failure (the task retries); a delivery already sent
    is skipped."""
    with scopes_disabled():
        delivery = (
            ReportDelivery.objects.select_related(
                "schedule__template", "schedule__workspace", "schedule__organization", "schedule__created_by"
            )
            .filter(pk=delivery_id)
            .first()
        )
    if delivery is None or delivery.status == ReportDelivery.Status.SENT:
        return False
    schedule = delivery.schedule
    organization = schedule.organization
    template = schedule.template
    with scope(organization=organization):
        ReportDelivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
        report = delivery.report
        if report is None or report.status == Report.Status.FAILED:
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))
            report = report_create(
                organization=organization,
                workspace=schedule.workspace,
                actor=schedule.created_by,
                period=period_from_request(template.period, today=today),
                sections=template.sections,
                comparison=template.comparison,
                language=template.language,
                template=template,
                queue=False,
            )
            ReportDelivery.objects.filter(pk=delivery.pk).update(report=report)
        if report.status == Report.Status.PENDING:
            report_build(report_id=report.pk)
            report.refresh_from_db()
        # A retry reuses the link an earlier attempt made, rather than minting one per attempt.
        share = shares_of(report).filter(created_by=None, revoked_at=None, expires_at__gt=timezone.now()).first()
        share = share or share_create(report=report, actor=None)
        recipients = _recipients(schedule)
        link = share_url(share, absolute=True)
        page = settings.SITE_URL.rstrip("/") + reverse(
            "reports_detail",
            kwargs={"org": organization.slug, "workspace_id": schedule.workspace_id, "report_id": report.pk},
        )
        report.pdf.open("rb")
        try:
            pdf = report.pdf.read()
        finally:
            report.pdf.close()
        messages = []
        for email, language in recipients:
            with translation.override(language):
                subject = _("%(name)s: your report %(title)s") % {"name": organization.name, "title": report.title}
                body = render_to_string(
                    "emails/report_delivery.txt",
                    {"report": report, "organization": organization, "link": link, "page": page, "share": share},
                )
            message = EmailMessage(subject, body, None, [email])
            message.attach(f"report-{report.pk}.pdf", pdf, "application/pdf")
            messages.append(message)
        get_connection().send_messages(messages)
        ReportDelivery.objects.filter(pk=delivery.pk).update(
            status=ReportDelivery.Status.SENT, sent_at=timezone.now(), recipients=[e for e, _l in recipients], error=""
        )
    return True


def delivery_failed(*, delivery_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; after the last one, tell the organisation's owners."""
    with scopes_disabled():
        delivery = ReportDelivery.objects.select_related("schedule__workspace", "organization").get(pk=delivery_id)
        status = ReportDelivery.Status.FAILED if final else ReportDelivery.Status.RETRYING
        ReportDelivery.objects.filter(pk=delivery_id).update(status=status, error=error[:2000])
        if not final:
            return
        organization = delivery.organization
        owners = [
            m.user for m in Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user")
        ]
    workspace = delivery.schedule.workspace
    notify(
        organization=organization,
        users=owners,
        kind="report_delivery_failed",
        title=gettext_lazy("A scheduled report could not be sent"),
        # Lazy, so each owner reads it in their own language.
        body=format_lazy(
            gettext_lazy("The scheduled report of {workspace} (due {due}) failed after several attempts: {error}"),
            workspace=workspace.name,
            due=delivery.due_at.isoformat(timespec="minutes"),
            error=error[:300],
        ),
        url=reverse("reports_home", kwargs={"org": organization.slug, "workspace_id": workspace.pk}),
    )
