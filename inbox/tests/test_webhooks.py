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
