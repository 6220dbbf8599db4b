"""Notifications: in-app for everyone, by email as each person prefers, once."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled

from accounts import tasks
from accounts.models import Notification, NotificationPreference, Role
from accounts.services.notifications import digest_recipients, digest_send, notification_email, notify
from accounts.tests.factories import add_member, make_notification

Email = NotificationPreference.Email


def _prefer(user, mode: str) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": mode})


def _notifications(user) -> list[Notification]:
    with scopes_disabled():
        return list(Notification.objects.filter(user=user).order_by("id"))


@pytest.fixture
def sends(celery_eager, django_capture_on_commit_callbacks):
    """Run what services queue after commit, with Celery tasks inline."""

    def _run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return _run


def test_it_notifies_each_person_in_their_language(tenancy, sends):
    tenancy.alice.language = "fr"
    tenancy.alice.save()
    # "Yes" is in Django's own French catalogue; bob has no language: Org A's, English.
    sends(
        notify, organization=tenancy.org_a, users=[tenancy.alice, tenancy.bob], kind="test", title=gettext_lazy("Yes")
    )
    assert [n.title for n in _notifications(tenancy.alice)] == ["Oui"]
    assert [n.title for n in _notifications(tenancy.bob)] == ["Yes"]


def test_it_emails_at_once_by_default_and_only_once(tenancy, sends):
    sends(
        notify,
        organization=tenancy.org_a,
        users=[tenancy.alice, tenancy.bob],
        kind="sync_failed",
        title="Sync failed",
        body="The X account needs a new login.",
        url="/o/org-a/",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    message = mail.outbox[0]
    assert message.subject == "[Org A] Sync failed"
    assert "The X account needs a new login." in message.body
    assert "http://127.0.0.1:8000/o/org-a/" in message.body
    assert all(n.emailed_at for n in _notifications(tenancy.alice))
    # A duplicate delivery of the task sends nothing.
    notification = _notifications(tenancy.alice)[0]
    assert tasks.notification_send_email.delay(notification.pk).get() is False
    assert len(mail.outbox) == 2


@pytest.fixture
def digest_any_hour(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0


def test_it_keeps_digest_notifications_for_one_digest_across_organisations(tenancy, sends, digest_any_hour):
    add_member(tenancy.org_b, tenancy.alice, Role.ANALYST)
    _prefer(tenancy.alice, Email.DIGEST)
    sends(notify, organization=tenancy.org_a, users=[tenancy.alice], kind="t", title="First in A")
    sends(notify, organization=tenancy.org_b, users=[tenancy.alice], kind="t", title="Then in B")
    sends(notify, organization=tenancy.org_a, users=[tenancy.alice], kind="t", title="Second in A")
    assert mail.outbox == []

    assert tasks.notification_digests_dispatch.delay().get() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "3 notifications" in mail.outbox[0].subject
    assert re.search(r"== Org A ==.*First in A.*Second in A.*== Org B ==.*Then in B", body, re.S), body
    assert all(n.emailed_at for n in _notifications(tenancy.alice))

    # Not again within 20 hours, even with something new waiting…
    sends(notify, organization=tenancy.org_a, users=[tenancy.alice], kind="t", title="Later")
    assert tasks.notification_digests_dispatch.delay().get() == 0
    assert digest_send(user=tenancy.alice) == 0  # a duplicate task run sends nothing either
    assert len(mail.outbox) == 1
    # …but the next day.
    tomorrow = timezone.now() + dt.timedelta(hours=21)
    assert digest_recipients(now=tomorrow) == [tenancy.alice.pk]
    assert digest_send(user=tenancy.alice, now=tomorrow) == 1
    assert len(mail.outbox) == 2


def test_it_sends_the_digest_from_the_digest_hour_in_the_persons_time_zone(tenancy, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 8
    _prefer(tenancy.alice, Email.DIGEST)
    make_notification(tenancy.org_a, tenancy.alice)
    tenancy.alice.last_organization = tenancy.org_a  # Europe/Paris: UTC+2 in June
    tenancy.alice.save()
    assert digest_recipients(now=dt.datetime(2026, 6, 1, 5, 59, tzinfo=dt.UTC)) == []
    assert digest_recipients(now=dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC)) == [tenancy.alice.pk]
    tenancy.org_a.time_zone = "America/New_York"  # UTC-4 in June
    tenancy.org_a.save()
    assert digest_recipients(now=dt.datetime(2026, 6, 1, 11, 59, tzinfo=dt.UTC)) == []
    assert digest_recipients(now=dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)) == [tenancy.alice.pk]


def test_it_never_emails_when_off(tenancy, sends, digest_any_hour):
    _prefer(tenancy.bob, Email.OFF)
    sends(notify, organization=tenancy.org_a, users=[tenancy.bob], kind="t", title="Quiet")
    assert tasks.notification_digests_dispatch.delay().get() == 0
    assert digest_recipients(now=timezone.now() + dt.timedelta(days=3)) == []
    assert mail.outbox == []
    assert [n.title for n in _notifications(tenancy.bob)] == ["Quiet"]


def test_it_leaves_a_notification_for_the_retry_when_smtp_fails(tenancy):
    notification = make_notification(tenancy.org_a, tenancy.alice)
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        notification_email(notification_id=notification.pk)
    assert _notifications(tenancy.alice)[0].emailed_at is None
    assert OSError in tasks.notification_send_email.autoretry_for
    assert notification_email(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_it_leaves_the_digest_for_the_retry_when_smtp_fails(tenancy, digest_any_hour):
    _prefer(tenancy.alice, Email.DIGEST)
    make_notification(tenancy.org_a, tenancy.alice)
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        digest_send(user=tenancy.alice)
    assert _notifications(tenancy.alice)[0].emailed_at is None
    assert digest_recipients() == [tenancy.alice.pk]
    assert digest_send(user=tenancy.alice) == 1


def _unread_badge(client, org) -> str | None:
    page = client.get(reverse("organization_home", kwargs={"org": org.slug}))
    match = re.search(rb'data-testid="unread-count">(\d+)<', page.content)
    return match.group(1).decode() if match else None


def test_it_counts_unread_in_the_bell_and_marks_them_read(tenancy, login):
    first = make_notification(tenancy.org_a, tenancy.alice, "First")
    make_notification(tenancy.org_a, tenancy.alice, "Second")
    make_notification(tenancy.org_b, tenancy.alice, "Elsewhere")  # another organisation's bell
    make_notification(tenancy.org_a, tenancy.bob, "Bob's")
    alice = login(tenancy.alice)
    read_url = reverse("notification_read", kwargs={"org": tenancy.org_a.slug})
    assert _unread_badge(alice, tenancy.org_a) == "2"
    alice.post(read_url, {"id": first.pk})
    assert _unread_badge(alice, tenancy.org_a) == "1"
    alice.post(read_url)
    assert _unread_badge(alice, tenancy.org_a) is None
    assert _unread_badge(login(tenancy.bob), tenancy.org_a) == "1"
    listing = alice.get(reverse("notification_list", kwargs={"org": tenancy.org_a.slug}))
    assert b"First" in listing.content and b"Bob&#x27;s" not in listing.content


def test_it_cannot_mark_someone_elses_notification(tenancy, login):
    bobs = make_notification(tenancy.org_a, tenancy.bob, "Bob's", url="/o/org-a/members/")
    response = login(tenancy.alice).post(
        reverse("notification_read", kwargs={"org": tenancy.org_a.slug}), {"id": bobs.pk, "open": "1"}
    )
    assert response["Location"] == reverse("notification_list", kwargs={"org": tenancy.org_a.slug})
    with scope(organization=tenancy.org_a):
        bobs.refresh_from_db()
    assert bobs.read_at is None


@pytest.mark.parametrize(("url", "followed"), [("/o/org-a/w/1/", True), ("//evil.example/", False)])
def test_it_opens_only_a_link_of_this_site(url, followed, tenancy, login):
    notification = make_notification(tenancy.org_a, tenancy.alice, url=url)
    response = login(tenancy.alice).post(
        reverse("notification_read", kwargs={"org": tenancy.org_a.slug}), {"id": notification.pk, "open": "1"}
    )
    assert (response["Location"] == url) is followed
