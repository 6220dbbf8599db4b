"""Meta webhooks: the handshake, signatures over the raw body, storage, idempotent redelivery,
each field's processing and tenancy — with the real payload samples of ../shared/apidata."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from networks.models import SocialAccount, SyncKind, SyncSchedule, WebhookEvent
from networks.tests.factories import make_account
from networks.tests.memory_store import memory_store
from networks.tests.recorded import APIDATA, NEEDS_SHARED
from networks.webhooks import services
from networks.webhooks.signatures import body_signature

SECRET = "test-app-secret"
VERIFY = "test-verify-token"
FB_WEBHOOKS = Path("facebook/_supplementary/restfb/webhooks")
IG_WEBHOOKS = Path("instagram/_supplementary/restfb/instagram")
URL = "/webhooks/meta/"


@pytest.fixture(autouse=True)
def meta_app(settings):
    settings.META_APP_SECRET = SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = VERIFY


@pytest.fixture
def store():
    with memory_store() as fake:
        yield fake


def sample(relative: Path | str) -> bytes:
    return (APIDATA / relative).read_bytes()


class Meta:
    """Meta's side of the wire: signed POSTs to the webhook, after which what the view queued on
    commit runs (the test's transaction never commits)."""

    def __init__(self, client, capture) -> None:
        self.client, self.capture = client, capture

    def post(self, body: bytes, signature: str | None = "valid"):
        headers = {}
        if signature == "valid":
            headers["HTTP_X_HUB_SIGNATURE_256"] = body_signature(body, SECRET)
        elif signature is not None:
            headers["HTTP_X_HUB_SIGNATURE_256"] = signature
        with self.capture(execute=True):
            return self.client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def meta(client, django_capture_on_commit_callbacks) -> Meta:
    return Meta(client, django_capture_on_commit_callbacks)


def events() -> list[WebhookEvent]:
    return list(WebhookEvent.objects.order_by("pk"))


def schedule(account: SocialAccount, kind: str, due_at: dt.datetime) -> SyncSchedule:
    with scope(organization=account.organization):
        return SyncSchedule.objects.create(organization=account.organization, account=account, kind=kind, due_at=due_at)


def due_at(account: SocialAccount) -> dict[str, dt.datetime | None]:
    with scope(organization=account.organization):
        return dict(SyncSchedule.objects.filter(account=account).values_list("kind", "due_at"))


def scheduled_account(workspace, network: str, external_id: str) -> SocialAccount:
    account = make_account(workspace, network=network, external_id=external_id, access_token="page-token")
    later = timezone.now() + dt.timedelta(hours=6)
    for kind in (SyncKind.POSTS, SyncKind.POST_METRICS, SyncKind.DAILY):
        schedule(account, kind, later)
    return account


# --- Verification handshake ------------------------------------------------------------------------


def test_it_answers_the_challenge_when_the_verify_token_matches(client):
    response = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_it_refuses_the_handshake_otherwise(client, params):
    assert client.get(URL, params).status_code == 403


def test_it_refuses_the_handshake_when_no_verify_token_is_configured(client, settings):
    settings.META_WEBHOOK_VERIFY_TOKEN = ""
    assert client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}).status_code == 403


# --- Signatures --------------------------------------------------------------------------------------


@NEEDS_SHARED
def test_it_stores_a_delivery_signed_over_its_raw_body(meta, db):
    response = meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    assert response.status_code == 200
    assert response.json() == {"received": 1}
    (event,) = events()
    assert (event.object, event.entry_id, event.field, event.status) == ("page", "1234567890321", "feed", "pending")
    assert event.payload["value"]["comment_id"] == "901097836652708_903438993085259"
    assert event.payload["time"] == 1449135003


@NEEDS_SHARED
@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "", "sha256="])
def test_it_refuses_a_delivery_without_a_valid_signature_and_records_nothing(meta, db, signature):
    response = meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"), signature=signature)
    assert response.status_code == 403
    assert events() == []


@NEEDS_SHARED
def test_it_refuses_a_signature_made_over_another_body(meta, db):
    body = sample(FB_WEBHOOKS / "feed-comment-add-211.json")
    tampered = body.replace(b"and the next one", b"and the next two")
    response = meta.post(tampered, signature=body_signature(body, SECRET))
    assert response.status_code == 403
    # Same JSON, other bytes (re-serialised): the signature covers the bytes, not the data.
    reencoded = json.dumps(json.loads(body)).encode()
    assert meta.post(reencoded, signature=body_signature(body, SECRET)).status_code == 403
    assert events() == []


def test_it_refuses_everything_when_no_app_secret_is_configured(meta, db, settings):
    settings.META_APP_SECRET = ""
    body = b'{"object": "page", "entry": []}'
    assert meta.post(body, signature=body_signature(body, "")).status_code == 403


def test_it_needs_no_login_nor_csrf_token(db, django_capture_on_commit_callbacks):
    body = b'{"object": "page", "entry": []}'
    response = Meta(Client(enforce_csrf_checks=True), django_capture_on_commit_callbacks).post(body)
    assert response.status_code == 200


def test_it_answers_400_to_a_signed_body_that_is_not_json(meta, db):
    assert meta.post(b"not json").status_code == 400


# --- Storage and idempotence ----------------------------------------------------------------------


@NEEDS_SHARED
def test_it_stores_each_change_of_a_batched_delivery(meta, db):
    meta.post(sample(FB_WEBHOOKS / "feed-two-entries-25.json"))
    assert [(e.entry_id, e.field) for e in events()] == [
        ("1234567890321", "parking"),
        ("1234567890321", "payment_options"),
    ]


@NEEDS_SHARED
def test_it_processes_a_redelivered_event_once(meta, tenancy, celery_eager, store):
    page = scheduled_account(tenancy.a1, "facebook", "1234567890321")
    body = sample(FB_WEBHOOKS / "feed-comment-add-211.json")
    for _ in range(3):
        assert meta.post(body).status_code == 200
    (event,) = events()
    assert event.status == "processed"
    processed_at = event.processed_at
    meta.post(body)
    event.refresh_from_db()
    assert event.processed_at == processed_at  # nothing ran again
    assert due_at(page)[SyncKind.POSTS] <= timezone.now()


@NEEDS_SHARED
def test_it_queues_a_pending_event_again_when_it_is_redelivered(meta, db, monkeypatch):
    from networks.webhooks import tasks

    queued = []
    monkeypatch.setattr(tasks.webhook_event_process_task, "delay", queued.append)
    body = sample(FB_WEBHOOKS / "feed-comment-add-211.json")
    meta.post(body)
    meta.post(body)
    (event,) = events()
    assert queued == [event.pk, event.pk]  # a lost first message is recovered by the redelivery


def test_it_sweeps_events_whose_message_was_lost(db, monkeypatch):
    from networks.webhooks import tasks

    old = WebhookEvent.objects.create(
        object="page",
        entry_id="1",
        field="feed",
        payload={},
        dedup_key="a",
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    WebhookEvent.objects.create(object="page", entry_id="1", field="feed", payload={}, dedup_key="b")
    WebhookEvent.objects.create(
        object="page",
        entry_id="1",
        field="feed",
        payload={},
        dedup_key="c",
        status="processed",
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    queued = []
    monkeypatch.setattr(tasks.webhook_event_process_task, "delay", queued.append)
    assert tasks.webhook_events_sweep() == 1
    assert queued == [old.pk]


# --- Each field ------------------------------------------------------------------------------------


@NEEDS_SHARED
@pytest.mark.parametrize(
    "name", ["feed-comment-add-211.json", "feed-reaction-add.json", "feed-post-add-25.json", "feed-status-add-25.json"]
)
def test_it_queues_the_page_posts_sync_for_feed_changes(meta, tenancy, celery_eager, store, name):
    page = scheduled_account(tenancy.a1, "facebook", "1234567890321")
    before = timezone.now()
    meta.post(sample(FB_WEBHOOKS / name))
    (event,) = events()
    # The inbox's part follows the sync's (inbox/tests/test_webhooks.py tests what it stores).
    assert event.status == "processed" and event.outcome.startswith("posts sync queued; inbox: ")
    due = due_at(page)
    assert before <= due[SyncKind.POSTS] <= timezone.now()
    assert before <= due[SyncKind.POST_METRICS] <= timezone.now()
    assert due[SyncKind.DAILY] > timezone.now()  # only what a feed change affects


@NEEDS_SHARED
def test_it_makes_the_changed_post_due_first(meta, tenancy, celery_eager, store, monkeypatch):
    scheduled_account(tenancy.a1, "facebook", "1234567890321")
    calls = []
    monkeypatch.setattr(store, "schedule_posts", lambda account, next_refresh: calls.append(dict(next_refresh)))
    meta.post(sample(FB_WEBHOOKS / "feed-reaction-add.json"))
    assert [list(c) for c in calls] == [["1234567890321_98735342324352"]]


@NEEDS_SHARED
def test_it_schedules_an_account_the_engine_has_not_scheduled_yet(meta, tenancy, celery_eager, store):
    account = make_account(tenancy.a1, network="facebook", external_id="1234567890321")
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    assert events()[0].outcome.startswith("posts sync queued; inbox: ")
    assert due_at(account)[SyncKind.POSTS] <= timezone.now()


@NEEDS_SHARED
@pytest.mark.parametrize("name", ["wh-comments-2021.json", "wh-comments.json"])
def test_it_queues_post_metrics_and_keeps_instagram_comments(meta, tenancy, celery_eager, store, name):
    instagram = scheduled_account(tenancy.a1, "instagram", "0")
    meta.post(sample(IG_WEBHOOKS / name))
    (event,) = events()
    assert event.status == "processed"
    assert event.outcome.startswith("post metrics sync queued; inbox: ")
    assert event.payload["value"]["text"] == "This is an example."
    assert due_at(instagram)[SyncKind.POST_METRICS] <= timezone.now()


@NEEDS_SHARED
@pytest.mark.parametrize(
    ("relative", "network", "external_id", "field"),
    [
        (IG_WEBHOOKS / "wh-mentions.json", "instagram", "0", "mentions"),
        (FB_WEBHOOKS / "messaging-message-basic.json", "facebook", "12345654332", "messages"),
        (FB_WEBHOOKS / "messaging-message-media-attachment.json", "facebook", None, "messages"),
    ],
)
def test_it_hands_mentions_and_messages_to_the_inbox(  # noqa: PLR0917 (parametrised)
    meta, tenancy, celery_eager, store, relative, network, external_id, field
):
    body = sample(relative)
    entry_id = str(json.loads(body)["entry"][0]["id"])
    account = scheduled_account(tenancy.a1, network, external_id or entry_id)
    meta.post(body)
    (event,) = events()
    assert (event.field, event.status) == (field, "processed")
    assert event.outcome.startswith("inbox: ") and event.outcome.endswith("(1 account(s))")
    assert due_at(account)[SyncKind.POSTS] > timezone.now()  # no sync for a message


@NEEDS_SHARED
@pytest.mark.parametrize(
    ("relative", "field"),
    [
        (FB_WEBHOOKS / "messaging-read-basic.json", "message_reads"),
        (FB_WEBHOOKS / "messaging-delivery-basic.json", "message_deliveries"),
        (FB_WEBHOOKS / "messaging-postback-basic.json", "messaging_postbacks"),
        (IG_WEBHOOKS / "wh-story_insights.json", "story_insights"),
    ],
)
def test_it_stores_and_ignores_fields_we_do_not_subscribe(  # noqa: PLR0917 (parametrised)
    meta, tenancy, celery_eager, store, relative, field
):
    body = sample(relative)
    scheduled_account(tenancy.a1, "facebook", str(json.loads(body)["entry"][0]["id"]))
    meta.post(body)
    (event,) = events()
    assert (event.field, event.status) == (field, "ignored")
    assert event.outcome.startswith("ignored:")


@NEEDS_SHARED
def test_it_ignores_an_event_for_an_account_nobody_connected(meta, db, celery_eager, store):
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    assert events()[0].outcome == "ignored: no active connected account with this id"


@NEEDS_SHARED
def test_it_records_a_failure_and_lets_the_task_retry(meta, tenancy, store, monkeypatch):
    scheduled_account(tenancy.a1, "facebook", "1234567890321")
    monkeypatch.setitem(services.HANDLERS, ("page", "feed"), lambda account, value: 1 / 0)
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    (event,) = events()
    with pytest.raises(ZeroDivisionError):
        services.webhook_event_process(event_id=event.pk)
    event.refresh_from_db()
    assert (event.status, event.error) == ("failed", "ZeroDivisionError: division by zero")
    monkeypatch.undo()
    services.webhook_event_process(event_id=event.pk)  # the retry
    event.refresh_from_db()
    assert (event.status, event.error) == ("processed", "")


# --- Tenancy ----------------------------------------------------------------------------------------


@NEEDS_SHARED
def test_it_never_touches_another_organisation_for_an_event_about_one_page(meta, tenancy, celery_eager, store):
    page_a = scheduled_account(tenancy.a1, "facebook", "1234567890321")
    other_b = scheduled_account(tenancy.b1, "facebook", "999999999999")
    before_b = due_at(other_b)
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    assert due_at(page_a)[SyncKind.POSTS] <= timezone.now()
    assert due_at(other_b) == before_b


@NEEDS_SHARED
def test_it_reaches_every_organisation_that_connected_the_same_page(meta, tenancy, celery_eager, store):
    page_a = scheduled_account(tenancy.a1, "facebook", "1234567890321")
    page_b = scheduled_account(tenancy.b1, "facebook", "1234567890321")
    disconnected = scheduled_account(tenancy.a2, "instagram", "1234567890321")  # another network
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    assert events()[0].outcome.startswith("posts sync queued; inbox: ")
    assert events()[0].outcome.endswith("(2 account(s))")
    assert due_at(page_a)[SyncKind.POSTS] <= timezone.now()
    assert due_at(page_b)[SyncKind.POSTS] <= timezone.now()
    assert due_at(disconnected)[SyncKind.POSTS] > timezone.now()


def test_it_processes_events_without_an_active_scope(tenancy, store):
    # The task runs outside any scope: the service enters each organisation's scope itself.
    account = scheduled_account(tenancy.a1, "facebook", "42")
    event = WebhookEvent.objects.create(
        object="page", entry_id="42", field="feed", payload={"value": {"item": "status"}}, dedup_key="x"
    )
    services.webhook_event_process(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == "processed"
    assert due_at(account)[SyncKind.POSTS] <= timezone.now()


# --- Admin ------------------------------------------------------------------------------------------


@NEEDS_SHARED
def test_it_shows_events_to_platform_admins(meta, client, db, django_user_model):
    meta.post(sample(FB_WEBHOOKS / "feed-comment-add-211.json"))
    admin_user = django_user_model.objects.create_superuser(email="root@example.com", password="x" * 12)
    client.force_login(admin_user)
    assert client.get(reverse("admin:networks_webhookevent_changelist")).status_code == 200
    event = events()[0]
    assert client.get(reverse("admin:networks_webhookevent_change", args=[event.pk])).status_code == 200


@NEEDS_SHARED
def test_it_makes_the_reacted_post_due_in_the_real_fact_store(
    meta, tenancy, celery_eager, simulated_networks, settings
):
    from networks.providers.facebook.provider import FacebookProvider
    from networks.sync.factstore import fact_store

    settings.META_APP_SECRET = SECRET  # simulated_networks set its own
    token = simulated_networks.page_token("boulogne")
    page = scheduled_account(tenancy.a1, "facebook", "100000000000001")
    posts = FacebookProvider(external_id=page.external_id, access_token=token).posts().items
    real = fact_store()
    real.save_posts(page, posts, timezone.now() - dt.timedelta(hours=1))
    real.schedule_posts(page, {post.external_id: None for post in posts})  # none due
    reacted = posts[5].external_id
    body = json.loads(sample(FB_WEBHOOKS / "feed-reaction-add.json"))
    body["entry"][0]["id"] = page.external_id
    body["entry"][0]["changes"][0]["value"]["post_id"] = reacted
    meta.post(json.dumps(body).encode())
    assert [due.external_id for due in real.posts_due(page, timezone.now(), 10)] == [reacted]


def test_it_purges_settled_events_past_their_retention_but_never_pending_ones(db, settings):
    import datetime as dt

    from django.utils import timezone

    from networks.models import WebhookEvent
    from networks.webhooks.retention import webhook_events_purge

    settings.WEBHOOK_EVENT_RETENTION_DAYS = 30
    now = timezone.now()

    def event(key: str, status: str, age_days: float) -> None:
        WebhookEvent.objects.create(
            object="page",
            entry_id="1",
            field="feed",
            payload={},
            dedup_key=key,
            status=status,
            received_at=now - dt.timedelta(days=age_days),
        )

    event("old-processed", WebhookEvent.Status.PROCESSED, 31)
    event("old-failed", WebhookEvent.Status.FAILED, 40)
    event("old-pending", WebhookEvent.Status.PENDING, 90)
    event("recent-processed", WebhookEvent.Status.PROCESSED, 29)
    assert webhook_events_purge(now=now) == 2
    assert set(WebhookEvent.objects.values_list("dedup_key", flat=True)) == {"old-pending", "recent-processed"}
    # A retention below Meta's retry window would forget an event before its redelivery.
    settings.WEBHOOK_EVENT_RETENTION_DAYS = 0
    event("yesterday", WebhookEvent.Status.PROCESSED, 1)
    assert webhook_events_purge(now=now) == 1  # only the 29-day-old one (older than 2 days)
    assert set(WebhookEvent.objects.values_list("dedup_key", flat=True)) == {"old-pending", "yesterday"}
