"""The token vault: every network credential is encrypted at rest with MultiFernet.

``TOKEN_ENCRYPTION_KEYS`` holds comma-separated Fernet keys: the first encrypts, all decrypt, so a
key is rotated by putting a new one first, running ``manage.py rotate_token_keys`` (re-encrypts
every token with the first key), then removing the old key. Production refuses to start without
keys (overgraph/settings.py); development derives one from SECRET_KEY.
https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet
"""

import datetime as dt
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from networks.models import AccountToken, SocialAccount
from overgraph import written_sql
from overgraph.written_sql import select_sql


class VaultError(Exception):
    """A ciphertext no configured key can decrypt (a key was removed too early)."""


def _fernet() -> MultiFernet:
    keys = settings.TOKEN_ENCRYPTION_KEYS
    if not keys:
        raise VaultError("TOKEN_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.strip().encode()) for key in keys])


def encrypt(plaintext: str) -> bytes:
    return _fernet().encrypt(plaintext.encode())


def decrypt(ciphertext: bytes | memoryview) -> str:
    try:
        return _fernet().decrypt(bytes(ciphertext)).decode()
    except InvalidToken as error:
        raise VaultError("no configured key decrypts this token") from error


@dataclass(frozen=True)
class Secret:
    """A decrypted token with its metadata. The value never appears in repr()."""

    value: str = field(repr=False)
    expires_at: dt.datetime | None = None
    scopes: str = ""

    def expired(self, *, margin: dt.timedelta = dt.timedelta(0), now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now()) + margin


def token_store(
    *,
    account: SocialAccount,
    kind: str,
    value: str,
    expires_at: dt.datetime | None = None,
    scopes: str = "",
) -> AccountToken:
    """Insert or replace one token of an account (one per kind). Call inside the account's scope
    or a service's transaction."""
    token, _created = AccountToken.objects.update_or_create(
        organization_id=account.organization_id,
        account=account,
        kind=kind,
        defaults={
            "ciphertext": encrypt(value),
            "expires_at": expires_at,
            "scopes": scopes,
            "updated_at": timezone.now(),
        },
    )
    return token


def token_read(*, account: SocialAccount, kind: str) -> Secret | None:
    token = written_sql.first(
        AccountToken,
        select_sql(AccountToken, "organization", "account", "kind"),
        [account.organization_id, account.pk, kind],
    )
    if token is None:
        return None
    return Secret(value=decrypt(token.ciphertext), expires_at=token.expires_at, scopes=token.scopes)


def tokens_delete(*, account: SocialAccount) -> int:
    deleted, _ = AccountToken.objects.filter(organization_id=account.organization_id, account=account).delete()
    return deleted


def tokens_rotate(*, batch_size: int = 500) -> int:
    """Re-encrypt every token with the first key (MultiFernet.rotate). Returns how many."""
    fernet = _fernet()
    count = 0
    # Explicit escape hatch: a platform maintenance command works across tenants by definition.
    with scopes_disabled():
        ids = list(AccountToken.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                for token in AccountToken.objects.select_for_update().filter(pk__in=ids[start : start + batch_size]):
                    try:
                        token.ciphertext = fernet.rotate(bytes(token.ciphertext))
                    except InvalidToken as error:
                        raise VaultError(f"token {token.pk} cannot be decrypted with the configured keys") from error
                    token.save(update_fields=["ciphertext"])
                    count += 1
    return count
