from django.urls import path

from inbox import api

ORG = "organizations/<slug:org>/"

urlpatterns = [
    path(f"{ORG}workspaces/<int:workspace_id>/inbox/threads/", api.ThreadList.as_view(), name="api_inbox_threads"),
    path(f"{ORG}workspaces/<int:workspace_id>/inbox/stats/", api.Stats.as_view(), name="api_inbox_stats"),
    path(f"{ORG}inbox/threads/<int:thread_id>/", api.ThreadDetail.as_view(), name="api_inbox_thread"),
    path(f"{ORG}inbox/threads/<int:thread_id>/reply/", api.ThreadReply.as_view(), name="api_inbox_thread_reply"),
]
