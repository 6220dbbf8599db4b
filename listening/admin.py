"""Django admin for platform admins: watches (editable: pause one that misbehaves), and the rows
collection writes (read-only: a wrong value is fixed by collecting again)."""

from django.contrib import admin

from listening.models import HashtagSearch, Hit, Watch, WatchMatch, WatchUsage, WelcomeItem


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # hits grow to millions of rows across tenants

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "workspace", "rule", "active", "alerts", "welcome", "last_collected_at"]
    list_filter = ["active", "alerts", "welcome"]
    search_fields = ["name", "rule", "organization__name"]
    list_select_related = ["organization", "workspace"]
    raw_id_fields = ["organization", "workspace", "created_by"]
    readonly_fields = ["last_collected_at", "last_error", "x_since_id", "last_alerted_at"]


@admin.register(Hit)
class HitAdmin(ReadOnlyAdmin):
    list_display = ["network", "external_id", "organization", "author_handle", "language", "published_at"]
    list_filter = ["network", "source", "language"]
    search_fields = ["external_id", "author_handle", "text"]
    list_select_related = ["organization"]


@admin.register(WatchMatch)
class WatchMatchAdmin(ReadOnlyAdmin):
    list_display = ["watch", "hit", "published_at", "alerted"]
    list_select_related = ["watch", "hit"]


@admin.register(HashtagSearch)
class HashtagSearchAdmin(ReadOnlyAdmin):
    list_display = ["hashtag", "account", "organization", "reserved_at", "first_searched_at", "last_searched_at"]
    search_fields = ["hashtag"]
    list_select_related = ["account", "organization"]


@admin.register(WatchUsage)
class WatchUsageAdmin(ReadOnlyAdmin):
    list_display = ["watch", "day", "x_reads", "x_calls", "instagram_calls"]
    list_select_related = ["watch"]


@admin.register(WelcomeItem)
class WelcomeItemAdmin(ReadOnlyAdmin):
    list_display = ["watch", "hit", "status", "how", "done_by", "done_at"]
    list_filter = ["status", "how"]
    list_select_related = ["watch", "hit", "done_by"]
