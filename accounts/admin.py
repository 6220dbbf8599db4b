"""Django admin for platform admins. Tenant scoping is off under /admin/ (AdminScopesMiddleware)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    InvitationGrant,
    Membership,
    Notification,
    NotificationPreference,
    Organization,
    User,
    Workspace,
    WorkspaceGrant,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "last_login", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "language", "last_organization"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    raw_id_fields = ["last_organization"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "language", "time_zone", "require_mfa", "created_at"]
    list_filter = ["kind", "language", "require_mfa"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__name"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user"]


@admin.register(WorkspaceGrant)
class WorkspaceGrantAdmin(admin.ModelAdmin):
    list_display = ["membership", "workspace", "organization"]
    list_filter = ["organization"]
    list_select_related = ["membership__user", "workspace", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "status", "created_at", "expires_at", "send_count"]
    list_filter = ["role", "organization"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization"]
    # The key is half of the link's credential: never shown.
    exclude = ["key"]
    readonly_fields = ["accepted_at", "accepted_by", "revoked_at", "last_sent_at", "send_count"]


@admin.register(InvitationGrant)
class InvitationGrantAdmin(admin.ModelAdmin):
    list_display = ["invitation", "workspace", "organization"]
    list_select_related = ["invitation", "workspace", "organization"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "actor", "action", "target", "ip_address"]
    list_filter = ["action", "organization"]
    search_fields = ["target", "actor__email", "organization__name"]
    list_select_related = ["organization", "actor"]
    date_hierarchy = "created_at"

    # The audit log is append-only, also for platform admins.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "user", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind", "organization"]
    search_fields = ["title", "user__email"]
    list_select_related = ["organization", "user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "last_digest_at"]
    list_filter = ["email"]
    search_fields = ["user__email"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Platform admins see who holds a token and can revoke it; never the key or its hash."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    list_select_related = ["user"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owner, shown once, on the profile page
