"""Scheduled reports: the next sending in the schedule's time zone (DST included), claiming what
is due once, the email with the PDF attached and a share link, the history, and a failure retried
then reported to the owners."""

import datetime as dt
import zoneinfo

import pytest
from celery.exceptions import Retry
from django.core import mail
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from reports.models import ReportDelivery, ReportSchedule, ReportTemplate
from reports.services.schedules import clean_external_emails, next_occurrence, schedule_save, schedules_dispatch
from reports.tasks import delivery_send_task

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


def weekly(after, *, weekday=0, hour=8, zone="Europe/Paris"):
    return next_occurrence(frequency="weekly", weekday=weekday, day_of_month=1, hour=hour, time_zone=zone, after=after)


def monthly(after, *, day, hour=8, zone="Europe/Paris"):
    return next_occurrence(frequency="monthly", weekday=0, day_of_month=day, hour=hour, time_zone=zone, after=after)


def test_it_computes_weekly_sendings_in_local_time():
    # Monday 30 Nov 2026 07:00 UTC = 08:00 Paris (winter, UTC+1): that instant is not *after* itself.
    monday_8 = dt.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert weekly(monday_8 - dt.timedelta(seconds=1)) == monday_8
    assert weekly(monday_8) == dt.datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    # Summer time (UTC+2): 08:00 Paris is 06:00 UTC; New York is UTC-4 then.
    assert weekly(dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC)) == dt.datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    assert weekly(dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC), zone="America/New_York") == dt.datetime(
        2026, 6, 1, 12, 0, tzinfo=UTC
    )


def test_it_follows_the_dst_changes():
    # Spring: Sunday 29 March 2026, 02:30 does not exist in Paris: sent at 03:30 CEST (01:30 UTC).
    spring = weekly(dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC), weekday=6, hour=2)
    assert spring == dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert spring.astimezone(PARIS).hour == 3
    # The week after, 02:00 CEST again exists: 00:00 UTC.
    assert weekly(spring, weekday=6, hour=2) == dt.datetime(2026, 4, 5, 0, 0, tzinfo=UTC)
    # Autumn: Sunday 25 October 2026, 02:00 happens twice: sent once, at the first (00:00 UTC).
    autumn = weekly(dt.datetime(2026, 10, 24, 12, 0, tzinfo=UTC), weekday=6, hour=2)
    assert autumn == dt.datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    assert weekly(autumn, weekday=6, hour=2) == dt.datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    # Monday 8:00 across the change keeps 8:00 local: 06:00 UTC before, 07:00 UTC after.
    assert weekly(dt.datetime(2026, 10, 19, 7, 0, tzinfo=UTC)) == dt.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


def test_it_computes_monthly_sendings():
    assert monthly(dt.datetime(2026, 11, 30, tzinfo=UTC), day=1) == dt.datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    # 31 means the month's last day: 30 April, 28 February.
    assert monthly(dt.datetime(2026, 4, 2, tzinfo=UTC), day=31) == dt.datetime(2026, 4, 30, 6, 0, tzinfo=UTC)
    assert monthly(dt.datetime(2027, 2, 2, tzinfo=UTC), day=31) == dt.datetime(2027, 2, 28, 7, 0, tzinfo=UTC)
    # Tokyo has no DST: 09:00 JST is 00:00 UTC.
    assert monthly(dt.datetime(2026, 7, 2, tzinfo=UTC), day=15, hour=9, zone="Asia/Tokyo") == dt.datetime(
        2026, 7, 15, 0, 0, tzinfo=UTC
    )


def test_it_validates_external_emails():
    assert clean_external_emails("a@example.com, B@example.com\na@example.com") == ["a@example.com", "b@example.com"]
    with pytest.raises(ValueError, match="not-an-email"):
        clean_external_emails("ok@example.com, not-an-email")


@pytest.fixture
def schedule(tenancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scope(organization=tenancy.org_a):
        template = ReportTemplate.objects.create(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            name="Weekly",
            sections=["summary"],
            period="7d",
            language="en",
        )
        return schedule_save(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            actor=tenancy.alice,
            template=template,
            frequency="weekly",
            weekday=0,
            day_of_month=1,
            hour=8,
            time_zone="Europe/Paris",
            members=[tenancy.dana, tenancy.bob],
            external_emails=["elu@example.org"],
            now=dt.datetime(2026, 11, 29, tzinfo=UTC),
        )


def test_it_sends_a_due_report_once(tenancy, facts, schedule, celery_eager, monkeypatch):
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    assert schedule.next_run_at == dt.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    now = dt.datetime(2026, 11, 30, 7, 2, tzinfo=UTC)
    queued = schedules_dispatch(now=now)
    assert len(queued) == 1
    assert schedules_dispatch(now=now) == []  # claimed: a second beat sends nothing
    delivery_send_task.delay(queued[0])
    with scopes_disabled():
        delivery = ReportDelivery.objects.get(pk=queued[0])
        schedule.refresh_from_db()
    assert delivery.status == "sent"
    assert sorted(delivery.recipients) == ["bob@example.com", "dana@example.com", "elu@example.org"]
    assert schedule.next_run_at == dt.datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.attachments[0][2] == "application/pdf"
    assert message.attachments[0][1].startswith(b"%PDF")
    assert "/r/" in message.body
    # Sending again (a duplicate delivery of the task) does nothing.
    delivery_send_task.delay(queued[0])
    assert len(mail.outbox) == 3


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


@pytest.mark.usefixtures("facts", "celery_eager")
def test_it_retries_then_tells_the_owner(tenancy, schedule, settings, monkeypatch):
    monkeypatch.setenv("REPORTS_CHART_RENDERER", "matplotlib")
    settings.EMAIL_BACKEND = "reports.tests.test_schedules.BrokenBackend"
    [delivery_id] = schedules_dispatch(now=dt.datetime(2026, 11, 30, 7, 2, tzinfo=UTC))
    # The first attempt fails: retried later (Celery's Retry), nobody told yet.
    with pytest.raises(Retry):
        delivery_send_task.delay(delivery_id)
    with scopes_disabled():
        assert ReportDelivery.objects.get(pk=delivery_id).status == "retrying"
        assert not Notification.objects.filter(kind="report_delivery_failed").exists()
    # The last retry fails too: the delivery is failed and the owner notified.
    with pytest.raises(OSError):
        delivery_send_task.apply(args=[delivery_id], retries=settings.REPORTS_DELIVERY_RETRIES, throw=True)
    with scopes_disabled():
        delivery = ReportDelivery.objects.get(pk=delivery_id)
        notifications = list(Notification.objects.filter(kind="report_delivery_failed"))
    assert delivery.status == "failed"
    assert delivery.attempts == 2
    assert "mail server down" in delivery.error
    assert [n.user for n in notifications] == [tenancy.alice]
    # The report was built once, not once per attempt.
    with scopes_disabled():
        assert ReportSchedule.objects.get(pk=schedule.pk).active
        from reports.models import Report

        assert Report.objects.filter(workspace=tenancy.a1).count() == 1
