from django.urls import path

from campaigns.views import manage, public

CAMPAIGN = "o/<slug:org>/campaigns/<int:campaign_id>/"

urlpatterns = [
    path("o/<slug:org>/campaigns/", manage.campaign_list, name="campaign_list"),
    path(CAMPAIGN, manage.campaign_gallery, name="campaign_gallery"),
    path(CAMPAIGN + "edit/", manage.campaign_edit, name="campaign_edit"),
    path(CAMPAIGN + "collect/", manage.campaign_collect, name="campaign_collect"),
    path(CAMPAIGN + "media/<int:media_id>/", manage.campaign_media, name="campaign_media"),
    path(CAMPAIGN + "media/<int:media_id>/file/", manage.campaign_media_file, name="campaign_media_file"),
    path(CAMPAIGN + "picks/", manage.campaign_picks, name="campaign_picks"),
    path(CAMPAIGN + "picks/<int:pick_id>/delete/", manage.campaign_pick_delete, name="campaign_pick_delete"),
    path(CAMPAIGN + "contest/", manage.campaign_contest, name="campaign_contest"),
    path(CAMPAIGN + "stats/", manage.campaign_stats, name="campaign_stats"),
    path(CAMPAIGN + "export/", manage.campaign_export, name="campaign_export"),
    # Public, no login: reached through unguessable keys, outside the organisation's prefix.
    path("contest/<str:key>/", public.contest_vote_page, name="contest_vote_page"),
    path("contest/<str:key>/vote/<str:media_key>/", public.contest_vote, name="contest_vote"),
    path("contest/<str:key>/results/", public.contest_results_page, name="contest_results"),
    path("contest/<str:key>/photo/<str:media_key>/", public.contest_media_file, name="contest_media_file"),
    path("send-original/<str:token>/", public.campaign_upload, name="campaign_upload"),
    path("send-original/<str:token>/preview/", public.upload_preview, name="campaign_upload_preview"),
]
