"""Celery tasks of the webhooks and X compliance: thin, they take ids and call services.

Loaded by workers through ``CELERY_IMPORTS`` (overgraph/settings.py); the beat entries are in
``CELERY_BEAT_SCHEDULE``.
"""

import datetime as dt
import logging

from celery import shared_task
from django_scopes import scope, scopes_disabled

from accounts.models import Organization
from networks.models import Network, SocialAccount
from networks.providers.errors import AuthExpired, ProviderError
from networks.services.accounts import account_mark_needs_reauth
from networks.webhooks import compliance, retention, services

logger = logging.getLogger(__name__)

# An event still pending this long after it arrived lost its message: it is queued again.
PENDING_GRACE = dt.timedelta(minutes=5)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8)
def webhook_event_process_task(event_id: int) -> str:
    event = services.webhook_event_process(event_id=event_id)
    return event.status if event else "missing"


@shared_task
def webhook_events_sweep() -> int:
    """Queue again the events whose processing never ran (recovery from the database, not the
    broker)."""
    pending = services.webhook_events_pending(older_than=PENDING_GRACE)
    for event_id in pending:
        webhook_event_process_task.delay(event_id)
    return len(pending)


@shared_task
def webhook_events_purge() -> int:
    """Delete settled webhook events past their retention (networks/webhooks/retention.py)."""
    return retention.webhook_events_purge()


@shared_task
def x_compliance_dispatch() -> int:
    """One compliance check per active X account, each its own task."""
    # Explicit escape hatch: the platform-wide schedule lists every tenant's X accounts (ids only).
    with scopes_disabled():
        accounts = list(
            SocialAccount.objects.filter(network=Network.X, status=SocialAccount.Status.ACTIVE).values_list(
                "organization_id", "pk"
            )
        )
    for organization_id, account_id in accounts:
        x_compliance_account.delay(organization_id, account_id)
    return len(accounts)


@shared_task
def x_compliance_account(organization_id: int, account_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    with scope(organization=organization):
        account = SocialAccount.objects.filter(organization=organization, pk=account_id).first()
        if account is None or account.status != SocialAccount.Status.ACTIVE:
            return 0
        try:
            return compliance.x_compliance_check(account=account).deleted
        except AuthExpired as error:
            # X refused the token: people are told to reconnect; checked again once they do.
            account_mark_needs_reauth(account=account, error=error.message)
            return 0
        except ProviderError as error:
            # Tomorrow's run checks again; a day's delay is within what X's terms allow.
            logger.warning("X compliance of account %s failed: %s", account_id, error.message)
            return 0
