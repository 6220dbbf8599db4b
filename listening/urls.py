from django.urls import path

from listening import views

urlpatterns = [
    path("o/<slug:org>/listening/", views.listening_home, name="listening_home"),
    path("o/<slug:org>/w/<int:workspace_id>/listening/", views.listening_dashboard, name="listening_dashboard"),
    path("o/<slug:org>/w/<int:workspace_id>/listening/new/", views.watch_create, name="listening_watch_create"),
    path("o/<slug:org>/listening/watches/<int:watch_id>/", views.watch_page, name="listening_watch"),
    path("o/<slug:org>/listening/watches/<int:watch_id>/edit/", views.watch_edit, name="listening_watch_edit"),
    path("o/<slug:org>/listening/watches/<int:watch_id>/delete/", views.watch_remove, name="listening_watch_delete"),
    path(
        "o/<slug:org>/listening/watches/<int:watch_id>/collect/",
        views.watch_collect_now,
        name="listening_watch_collect",
    ),
    path("o/<slug:org>/listening/hits/<int:hit_id>/author/", views.hit_author, name="listening_hit_author"),
    path("o/<slug:org>/listening/welcome/", views.welcome_list, name="listening_welcome"),
    path("o/<slug:org>/listening/welcome/<int:item_id>/reply/", views.welcome_send, name="listening_welcome_reply"),
    path("o/<slug:org>/listening/welcome/<int:item_id>/status/", views.welcome_status, name="listening_welcome_status"),
]
