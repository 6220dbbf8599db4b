"""Django admin for platform admins: campaigns (editable), their media (moderation fields
editable, the collected facts read-only), and the rows workflows append (rights steps, picks,
votes: read-only, they are the record)."""

from django.contrib import admin

from campaigns.models import Campaign, CampaignMedia, DailyPick, RightsEvent, Vote


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # votes grow large across tenants

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "workspace",
        "starts_on",
        "ends_on",
        "contest_closes_at",
        "last_collected_at",
    ]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization", "workspace"]
    raw_id_fields = ["organization", "workspace", "created_by"]
    readonly_fields = ["public_key", "last_collected_at", "last_collect_error"]


@admin.register(CampaignMedia)
class CampaignMediaAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_display = ["external_id", "campaign", "organization", "author_handle", "status", "rights", "published_at"]
    list_filter = ["status", "rights", "kind", "in_contest", "for_exhibition"]
    search_fields = ["external_id", "author_handle", "caption"]
    list_select_related = ["campaign", "organization"]
    raw_id_fields = ["organization", "campaign", "rights_changed_by"]
    readonly_fields = [
        "key",
        "network",
        "external_id",
        "hit_id",
        "permalink",
        "published_at",
        "collected_at",
        "file",
        "file_type",
        "download_error",
        "original",
        "original_type",
        "original_uploaded_at",
        "upload_nonce",
        "upload_expires_at",
    ]


@admin.register(RightsEvent)
class RightsEventAdmin(ReadOnlyAdmin):
    list_display = ["media", "rights", "at", "by", "note"]
    list_filter = ["rights"]
    list_select_related = ["media", "by"]


@admin.register(DailyPick)
class DailyPickAdmin(ReadOnlyAdmin):
    list_display = ["day", "campaign", "credit", "picked_by"]
    list_select_related = ["campaign", "picked_by"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["media", "campaign", "ip_address", "browser_id", "created_at"]
    search_fields = ["ip_address"]
    list_select_related = ["media", "campaign"]
