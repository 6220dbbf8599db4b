"""Reports: branding, saved report templates, built reports (PDF + the same content as HTML), share
links, schedules with their delivery history, and full data exports.

Every table carries its own ``organization`` (DESIGN.md "Tenancy") and is scoped by django-scopes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization, Workspace

LANGUAGES = [("fr", "Français"), ("en", "English")]


class Branding(models.Model):
    """The look of an organisation's reports (``workspace`` empty) or of one client workspace's
    (an agency brands each client's reports with the client's own logo and colours). A workspace's
    branding overrides the organisation's field by field."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name shown on reports"), max_length=120, blank=True)
    primary_color = models.CharField(_("main colour"), max_length=7, blank=True)
    accent_color = models.CharField(_("accent colour"), max_length=7, blank=True)
    # Small images (validated: PNG or JPEG, at most REPORTS_LOGO_MAX_BYTES) kept in the database:
    # every report embeds them, and a row is simpler to back up than a media file.
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(workspace__isnull=True), name="branding_one_per_org"
            ),
            models.UniqueConstraint(fields=["organization", "workspace"], name="branding_one_per_workspace"),
        ]

    def __str__(self) -> str:
        return self.name or f"branding {self.pk}"


class ReportTemplate(models.Model):
    """What a report holds (sections), which period, compared with what, in which language."""

    class Comparison(models.TextChoices):
        PREVIOUS = "previous", _("Previous period of the same length")
        NONE = "none", _("No comparison")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(_("name"), max_length=120)
    sections = models.JSONField(_("sections"), default=list)
    period = models.CharField(_("period"), max_length=16, default="28d")
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices, default="previous")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="fr")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "workspace"], name="report_template_ws")]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """One built report: its parameters, its progress while the task builds it, then its PDF and
    the same document as HTML (rendered once, so the page and the PDF cannot differ)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    template = models.ForeignKey(ReportTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    sections = models.JSONField(default=list)
    comparison = models.CharField(max_length=10, default="previous")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="fr")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    progress_step = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    html = models.TextField(blank=True)  # the document's body, as the PDF shows it
    pdf = models.FileField(upload_to="reports/pdf/", blank=True)
    pdf_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    chart_renderer = models.CharField(max_length=20, blank=True)  # "kaleido" or "matplotlib"
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "workspace", "-created_at"], name="report_ws_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class ReportShare(models.Model):
    """A read-only link to one report for someone without an account: signed (the address carries
    ``key`` signed with the secret key), expiring and revocable."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="shares", db_index=False)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "report"], name="report_share_report")]

    def __str__(self) -> str:
        return f"share {self.pk} of report {self.report_id}"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class ReportSchedule(models.Model):
    """A report sent by email every week or month, built from a template."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default="weekly")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), default=0)  # 0 = Monday
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), default=1)  # 31: the last day
    hour = models.PositiveSmallIntegerField(_("hour"), default=8)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    member_recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    external_emails = models.JSONField(_("other recipients"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["active", "next_run_at"], name="report_schedule_due")]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} — {self.template}"


class ReportDelivery(models.Model):
    """One sending of a schedule (the history): which report, to whom, how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, retrying")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    recipients = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [models.Index(fields=["organization", "schedule", "-due_at"], name="report_delivery_schedule")]

    def __str__(self) -> str:
        return f"delivery {self.pk} of schedule {self.schedule_id}"


class DataExport(models.Model):
    """A full data export of a workspace: a ZIP of CSV files with a data dictionary, built by a
    task, downloadable until ``expires_at`` (the file is deleted by a periodic task after)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/exports/", blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    row_counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "workspace", "-created_at"], name="data_export_ws_created")]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0
