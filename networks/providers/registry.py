"""The registry of network providers: the one place that knows which class reads which network.

Adding a network = one package under networks/providers/ and one line here (STYLE.md rule 13).
"""

from django.conf import settings

from networks.providers.base import Provider
from networks.providers.facebook.provider import FacebookProvider
from networks.providers.instagram.provider import InstagramProvider
from networks.providers.x.provider import XProvider

PROVIDERS: dict[str, type[Provider]] = {
    XProvider.network: XProvider,
    FacebookProvider.network: FacebookProvider,
    InstagramProvider.network: InstagramProvider,
}

# Each network's *_ENABLED switch (overgraph/settings.py).
_SWITCHES = {"x": "X_ENABLED", "facebook": "FACEBOOK_ENABLED", "instagram": "INSTAGRAM_ENABLED"}


def is_enabled(network: str) -> bool:
    return network in PROVIDERS and bool(getattr(settings, _SWITCHES.get(network, ""), False))


def provider_class(network: str) -> type[Provider]:
    try:
        return PROVIDERS[network]
    except KeyError:
        raise LookupError(f"no provider for network {network!r}") from None


def provider_for(*, network: str, external_id: str, access_token: str) -> Provider:
    """A provider reading one account. Token lookup and refresh happen in
    networks.services.tokens (``account_provider``), never here."""
    return provider_class(network)(external_id=external_id, access_token=access_token)
