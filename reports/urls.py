from django.urls import path, re_path

from reports.views import brand, config, reports, shared

W = "o/<slug:org>/w/<int:workspace_id>/reports/"

urlpatterns = [
    path(W, reports.reports_home, name="reports_home"),
    path(W + "build/", reports.reports_build, name="reports_build"),
    path(W + "<int:report_id>/", reports.reports_detail, name="reports_detail"),
    path(W + "<int:report_id>/pdf/", reports.reports_pdf, name="reports_pdf"),
    path(W + "<int:report_id>/shares/", reports.reports_share_create, name="reports_share_create"),
    path(
        W + "<int:report_id>/shares/<int:share_id>/revoke/", reports.reports_share_revoke, name="reports_share_revoke"
    ),
    path(W + "templates/new/", config.reports_template_create, name="reports_template_create"),
    path(W + "templates/<int:template_id>/", config.reports_template_edit, name="reports_template_edit"),
    path(W + "templates/<int:template_id>/delete/", config.reports_template_delete, name="reports_template_delete"),
    path(W + "schedules/new/", config.reports_schedule_create, name="reports_schedule_create"),
    path(W + "schedules/<int:schedule_id>/", config.reports_schedule_edit, name="reports_schedule_edit"),
    path(W + "schedules/<int:schedule_id>/delete/", config.reports_schedule_delete, name="reports_schedule_delete"),
    path(W + "exports/", reports.reports_export_create, name="reports_export_create"),
    path(W + "exports/<int:export_id>/", reports.reports_export_download, name="reports_export_download"),
    path(W + "branding/", config.reports_branding_workspace, name="reports_branding_workspace"),
    path("o/<slug:org>/reports/branding/", config.reports_branding_organization, name="reports_branding_organization"),
    re_path(
        r"^reports/brand/(?P<primary>[0-9a-f]{6})-(?P<accent>[0-9a-f]{6})\.css$",
        brand.brand_stylesheet,
        name="reports_brand_css",
    ),
    path("r/<str:token>/", shared.reports_shared, name="reports_shared"),
    path("r/<str:token>/pdf/", shared.reports_shared_pdf, name="reports_shared_pdf"),
]
