from django.contrib import admin

from inbox.models import Department, InboxSettings, InternalNote, Message, ModerationAction, SavedReply, Thread


class ScopedAdmin(admin.ModelAdmin):
    """Platform admins see every tenant (the admin runs outside tenant scopes, like analytics')."""


@admin.register(Thread)
class ThreadAdmin(ScopedAdmin):
    list_display = ["id", "organization", "network", "kind", "author_name", "status", "first_inbound_at"]
    list_filter = ["network", "kind", "status"]
    raw_id_fields = ["organization", "workspace", "account", "post", "department", "assignee", "first_responder"]


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    list_display = ["id", "organization", "direction", "author_name", "sent_at", "language", "is_question"]
    list_filter = ["direction", "language"]
    raw_id_fields = ["organization", "thread", "account", "sent_by"]


for model in (InboxSettings, Department, InternalNote, SavedReply, ModerationAction):
    admin.site.register(model, ScopedAdmin)
