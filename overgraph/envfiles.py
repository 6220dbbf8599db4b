"""Secrets mounted as files: ``FOO_FILE=/run/secrets/foo`` makes ``FOO`` the file's content.

Docker and Kubernetes hand secrets over as files; reading them here keeps them out of the process
environment listing and out of ``docker inspect``. Only the settings listed here are read this way
(other programs' ``*_FILE`` variables in the environment are none of our business).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SECRET_SETTINGS = (
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "TOKEN_ENCRYPTION_KEYS",
    "X_CLIENT_ID",
    "X_CLIENT_SECRET",
    "META_APP_ID",
    "META_APP_SECRET",
    "META_WEBHOOK_VERIFY_TOKEN",
)


def read_secret_files() -> None:
    """Copy each ``<SECRET>_FILE`` file's content into ``<SECRET>`` (once, at start)."""
    for name in SECRET_SETTINGS:
        path = os.environ.get(f"{name}_FILE")
        if not path:
            continue
        if os.environ.get(name):
            raise ImproperlyConfigured(f"Both {name} and {name}_FILE are set: keep one")
        try:
            os.environ[name] = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {error}") from error
