from django.urls import path

from networks.sync import views

urlpatterns = [
    path("o/<slug:org>/accounts/<int:account_id>/syncs/", views.sync_history, name="networks_sync_history"),
    path("o/<slug:org>/accounts/<int:account_id>/syncs/status/", views.sync_status, name="networks_sync_status"),
    path("o/<slug:org>/accounts/<int:account_id>/syncs/now/", views.sync_now, name="networks_sync_now"),
]
