"""Django admin for platform admins: reports, their shares, schedules and deliveries, exports and
branding. Built reports and exports are outputs of tasks: read-only here (a share link can be
revoked, a schedule paused)."""

from django.contrib import admin

from reports.models import Branding, DataExport, Report, ReportDelivery, ReportSchedule, ReportShare, ReportTemplate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "workspace", "language", "status", "pdf_pages", "created_at"]
    list_filter = ["status", "language", "chart_renderer"]
    list_select_related = ["organization", "workspace"]
    search_fields = ["title", "organization__name", "workspace__name"]
    exclude = ["html"]  # hundreds of KB of embedded charts


@admin.register(ReportShare)
class ReportShareAdmin(admin.ModelAdmin):
    list_display = ["report", "organization", "created_at", "expires_at", "revoked_at", "views"]
    list_select_related = ["report", "organization"]
    readonly_fields = ["organization", "report", "key", "created_by", "created_at", "views"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "workspace", "period", "comparison", "language"]
    list_select_related = ["organization", "workspace"]
    readonly_fields = ["organization", "workspace", "created_by", "created_at"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["template", "organization", "frequency", "hour", "time_zone", "active", "next_run_at"]
    list_filter = ["frequency", "active"]
    list_select_related = ["template", "organization"]
    readonly_fields = ["organization", "workspace", "template", "created_by", "created_at", "next_run_at"]
    filter_horizontal = ["member_recipients"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "organization", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["schedule__template", "organization"]


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "organization", "workspace", "status", "size", "created_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["organization", "workspace"]


@admin.register(Branding)
class BrandingAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "workspace", "primary_color", "accent_color", "updated_at"]
    list_select_related = ["organization", "workspace"]
