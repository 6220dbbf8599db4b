"""Meta webhook events into the inbox, idempotent on redelivery."""

import json

from django_scopes import scope, scopes_disabled

from inbox.models import Direction, Message, Thread, ThreadKind
from networks.models import WebhookEvent
from networks.tests.factories import make_account
from networks.webhooks.services import webhook_event_process, webhook_events_store

COMMENT = {
    "object": "page",
    "entry": [
        {
            "id": "777",
            "time": 1764500000,
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "comment_id": "555_1",
                        "post_id": "777_555",
                        "parent_id": "777_555",
                        "from": {"id": "9001", "name": "Marie Dupont"},
                        "created_time": 1764500000,
                        "message": "Bonjour, la médiathèque est-elle ouverte dimanche ?",
                    },
                }
            ],
        }
    ],
}
MESSAGE = {
    "object": "page",
    "entry": [
        {
            "id": 777,
            "time": 1764500100000,
            "messaging": [
                {
                    "sender": {"id": 9002},
                    "recipient": {"id": 777},
                    "timestamp": 1764500100000,
                    "message": {"mid": "mid.1", "text": "Comment inscrire mon fils au centre de loisirs ?"},
                }
            ],
        }
    ],
}


def deliver(payload, celery_eager):
    for event in webhook_events_store(payload=json.loads(json.dumps(payload))):
        webhook_event_process(event_id=event.pk)


def test_it_stores_comments_and_messages_once_whatever_the_redeliveries(tenancy, celery_eager):
    account = make_account(tenancy.a1, network="facebook", external_id="777")
    for _ in range(2):
        deliver(COMMENT, celery_eager)
        deliver(MESSAGE, celery_eager)
    with scopes_disabled():
        assert WebhookEvent.objects.count() == 2
    with scope(organization=tenancy.org_a):
        threads = {t.kind: t for t in Thread.objects.filter(organization=tenancy.org_a, account=account)}
        assert set(threads) == {ThreadKind.COMMENT, ThreadKind.MESSAGE}
        assert threads[ThreadKind.MESSAGE].author_id == "9002"
        assert Message.objects.filter(organization=tenancy.org_a, direction=Direction.IN).count() == 2


def test_it_marks_a_removed_comment(tenancy, celery_eager):
    make_account(tenancy.a1, network="facebook", external_id="777")
    deliver(COMMENT, celery_eager)
    removed = json.loads(json.dumps(COMMENT))
    removed["entry"][0]["changes"][0]["value"]["verb"] = "remove"
    deliver(removed, celery_eager)
    with scope(organization=tenancy.org_a):
        assert Message.objects.get(organization=tenancy.org_a, external_id="555_1").is_deleted


def test_it_reads_an_instagram_mention_the_webhook_named(tenancy, engine, celery_eager):
    import datetime as dt

    from inbox.tests.conftest import sim_account
    from networks.models import SyncKind
    from networks.simulator.generator import meta
    from networks.simulator.world import BOULOGNE, DEFAULT_SEED
    from networks.sync.engine import account_sync
    from networks.sync.schedules import schedules_ensure

    account = sim_account(tenancy.a1, engine, "instagram")
    with scope(organization=tenancy.org_a):
        schedules_ensure(account=account, backfill=False)
    day = engine.now.date() - dt.timedelta(days=1)
    media = next(m for d in range(30) for m in meta.tagged_day(DEFAULT_SEED, BOULOGNE, day - dt.timedelta(days=d)))
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": BOULOGNE.ig_user_id,
                "time": 1764500000,
                "changes": [{"field": "mentions", "value": {"media_id": media.id}}],
            }
        ],
    }
    deliver(payload, celery_eager)
    runs = account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=[SyncKind.CONVERSATIONS])
    assert runs[0].status == "ok", runs[0].error
    with scope(organization=tenancy.org_a):
        thread = Thread.objects.get(organization=tenancy.org_a, account=account, external_id=media.id)
        assert thread.kind == ThreadKind.MENTION and f"@{BOULOGNE.ig_username}" in thread.subject
