"""X compliance: a post deleted on X is deleted here.

X's developer terms ask apps to delete content its author deleted on X. A periodic task checks,
per X account, the ids of the posts we store (published within ``X_COMPLIANCE_WINDOW_DAYS``)
through ``GET /2/tweets?ids=`` by batches of 100, and deletes through the FactStore those X
reports as not found. Every post X returns is a billed read: the calls are metered against the
organisation's X budget like the sync's (``networks.sync.limits.x_reads_add``).
https://docs.x.com/x-api/posts/lookup/introduction ; https://developer.x.com/en/developer-terms/policy
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from networks.models import Network, SocialAccount
from networks.providers.x.provider import XProvider
from networks.services.tokens import account_provider
from networks.sync.clock import network_now
from networks.sync.factstore import fact_store
from networks.sync.limits import x_reads_add

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComplianceResult:
    checked: int
    deleted: int
    calls: int


def x_compliance_check(*, account: SocialAccount, now: dt.datetime | None = None) -> ComplianceResult:
    """Delete the account's stored posts that X no longer has. Call inside its organisation's
    scope. Raises the provider's errors (AuthExpired marks the account for reconnecting)."""
    if account.network != Network.X:
        raise ValueError(f"X compliance applies to X accounts, not {account.network}")
    now = now or network_now()  # the engine's clock (the simulator's during the demo's replay)
    store = fact_store()
    ids = store.known_post_ids(account, now - dt.timedelta(days=settings.X_COMPLIANCE_WINDOW_DAYS))
    if not ids:
        return ComplianceResult(checked=0, deleted=0, calls=0)
    provider = account_provider(account=account)
    if not isinstance(provider, XProvider):
        raise TypeError("the X provider is expected for an X account")
    # The network calls run outside any transaction: a slow X must not hold database locks.
    check = provider.deleted_ids(ids)
    with transaction.atomic():
        x_reads_add(organization_id=account.organization_id, reads=check.returned, calls=check.calls)
        deleted = store.delete_posts(account, sorted(check.deleted)) if check.deleted else 0
    if deleted:
        logger.info("X compliance: %s post(s) of account %s deleted on X, deleted here", deleted, account.pk)
    return ComplianceResult(checked=len(ids), deleted=deleted, calls=check.calls)
