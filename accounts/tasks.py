"""Celery tasks of the accounts app: thin, take ids, retry; the work lives in services."""

from celery import shared_task
from django.utils import timezone

from accounts.models import Organization, User
from accounts.services import notifications
from accounts.services.privacy import retention_apply


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, retry_jitter=True, max_retries=6)
def notification_send_email(self, notification_id: int) -> bool:
    return notifications.notification_email(notification_id=notification_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=300, retry_jitter=True, max_retries=4)
def notification_send_digest(self, user_id: int) -> int:
    user = User.objects.filter(pk=user_id).first()
    return notifications.digest_send(user=user) if user else 0


@shared_task
def notification_digests_dispatch() -> int:
    """Hourly (Celery beat): queue a digest for everyone whose digest is due."""
    user_ids = notifications.digest_recipients(now=timezone.now())
    for user_id in user_ids:
        notification_send_digest.delay(user_id)
    return len(user_ids)


@shared_task
def people_data_retention() -> int:
    """Daily (Celery beat): delete people's data past each organisation's retention period."""
    organizations = list(Organization.objects.filter(people_data_retention_days__isnull=False))
    return sum(sum(retention_apply(organization=o).values()) for o in organizations)
