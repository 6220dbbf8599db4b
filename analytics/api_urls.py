from django.urls import path

from analytics import api, api_sentiment, api_spikes, api_voice
from analytics.forecasting import api as forecasts_api

ORG = "organizations/<slug:org>/"

urlpatterns = [
    path(
        f"{ORG}workspaces/<int:workspace_id>/accounts/",
        api.WorkspaceAccountList.as_view(),
        name="api_workspace_accounts",
    ),
    path(f"{ORG}workspaces/<int:workspace_id>/voice/", api_voice.WorkspaceVoice.as_view(), name="api_workspace_voice"),
    path(
        f"{ORG}workspaces/<int:workspace_id>/spike-alerts/",
        api_spikes.WorkspaceSpikeAlerts.as_view(),
        name="api_workspace_spike_alerts",
    ),
    path(f"{ORG}accounts/<int:account_id>/daily/", api.AccountDailyMetrics.as_view(), name="api_account_daily"),
    path(f"{ORG}accounts/<int:account_id>/best-times/", api.AccountBestTimes.as_view(), name="api_account_best_times"),
    path(
        f"{ORG}accounts/<int:account_id>/forecasts/",
        forecasts_api.AccountForecasts.as_view(),
        name="api_account_forecasts",
    ),
    path(
        f"{ORG}accounts/<int:account_id>/sentiment/",
        api_sentiment.AccountSentiment.as_view(),
        name="api_account_sentiment",
    ),
    path(f"{ORG}posts/", api.PostList.as_view(), name="api_post_list"),
    path(f"{ORG}posts/<int:post_id>/sentiment/", api_sentiment.PostSentiment.as_view(), name="api_post_sentiment"),
    path(f"{ORG}posts/<int:post_id>/snapshots/", api.PostSnapshotList.as_view(), name="api_post_snapshots"),
    path(f"{ORG}overview/", api.Overview.as_view(), name="api_overview"),
    path(f"{ORG}themes/", api.ThemeList.as_view(), name="api_theme_list"),
    path(f"{ORG}themes/breakdown/", api.ThemeBreakdown.as_view(), name="api_theme_breakdown"),
    path(f"{ORG}themes/<int:theme_id>/", api.ThemeDetail.as_view(), name="api_theme_detail"),
]
