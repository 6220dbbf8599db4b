"""Django admin of the sync engine (imported by networks/admin.py): sync health for platform
admins, and the X read budgets they grant organisations."""

from django.contrib import admin

from networks.models import AppRateLimit, SyncClaim, SyncRun, SyncSchedule, XReadBudget, XReadUsage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: listed, never typed in."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "account", "kind", "trigger", "status", "calls", "finished_at", "organization"]
    list_filter = ["status", "kind", "trigger"]
    search_fields = ["account__handle", "account__name", "error"]
    list_select_related = ["account", "organization"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in SyncRun._meta.fields]


@admin.register(SyncSchedule)
class SyncScheduleAdmin(ReadOnlyAdmin):
    list_display = ["account", "kind", "due_at", "attempts", "last_status", "last_run_at", "organization"]
    list_filter = ["kind", "last_status"]
    list_select_related = ["account", "organization"]
    readonly_fields = [f.name for f in SyncSchedule._meta.fields]


@admin.register(SyncClaim)
class SyncClaimAdmin(ReadOnlyAdmin):
    list_display = ["account", "owner", "lease_until", "claimed_at", "blocked", "organization"]
    list_select_related = ["account", "organization"]
    readonly_fields = [f.name for f in SyncClaim._meta.fields]


@admin.register(AppRateLimit)
class AppRateLimitAdmin(ReadOnlyAdmin):
    list_display = ["network", "scope", "blocked_until", "usage_percent", "updated_at"]


@admin.register(XReadBudget)
class XReadBudgetAdmin(admin.ModelAdmin):
    """Platform admins set each organisation's monthly cap of X reads (no cap: unlimited)."""

    list_display = ["organization", "monthly_cap"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(XReadUsage)
class XReadUsageAdmin(ReadOnlyAdmin):
    list_display = ["organization", "month", "reads", "calls"]
    list_filter = ["month"]
    list_select_related = ["organization"]
