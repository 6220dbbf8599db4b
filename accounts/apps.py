from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and tenancy"

    def ready(self) -> None:
        from accounts import privacy, receivers  # noqa: F401  (receivers: allauth's security events → audit log)

        privacy.autodiscover()  # every app's people's-data sources (<app>/privacy.py)
