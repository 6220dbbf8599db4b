"""Per-user API tokens: created (the secret shown once), listed, revoked."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User

PREFIX = "og_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """The new token and its secret, which is never stored nor shown again."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=raw[:10], key_hash=token_hash(raw))
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the person's own tokens; False when there is no such live token."""
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
