"""Django admin for platform admins: the stored facts, read-only (they come from the networks, only
the sync engine writes them; a wrong value is fixed by syncing again, not by typing).

Tenant scoping is off under /admin/ (accounts.middleware.AdminScopesMiddleware). Fact tables grow
to millions of rows: lists skip the full count and never join more than they show.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from analytics.factcache import facts_changed
from analytics.models import (
    METRIC_FIELDS,
    AccountDailyMetrics,
    Forecast,
    Post,
    PostMetricsSnapshot,
    PostTheme,
    SpikeAlert,
    SpikeSettings,
    Theme,
    ThemeRule,
)


class FactsChangedAdmin(admin.ModelAdmin):
    """A change made here is a fact write too: the organisation's cached statistics are
    recomputed (analytics/factcache.py)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        facts_changed(obj.organization_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        facts_changed(obj.organization_id)

    def delete_queryset(self, request, queryset) -> None:
        organizations = set(queryset.values_list("organization_id", flat=True))
        super().delete_queryset(request, queryset)
        for organization_id in organizations:
            facts_changed(organization_id)


class ReadOnlyFactAdmin(FactsChangedAdmin):
    show_full_result_count = False  # a COUNT(*) over every tenant's facts on each page

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyFactAdmin):
    list_display = [
        "external_id",
        "account",
        "organization",
        "kind",
        "content_type",
        "published_at",
        "likes",
        "comments",
        "views",
        "last_changed_at",
        "next_refresh_at",
    ]
    list_filter = ["account__network", "kind", "content_type"]
    search_fields = ["external_id", "account__handle", "organization__name"]
    list_select_related = ["account", "organization"]
    date_hierarchy = "published_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    "account",
                    "external_id",
                    "published_at",
                    "kind",
                    "content_type",
                    "text",
                    "permalink",
                    "media_url",
                    "hashtags",
                    "referenced_id",
                    "author_id",
                    "author_handle",
                ]
            },
        ),
        (_("Metrics"), {"fields": [*METRIC_FIELDS, "original_metrics"]}),
        (_("Sync"), {"fields": ["first_seen_at", "metrics_updated_at", "last_changed_at", "next_refresh_at"]}),
    ]


@admin.register(PostMetricsSnapshot)
class PostMetricsSnapshotAdmin(ReadOnlyFactAdmin):
    list_display = ["post", "organization", "captured_at", "likes", "comments", "shares", "views", "reach"]
    list_filter = ["post__account__network"]
    search_fields = ["post__external_id"]
    list_select_related = ["post", "organization"]
    raw_id_fields = ["post"]
    date_hierarchy = "captured_at"


@admin.register(AccountDailyMetrics)
class AccountDailyMetricsAdmin(ReadOnlyFactAdmin):
    list_display = ["account", "organization", "date", "followers", "follows", "unfollows", "views", "reach"]
    list_filter = ["account__network"]
    search_fields = ["account__handle", "account__name", "organization__name"]
    list_select_related = ["account", "organization"]
    date_hierarchy = "date"


class ThemeRuleInline(admin.TabularInline):
    model = ThemeRule
    extra = 0
    fields = ["hashtags", "words"]


@admin.register(Theme)
class ThemeAdmin(FactsChangedAdmin):
    list_display = ["name", "organization", "workspace", "color", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization", "workspace"]
    inlines = [ThemeRuleInline]

    def save_formset(self, request, form, formset, change):
        # A rule carries its theme's organisation (every tenant row has its own).
        for rule in formset.save(commit=False):
            rule.organization_id = form.instance.organization_id
            rule.save()
        for rule in formset.deleted_objects:
            rule.delete()


@admin.register(PostTheme)
class PostThemeAdmin(FactsChangedAdmin):
    list_display = ["post", "theme", "source", "organization", "created_at"]
    list_filter = ["source", "organization"]
    search_fields = ["theme__name", "post__external_id"]
    list_select_related = ["post", "theme", "organization"]
    raw_id_fields = ["post"]


@admin.register(ThemeRule)
class ThemeRuleAdmin(admin.ModelAdmin):
    list_display = ["theme", "hashtags", "words", "organization"]
    list_filter = ["organization"]
    search_fields = ["theme__name"]
    list_select_related = ["theme", "organization"]


@admin.register(SpikeAlert)
class SpikeAlertAdmin(ReadOnlyFactAdmin):
    """Alerts are written by the detector only (analytics/spikes.py); admins read them."""

    list_display = ["day", "source_key", "workspace", "organization", "observed", "expected", "score", "sensitivity"]
    list_filter = ["source_key", "sensitivity"]
    search_fields = ["source_key", "workspace__name", "organization__name"]
    list_select_related = ["workspace", "organization"]
    date_hierarchy = "day"


@admin.register(SpikeSettings)
class SpikeSettingsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "organization", "sensitivity", "updated_at"]
    list_filter = ["sensitivity"]
    search_fields = ["workspace__name", "organization__name"]
    list_select_related = ["workspace", "organization"]


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyFactAdmin):
    """Forecasts are written by their task only (analytics/forecasting/tasks.py): admins read them,
    and see which accounts have too little history or a model doing worse than the naive one."""

    list_display = [
        "account",
        "metric",
        "status",
        "model",
        "history_days",
        "backtest_mase",
        "backtest_mase_snaive",
        "backtest_coverage80",
        "computed_at",
        "organization",
    ]
    list_filter = ["metric", "status", "model"]
    search_fields = ["account__name", "account__handle", "organization__name"]
    list_select_related = ["account", "organization"]
