"""Django admin for platform admins: accounts with their status and token expiry — never a token.

Tenant scoping is off under /admin/ (accounts.middleware.AdminScopesMiddleware).
"""

from django.contrib import admin

from networks.models import AccountToken, SocialAccount


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


# The sync engine's admin lives beside it; importing it here registers it.
from networks.sync import admin as sync_admin  # noqa: E402, F401
