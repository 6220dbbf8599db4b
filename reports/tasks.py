"""Celery tasks of the reports app: thin, taking ids; the work lives in services."""

from celery import shared_task
from django.conf import settings

from reports.services import build, exports, schedules


@shared_task(acks_late=True)
def report_build_task(report_id: int) -> bool:
    return build.report_build(report_id=report_id)


@shared_task(acks_late=True)
def export_build_task(export_id: int) -> bool:
    return exports.export_build(export_id=export_id)


@shared_task
def exports_purge_task() -> int:
    return exports.exports_purge()


@shared_task
def schedules_dispatch_task() -> list[int]:
    return schedules.schedules_dispatch()


@shared_task(bind=True, acks_late=True, max_retries=settings.REPORTS_DELIVERY_RETRIES)
def delivery_send_task(self, delivery_id: int) -> bool:
    try:
        return schedules.delivery_send(delivery_id=delivery_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        schedules.delivery_failed(delivery_id=delivery_id, error=f"{error.__class__.__name__}: {error}", final=final)
        if final:
            raise
        # 1, 4, 16 minutes: a mail server or network hiccup has time to pass.
        raise self.retry(exc=error, countdown=60 * 4**self.request.retries) from error
