from django.urls import path

from inbox import views

urlpatterns = [
    path("o/<slug:org>/inbox/", views.inbox_home, name="inbox_home"),
    path("o/<slug:org>/w/<int:workspace_id>/inbox/", views.thread_list, name="inbox_threads"),
    path("o/<slug:org>/w/<int:workspace_id>/inbox/stats/", views.stats, name="inbox_stats"),
    path("o/<slug:org>/w/<int:workspace_id>/inbox/settings/", views.settings_page, name="inbox_settings"),
    path("o/<slug:org>/inbox/<int:thread_id>/", views.thread_detail, name="inbox_thread"),
]
