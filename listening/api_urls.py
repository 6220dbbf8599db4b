from django.urls import path

from listening import api

ORG = "organizations/<slug:org>/"

urlpatterns = [
    path(f"{ORG}listening/watches/", api.WatchList.as_view(), name="api_listening_watches"),
    path(f"{ORG}listening/watches/<int:watch_id>/", api.WatchDetail.as_view(), name="api_listening_watch"),
    path(f"{ORG}listening/watches/<int:watch_id>/hits/", api.WatchHitList.as_view(), name="api_listening_watch_hits"),
    path(
        f"{ORG}listening/watches/<int:watch_id>/sentiment/",
        api.WatchSentiment.as_view(),
        name="api_listening_watch_sentiment",
    ),
]
