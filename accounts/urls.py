from django.urls import path

from accounts.views import api_tokens, members, notifications, organizations, privacy, profile

urlpatterns = [
    path("", organizations.home, name="home"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path("profile/", profile.profile, name="profile"),
    path("profile/api-tokens/", api_tokens.api_token_list, name="api_tokens"),
    path("profile/api-tokens/<int:token_id>/revoke/", api_tokens.api_token_revoke, name="api_token_revoke"),
    path("language/", profile.language_switch, name="language_switch"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("o/<slug:org>/", organizations.organization_home, name="organization_home"),
    path("o/<slug:org>/settings/", organizations.organization_settings, name="organization_settings"),
    path("o/<slug:org>/delete/", organizations.organization_delete, name="organization_delete"),
    path("o/<slug:org>/audit/", organizations.audit_log, name="audit_log"),
    path("o/<slug:org>/privacy/", privacy.privacy, name="privacy"),
    path("o/<slug:org>/workspaces/new/", organizations.workspace_create, name="workspace_create"),
    path("o/<slug:org>/w/<int:workspace_id>/", organizations.workspace_home, name="workspace_home"),
    path("o/<slug:org>/w/<int:workspace_id>/edit/", organizations.workspace_edit, name="workspace_edit"),
    path("o/<slug:org>/w/<int:workspace_id>/delete/", organizations.workspace_delete, name="workspace_delete"),
    path("o/<slug:org>/notifications/", notifications.notification_list, name="notification_list"),
    path("o/<slug:org>/notifications/read/", notifications.notification_read, name="notification_read"),
    path("o/<slug:org>/members/", members.member_list, name="member_list"),
    path("o/<slug:org>/members/<int:membership_id>/", members.member_edit, name="member_edit"),
    path("o/<slug:org>/members/<int:membership_id>/remove/", members.member_remove, name="member_remove"),
    path("o/<slug:org>/members/transfer/", members.ownership_transfer, name="ownership_transfer"),
    path("o/<slug:org>/invitations/", members.invitation_create, name="invitation_create"),
    path("o/<slug:org>/invitations/<int:invitation_id>/resend/", members.invitation_resend, name="invitation_resend"),
    path("o/<slug:org>/invitations/<int:invitation_id>/revoke/", members.invitation_revoke, name="invitation_revoke"),
]
