"""Django admin for platform admins: accounts with their status and token expiry — never a token.

Tenant scoping is off under /admin/ (accounts.middleware.AdminScopesMiddleware).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from networks.models import AccountToken, DataDeletionRequest, MetaUserGrant, SocialAccount, WebhookEvent


class AccountTokenInline(admin.TabularInline):
    """Which tokens exist and when they expire. The ciphertext is neither listed nor editable."""

    model = AccountToken
    fields = ["kind", "expires_at", "scopes", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "organization", "workspace", "status", "last_synced_at", "next_sync_at"]
    list_filter = ["network", "status", "organization"]
    search_fields = ["handle", "name", "external_id", "organization__name"]
    list_select_related = ["organization", "workspace"]
    raw_id_fields = ["organization", "workspace", "connected_by", "parent"]
    readonly_fields = ["network", "external_id", "picture_url", "connected_at", "last_error"]
    inlines = [AccountTokenInline]

    def has_add_permission(self, request) -> bool:
        return False  # accounts are connected through OAuth, never typed in


@admin.register(AccountToken)
class AccountTokenAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "expires_at", "updated_at", "organization"]
    list_filter = ["kind"]
    list_select_related = ["account", "organization"]
    fields = ["organization", "account", "kind", "expires_at", "scopes", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- Webhooks and compliance (networks/webhooks/) ------------------------------------------------


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    """What Meta delivered and what was done with it. Read-only: events are evidence."""

    list_display = ["received_at", "object", "field", "entry_id", "status", "outcome", "processed_at"]
    list_filter = ["status", "object", "field"]
    search_fields = ["entry_id", "dedup_key"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
    actions = ["process_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Process the selected events again"))
    def process_again(self, request, queryset) -> None:
        from networks.webhooks.tasks import webhook_event_process_task

        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(status=WebhookEvent.Status.PENDING, processed_at=None, error="")
        for event_id in ids:
            webhook_event_process_task.delay(event_id)


@admin.register(MetaUserGrant)
class MetaUserGrantAdmin(admin.ModelAdmin):
    list_display = ["account", "facebook_user_id", "granted_at", "organization"]
    list_select_related = ["account", "organization"]
    search_fields = ["facebook_user_id"]
    readonly_fields = ["organization", "account", "facebook_user_id", "granted_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataDeletionRequest)
class DataDeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["confirmation_code", "status", "requested_at", "completed_at", "summary"]
    list_filter = ["status"]
    search_fields = ["confirmation_code"]
    readonly_fields = ["confirmation_code", "user_hash", "status", "requested_at", "completed_at", "summary"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the proof that a request was honoured


# The sync engine's admin lives beside it; importing it here registers it.
from networks.sync import admin as sync_admin  # noqa: E402, F401
