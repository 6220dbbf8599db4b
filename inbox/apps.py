from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Inbox"

    def ready(self) -> None:
        # networks cannot import the inbox (dependencies point one way): the sync engine and the
        # webhooks find it through this registration.
        from inbox.store import DatabaseInboxStore
        from networks.sync.conversations import register_inbox_store

        register_inbox_store(DatabaseInboxStore())
        self._register_spike_sources()
        # What people write, for analytics' "What people say" page (analytics/text/sources.py).
        from inbox import texts

        texts.register()

    @staticmethod
    def _register_spike_sources() -> None:
        try:
            from analytics import spikes
        except ImportError:  # the spike detector (contract C2) is not installed yet
            return
        from inbox.series import series_sources

        for source in series_sources(spikes.SeriesSource):
            spikes.register_series_source(source)
