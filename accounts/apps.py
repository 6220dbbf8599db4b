from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and tenancy"

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401  (connects allauth's security events to the audit log)
