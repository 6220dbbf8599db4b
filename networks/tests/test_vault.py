"""The token vault: encryption at rest, key rotation, production refusing to start without keys,
and tokens never shown (repr, admin)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from conftest import make_user
from networks.models import AccountToken
from networks.providers.facebook.oauth import ManagedPage, UserToken
from networks.providers.x.oauth import TokenSet
from networks.services.accounts import NewToken
from networks.tests.factories import make_account
from networks.vault import Secret, VaultError, decrypt, encrypt, token_read

ROOT = Path(__file__).resolve().parents[2]


def test_it_encrypts_and_decrypts():
    ciphertext = encrypt("page-token-123")
    assert b"page-token-123" not in ciphertext
    assert decrypt(ciphertext) == "page-token-123"


def test_it_stores_tokens_encrypted(tenancy):
    account = make_account(tenancy.a1, access_token="secret-access-token")
    with scope(organization=tenancy.org_a):
        row = AccountToken.objects.get(account=account)
        assert b"secret-access-token" not in bytes(row.ciphertext)
        assert token_read(account=account, kind="access").value == "secret-access-token"


def test_it_rotates_keys_with_two_keys_configured(tenancy, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [old]
    account = make_account(tenancy.a1, access_token="tok")
    settings.TOKEN_ENCRYPTION_KEYS = [new, old]  # new first: encrypts; old still decrypts
    with scope(organization=tenancy.org_a):
        assert token_read(account=account, kind="access").value == "tok"
    call_command("rotate_token_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    settings.TOKEN_ENCRYPTION_KEYS = [new]  # the old key can go now
    with scope(organization=tenancy.org_a):
        assert token_read(account=account, kind="access").value == "tok"
    settings.TOKEN_ENCRYPTION_KEYS = [old]
    with scope(organization=tenancy.org_a), pytest.raises(VaultError):
        token_read(account=account, kind="access")


def _settings_probe(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OVERGRAPH_", "TOKEN_"))}
    env.update(
        OVERGRAPH_MODE="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="overgraph.settings",
        **extra,
    )
    code = "import django; from django.conf import settings; django.setup(); print(len(settings.TOKEN_ENCRYPTION_KEYS))"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_it_refuses_to_start_in_production_without_keys(tmp_path):
    result = _settings_probe(OVERGRAPH_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "TOKEN_ENCRYPTION_KEYS is required in production" in result.stderr


def test_it_starts_in_production_with_keys(tmp_path):
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    result = _settings_probe(OVERGRAPH_VAR_DIR=str(tmp_path), TOKEN_ENCRYPTION_KEYS=keys)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_it_never_shows_a_token_in_a_repr(tenancy):
    account = make_account(tenancy.a1, access_token="secret-access-token")
    with scope(organization=tenancy.org_a):
        row = AccountToken.objects.get(account=account)
    shown = " ".join(
        repr(x)
        for x in (
            row,
            Secret(value="secret-access-token"),
            TokenSet(access_token="secret-access-token", refresh_token="secret-access-token"),
            NewToken("access", "secret-access-token"),
            ManagedPage(id="1", name="P", access_token="secret-access-token"),
            UserToken(access_token="secret-access-token"),
        )
    )
    assert "secret-access-token" not in shown
    assert str(bytes(row.ciphertext)[:20]) not in shown


def test_it_never_shows_a_token_in_the_admin(tenancy, client):
    account = make_account(tenancy.a1, access_token="secret-access-token")
    with scopes_disabled():
        ciphertext = bytes(AccountToken.objects.get(account=account).ciphertext).decode()
    admin = make_user("root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    pages = [
        reverse("admin:networks_socialaccount_changelist"),
        reverse("admin:networks_socialaccount_change", args=[account.pk]),
        reverse("admin:networks_accounttoken_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"secret-access-token" not in response.content
        assert ciphertext.encode() not in response.content
