from django.urls import path

from accounts import api

urlpatterns = [
    path("health/", api.HealthCheck.as_view(), name="api_health"),
    path("organizations/", api.OrganizationList.as_view(), name="api_organization_list"),
    path("organizations/<slug:org>/", api.OrganizationDetail.as_view(), name="api_organization_detail"),
    path("organizations/<slug:org>/workspaces/", api.WorkspaceList.as_view(), name="api_workspace_list"),
    path(
        "organizations/<slug:org>/workspaces/<int:workspace_id>/",
        api.WorkspaceDetail.as_view(),
        name="api_workspace_detail",
    ),
    path("organizations/<slug:org>/members/", api.MemberList.as_view(), name="api_member_list"),
]
