from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "listening"
    verbose_name = "Listening"

    def ready(self) -> None:
        from listening import series, texts

        series.register()
        texts.register()  # its hits on analytics' "What people say" page
