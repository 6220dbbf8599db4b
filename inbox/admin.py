from django.contrib import admin

from analytics.factcache import texts_changed
from inbox.models import Department, InboxSettings, InternalNote, Message, ModerationAction, SavedReply, Thread


class ScopedAdmin(admin.ModelAdmin):
    """Platform admins see every tenant (the admin runs outside tenant scopes, like analytics')."""


class TextsChangedAdmin(ScopedAdmin):
    """A thread or a message changed here changes what people wrote as analytics reads it: the
    organisation's cached sentiment is recomputed (analytics/factcache.py)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        texts_changed(obj.organization_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        texts_changed(obj.organization_id)

    def delete_queryset(self, request, queryset) -> None:
        organizations = set(queryset.values_list("organization_id", flat=True))
        super().delete_queryset(request, queryset)
        for organization_id in organizations:
            texts_changed(organization_id)


@admin.register(Thread)
class ThreadAdmin(TextsChangedAdmin):
    list_display = ["id", "organization", "network", "kind", "author_name", "status", "first_inbound_at"]
    list_filter = ["network", "kind", "status"]
    raw_id_fields = ["organization", "workspace", "account", "post", "department", "assignee", "first_responder"]


@admin.register(Message)
class MessageAdmin(TextsChangedAdmin):
    list_display = ["id", "organization", "direction", "author_name", "sent_at", "language", "is_question"]
    list_filter = ["direction", "language"]
    raw_id_fields = ["organization", "thread", "account", "sent_by"]


for model in (InboxSettings, Department, InternalNote, SavedReply, ModerationAction):
    admin.site.register(model, ScopedAdmin)
