"""Answering and moderating through the providers against the simulator; reply windows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from accounts.models import AuditEvent
from analytics.factstore import DatabaseFactStore
from inbox.models import Direction, Message, ModerationAction, Thread, ThreadKind, ThreadStatus
from inbox.services.threads import messages_moderate, reply_send
from inbox.tests.conftest import make_thread, sim_account, utc
from inbox.windows import reply_window
from networks.models import SyncKind
from networks.sync.engine import account_sync
from networks.sync.factstore import register_fact_store
from networks.tests.factories import make_account


@pytest.fixture(autouse=True)
def _database_facts():
    register_fact_store(DatabaseFactStore())


def test_it_applies_metas_reply_windows(tenancy):
    account = make_account(tenancy.a1, network="facebook", external_id="p1")
    thread = make_thread(tenancy.a1, account, key="u1", kind=ThreadKind.MESSAGE, inbound=[utc(2026, 11, 20, 9)])
    assert reply_window(thread, utc(2026, 11, 21, 8)).closes_at == utc(2026, 11, 21, 9)
    late = reply_window(thread, utc(2026, 11, 22, 9))
    assert late.can_reply and late.human_agent and late.closes_at == utc(2026, 11, 27, 9)
    assert not reply_window(thread, utc(2026, 11, 28, 9)).can_reply


def test_it_applies_xs_reply_restriction(tenancy):
    account = make_account(tenancy.a1, network="x", external_id="42", handle="ville")
    mention = make_thread(tenancy.a1, account, key="m1", kind=ThreadKind.MENTION, inbound=[utc(2026, 11, 20, 9)])
    with scope(organization=tenancy.org_a):
        Thread.objects.filter(pk=mention.pk).update(subject="Bonjour @ville, une question")
        mention.refresh_from_db()
    assert reply_window(mention, utc(2026, 11, 30), handle="ville").can_reply
    assert not reply_window(mention, utc(2026, 11, 30), handle="autre").can_reply


def _synced(tenancy, engine, network):
    account = sim_account(tenancy.a1, engine, network)
    account_sync(
        organization_id=account.organization_id, account_id=account.pk, kinds=[SyncKind.POSTS, SyncKind.CONVERSATIONS]
    )
    return account


@pytest.mark.parametrize("network", ["facebook", "instagram"])
def test_it_answers_a_comment_on_the_network_and_records_it(tenancy, engine, network):
    account = _synced(tenancy, engine, network)
    with scope(organization=tenancy.org_a):
        thread = Thread.objects.filter(organization=tenancy.org_a, account=account, kind=ThreadKind.COMMENT).first()
        message = reply_send(thread=thread, user=tenancy.alice, text="Bonjour, la piscine ouvre à 9 h.")
        thread.refresh_from_db()
        assert message.direction == Direction.OUT and message.sent_by == tenancy.alice
        assert thread.status == ThreadStatus.ANSWERED
        count = Message.objects.filter(organization=tenancy.org_a, account=account).count()
    # The network lists the answer now; the next sync does not duplicate it.
    account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=[SyncKind.CONVERSATIONS])
    with scope(organization=tenancy.org_a):
        assert Message.objects.filter(organization=tenancy.org_a, account=account).count() == count
        assert Message.objects.filter(organization=tenancy.org_a, external_id=message.external_id).count() == 1


def test_it_sends_a_private_message_within_the_window(tenancy, engine):
    account = _synced(tenancy, engine, "facebook")
    now = engine.now
    with scope(organization=tenancy.org_a):
        threads = Thread.objects.filter(organization=tenancy.org_a, account=account, kind=ThreadKind.MESSAGE)
        recent = threads.filter(last_inbound_at__gte=now - dt.timedelta(hours=20)).first()
        message = reply_send(thread=recent, user=tenancy.alice, text="Nous transmettons au service Enfance.")
        assert message.external_id.startswith("m_")
        old = threads.filter(last_inbound_at__lt=now - dt.timedelta(days=8)).first()
        if old is not None:
            with pytest.raises(ValidationError):
                reply_send(thread=old, user=tenancy.alice, text="Trop tard ?")


def test_it_moderates_comments_with_a_reason_in_the_audit_log(tenancy, engine):
    account = _synced(tenancy, engine, "facebook")
    with scope(organization=tenancy.org_a):
        comments = list(
            Message.objects.filter(
                organization=tenancy.org_a, account=account, direction=Direction.IN, thread__kind=ThreadKind.COMMENT
            ).select_related("thread", "account")[:2]
        )
        with pytest.raises(ValidationError):
            messages_moderate(messages=comments, action="hide", reason="", actor=tenancy.alice)
        done = messages_moderate(messages=comments, action="hide", reason="Propos injurieux", actor=tenancy.alice)
        assert all(d.ok for d in done)
        assert all(m.is_hidden for m in Message.objects.filter(pk__in=[c.pk for c in comments]))
        deleted = messages_moderate(messages=comments[:1], action="delete", reason="Spam", actor=tenancy.alice)
        assert deleted[0].ok and ModerationAction.objects.filter(organization=tenancy.org_a).count() == 3
        events = AuditEvent.objects.filter(organization=tenancy.org_a, action__startswith="comment_")
        assert sorted(e.action for e in events) == ["comment_deleted", "comment_hidden", "comment_hidden"]
        assert events.filter(details__reason="Propos injurieux").count() == 2


def test_it_tells_people_once_when_a_thread_waits_past_the_target(tenancy, celery_eager):
    from accounts.models import Notification
    from inbox.services.overdue import overdue_notify

    account = make_account(tenancy.a1, network="facebook", external_id="p1")
    make_thread(tenancy.a1, account, key="late", inbound=[utc(2026, 11, 30, 8)])
    make_thread(tenancy.a1, account, key="fresh", inbound=[utc(2026, 11, 30, 11, 30)])
    with scope(organization=tenancy.org_a):
        assert overdue_notify(organization=tenancy.org_a, now=utc(2026, 11, 30, 12)) == 1
        assert overdue_notify(organization=tenancy.org_a, now=utc(2026, 11, 30, 12, 5)) == 0  # told once
        notes = Notification.objects.filter(organization=tenancy.org_a, kind="inbox_overdue")
        assert [n.user for n in notes] == [tenancy.alice]  # the owner may answer; bob and dana may not
