from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        # networks cannot import analytics (dependencies point one way): it finds the fact store
        # through this registration.
        from analytics.factstore import DatabaseFactStore
        from networks.sync.factstore import register_fact_store

        register_fact_store(DatabaseFactStore())
