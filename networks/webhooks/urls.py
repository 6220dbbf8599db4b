"""Fixed public URLs registered in the Meta app dashboard (docs/webhooks.md)."""

from django.urls import path

from networks.webhooks import views

urlpatterns = [
    path("meta/", views.meta_webhook, name="webhooks_meta"),
    path("meta/deauthorize/", views.meta_deauthorize, name="webhooks_meta_deauthorize"),
    path("meta/data-deletion/", views.meta_data_deletion, name="webhooks_meta_data_deletion"),
    path("meta/deletion-status/<slug:code>/", views.meta_deletion_status, name="webhooks_meta_deletion_status"),
]
