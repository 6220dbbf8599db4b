"""DRF authentication by per-user API token: ``Authorization: Token og_…`` or ``Bearer og_…``."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiToken
from accounts.services.api_tokens import token_hash

KEYWORDS = (b"token", b"bearer")
# last_used_at is written at most this often, so a busy client does not turn reads into writes.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = (
            ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
            .select_related("user")
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema (drf-spectacular), next to the session cookie."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            # The schema is for developers and is served in English, like the rest of the OpenAPI text.
            "description": "A personal API token from your profile page: `Token og_…` (or `Bearer og_…`).",
        }
