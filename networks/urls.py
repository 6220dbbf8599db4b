from django.urls import include, path

from networks import views
from networks.sync import urls as sync_urls

urlpatterns = [
    path("o/<slug:org>/w/<int:workspace_id>/connect/x/", views.connect_x, name="networks_connect_x"),
    path(
        "o/<slug:org>/w/<int:workspace_id>/connect/facebook/", views.connect_facebook, name="networks_connect_facebook"
    ),
    path("o/<slug:org>/connect/facebook/choose/", views.facebook_choose, name="networks_facebook_choose"),
    path("o/<slug:org>/accounts/<int:account_id>/check/", views.account_check, name="networks_account_check"),
    path(
        "o/<slug:org>/accounts/<int:account_id>/disconnect/",
        views.account_disconnect,
        name="networks_account_disconnect",
    ),
    path("o/<slug:org>/accounts/<int:account_id>/delete/", views.account_delete, name="networks_account_delete"),
    # Fixed callback URLs, registered with X and Meta (the flow's organisation is in the session).
    path("networks/callback/x/", views.x_callback, name="networks_x_callback"),
    path("networks/callback/facebook/", views.facebook_callback, name="networks_facebook_callback"),
    # Meta webhooks and compliance callbacks (public, signed: networks/webhooks/).
    path("webhooks/", include("networks.webhooks.urls")),
    # The sync engine's pages: status, history, "Sync now" (networks/sync/views.py).
    *sync_urls.urlpatterns,
]
