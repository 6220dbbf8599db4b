from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # The tables and sections this app knows itself (analytics' and networks' facts, the
        # analytics sections of a report); inbox, listening and campaigns add theirs in their
        # <app>/reports.py modules (reports.exports.register_export_table / register_model_table and
        # reports.sections.register_section), imported here.
        from reports import builtin, exports

        builtin.register()
        exports.autodiscover()
