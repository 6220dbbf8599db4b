from django.urls import path

from analytics.forecasting import views as forecasts
from analytics.views import account, agency, dashboard, glossary, post, spikes, themes, voice

urlpatterns = [
    path("glossary/", glossary.glossary, name="glossary"),
    path("o/<slug:org>/overview/", agency.agency_overview, name="analytics_agency_overview"),
    path("o/<slug:org>/w/<int:workspace_id>/dashboard/", dashboard.workspace_dashboard, name="analytics_dashboard"),
    path("o/<slug:org>/w/<int:workspace_id>/alerts/", spikes.workspace_spikes, name="analytics_spikes"),
    path("o/<slug:org>/w/<int:workspace_id>/voice/", voice.workspace_voice_page, name="analytics_voice"),
    path("o/<slug:org>/accounts/<int:account_id>/stats/", account.account_page, name="analytics_account"),
    path(
        "o/<slug:org>/accounts/<int:account_id>/forecasts/",
        forecasts.account_forecasts_page,
        name="analytics_account_forecasts",
    ),
    path("o/<slug:org>/posts/<int:post_id>/", post.post_page, name="analytics_post"),
    path("o/<slug:org>/posts/<int:post_id>/themes/", themes.post_themes, name="analytics_post_themes"),
    path("o/<slug:org>/themes/", themes.theme_list, name="analytics_themes"),
    path("o/<slug:org>/themes/<int:theme_id>/", themes.theme_edit, name="analytics_theme_edit"),
    path("o/<slug:org>/themes/<int:theme_id>/delete/", themes.theme_delete, name="analytics_theme_delete"),
]
