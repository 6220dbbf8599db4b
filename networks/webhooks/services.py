"""Writes of the webhooks and Meta callbacks: store events, process them, act on deauthorisations
and data-deletion requests.

Meta names a Page, an Instagram account or a Facebook user — never an organisation — so each of
these first finds the accounts concerned across every tenant, inside an explicit
``scopes_disabled()`` block (the escape hatch, greppable), then acts on each account inside its
own organisation's scope.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from accounts.models import Organization, Role
from accounts.selectors import members_of
from accounts.services.notifications import notify
from networks.models import (
    DataDeletionRequest,
    MetaUserGrant,
    Network,
    SocialAccount,
    SyncKind,
    SyncSchedule,
    WebhookEvent,
)
from networks.services.accounts import account_delete, account_mark_needs_reauth
from networks.sync.clock import network_now
from networks.sync.conversations import inbox_store
from networks.sync.factstore import fact_store
from networks.sync.schedules import schedules_ensure
from networks.vault import tokens_delete

logger = logging.getLogger(__name__)

# The webhook objects we subscribe to, and the network of the accounts their entry ids name.
OBJECT_NETWORKS = {"page": Network.FACEBOOK, "instagram": Network.INSTAGRAM}
# Messenger (and Instagram messaging) events come as entry[].messaging[] items: their webhook
# field is named after the item's kind. https://developers.facebook.com/docs/messenger-platform/webhooks
MESSAGING_FIELDS = {
    "message": "messages",
    "read": "message_reads",
    "delivery": "message_deliveries",
    "postback": "messaging_postbacks",
    "reaction": "message_reactions",
}
# Who hears that an account lost its access or was erased at a Facebook user's request.
NOTIFIED_ROLES = (Role.OWNER, Role.ADMIN, Role.MANAGER)


# --- Storing deliveries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    object: str
    entry_id: str
    time: int | None
    field: str
    value: object

    @property
    def dedup_key(self) -> str:
        canonical = json.dumps(
            [self.object, self.entry_id, self.time, self.field, self.value], sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _messaging_field(item: dict) -> str:
    if isinstance(item.get("message"), dict) and item["message"].get("is_echo"):
        return "message_echoes"
    return next((field for key, field in MESSAGING_FIELDS.items() if key in item), "messaging")


def changes_of(payload: object) -> Iterator[Change]:
    """Every change of a delivery: ``entry[].changes[]`` (feed, comments, mentions…) and
    ``entry[].messaging[]`` (Messenger). Meta batches several entries, and several changes per
    entry, in one POST."""
    if not isinstance(payload, dict):
        return
    obj = str(payload.get("object", ""))
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        # Messenger samples send ids as JSON numbers, feed ones as strings.
        entry_id, time = str(entry.get("id", "")), entry.get("time")
        for change in entry.get("changes") or []:
            if isinstance(change, dict):
                yield Change(obj, entry_id, time, str(change.get("field", "")), change.get("value"))
        for item in entry.get("messaging") or []:
            if isinstance(item, dict):
                yield Change(obj, entry_id, time, _messaging_field(item), item)


@transaction.atomic
def webhook_events_store(*, payload: object) -> list[WebhookEvent]:
    """Store each change of a verified delivery once, and queue the processing of those not done
    yet (a redelivered change that is still pending is queued again: its first message may have
    been lost). Returns the stored events, new or redelivered."""
    from networks.webhooks.tasks import webhook_event_process_task  # tasks import services

    events = []
    for change in changes_of(payload):
        event, _created = WebhookEvent.objects.get_or_create(
            dedup_key=change.dedup_key,
            defaults={
                "object": change.object[:32],
                "entry_id": change.entry_id[:64],
                "field": change.field[:64],
                "payload": {"time": change.time, "value": change.value},
            },
        )
        events.append(event)
        if event.status == WebhookEvent.Status.PENDING:
            transaction.on_commit(lambda pk=event.pk: webhook_event_process_task.delay(pk))
    return events


# --- Processing ---------------------------------------------------------------------------------


def _active_accounts(network: str, external_id: str) -> list[tuple[int, int]]:
    """(organisation id, account id) of every active account with this id on this network."""
    # Explicit escape hatch: a webhook names a Page or Instagram id, which any tenant may have
    # connected; each match is then handled inside its own organisation's scope.
    with scopes_disabled():
        return list(
            SocialAccount.objects.filter(
                network=network, external_id=external_id, status=SocialAccount.Status.ACTIVE
            ).values_list("organization_id", "pk")
        )


def _refresh_soon(account: SocialAccount, post_ids: list[str]) -> None:
    """Ask the sync engine for the account's new posts and these posts' metrics now: its posts and
    post-metrics schedules become due (the dispatcher queues due schedules every minute), and
    these posts are the first due ones."""
    now = network_now()  # the engine's clock (the simulator's during the demo's replay)
    due = SyncSchedule.objects.filter(
        organization=account.organization_id, account=account, kind__in=[SyncKind.POSTS, SyncKind.POST_METRICS]
    )
    if not due.exists():
        schedules_ensure(account=account)  # connected before the engine ran: all due now
    due.update(due_at=now)
    if post_ids:
        fact_store().schedule_posts(account, dict.fromkeys(post_ids, now))


def _feed(account: SocialAccount, value: dict) -> str:
    # A post, comment, reaction or share on the Page changes its posts or their counts.
    post_id = str(value.get("post_id") or "")
    _refresh_soon(account, [post_id] if post_id else [])
    return "posts sync queued"


def _instagram_comment(account: SocialAccount, value: dict) -> str:
    media = value.get("media") if isinstance(value.get("media"), dict) else {}
    media_id = str(media.get("id") or "")
    _refresh_soon(account, [media_id] if media_id else [])
    return "post metrics sync queued"


def _to_inbox(obj: str, field: str, first: Callable[[SocialAccount, dict], str] | None = None):
    """Comments, mentions and messages go to the inbox (registered by the inbox app, like the fact
    store: networks does not import it), after ``first`` (the sync refresh a change asks for)."""

    def handle(account: SocialAccount, value: dict) -> str:
        outcomes = [first(account, value)] if first else []
        store = inbox_store()
        outcomes.append(store.webhook_change(account, obj, field, value) if store else "stored, no inbox installed")
        return "; ".join(outcomes)

    return handle


HANDLERS: dict[tuple[str, str], Callable[[SocialAccount, dict], str]] = {
    ("page", "feed"): _to_inbox("page", "feed", _feed),
    ("page", "mention"): _to_inbox("page", "mention"),
    ("page", "messages"): _to_inbox("page", "messages"),
    ("page", "message_echoes"): _to_inbox("page", "message_echoes"),
    ("instagram", "comments"): _to_inbox("instagram", "comments", _instagram_comment),
    ("instagram", "mentions"): _to_inbox("instagram", "mentions"),
    ("instagram", "messages"): _to_inbox("instagram", "messages"),
    ("instagram", "message_echoes"): _to_inbox("instagram", "message_echoes"),
}


def _finish(event: WebhookEvent, status: str, outcome: str, error: str = "") -> None:
    event.status, event.outcome, event.error = status, outcome[:255], error
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "outcome", "error", "processed_at"])


def webhook_event_process(*, event_id: int) -> WebhookEvent | None:
    """Act on one stored event. Done events are left alone; running twice is harmless (it makes
    the same schedules due again), so a duplicate task delivery needs no claim."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None or event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED):
        return event
    handler = HANDLERS.get((event.object, event.field))
    if handler is None:
        _finish(event, WebhookEvent.Status.IGNORED, f"ignored: {event.object}/{event.field} is not subscribed")
        return event
    value = event.payload.get("value") if isinstance(event.payload.get("value"), dict) else {}
    targets = _active_accounts(OBJECT_NETWORKS[event.object], event.entry_id)
    if not targets:
        _finish(event, WebhookEvent.Status.IGNORED, "ignored: no active connected account with this id")
        return event
    outcomes: set[str] = set()
    try:
        for organization_id, account_id in targets:
            organization = Organization.objects.get(pk=organization_id)
            with scope(organization=organization), transaction.atomic():
                account = SocialAccount.objects.get(organization=organization, pk=account_id)
                outcomes.add(handler(account, value))
    except Exception as error:
        # Recorded for admins, then raised again so the task retries it (the event stays failed
        # and is processed again by the retry).
        _finish(event, WebhookEvent.Status.FAILED, "failed", f"{type(error).__name__}: {error}")
        raise
    _finish(event, WebhookEvent.Status.PROCESSED, f"{'; '.join(sorted(outcomes))} ({len(targets)} account(s))")
    return event


def webhook_events_pending(*, older_than: dt.timedelta) -> list[int]:
    """Events still pending a while after they arrived (their message was lost): to queue again."""
    cutoff = timezone.now() - older_than
    return list(
        WebhookEvent.objects.filter(status=WebhookEvent.Status.PENDING, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:1000]
    )


# --- Who granted what (recorded by the connect flow) --------------------------------------------


@transaction.atomic
def meta_user_grant_record(*, account: SocialAccount, facebook_user_id: str) -> MetaUserGrant:
    """Remember that this Facebook user's login gave ``account`` its current tokens."""
    grant, _created = MetaUserGrant.objects.update_or_create(
        organization_id=account.organization_id,
        account=account,
        facebook_user_id=facebook_user_id,
        defaults={"granted_at": timezone.now()},
    )
    return grant


def _grants_of(facebook_user_id: str) -> dict[int, list[int]]:
    """{organisation id: [account ids]} of every account this Facebook user granted."""
    # Explicit escape hatch: Meta's callbacks name a Facebook user, who may have connected
    # accounts in several organisations; each is then handled inside its own scope.
    with scopes_disabled():
        rows = MetaUserGrant.objects.filter(facebook_user_id=facebook_user_id).values_list(
            "organization_id", "account_id"
        )
        found: dict[int, list[int]] = {}
        for organization_id, account_id in rows:
            found.setdefault(organization_id, []).append(account_id)
        return found


def _current_granter(account: SocialAccount) -> str | None:
    """The Facebook user whose login the account's current tokens come from (the latest grant)."""
    latest = MetaUserGrant.objects.filter(organization=account.organization_id, account=account).aggregate(
        at=Max("granted_at")
    )["at"]
    grant = MetaUserGrant.objects.filter(
        organization=account.organization_id, account=account, granted_at=latest
    ).first()
    return grant.facebook_user_id if grant else None


def _cut_off(account: SocialAccount, reason: str) -> int:
    """Tokens forgotten and the account marked for reconnecting (its people are notified)."""
    deleted = tokens_delete(account=account)
    account_mark_needs_reauth(account=account, error=reason)
    return deleted


@transaction.atomic
def meta_user_deauthorize(*, facebook_user_id: str) -> dict[str, int]:
    """The person removed Over-Graph from their Facebook account: every token their login gave is
    now refused by Meta. Accounts whose current tokens came from them lose those tokens and need
    reconnecting (owners, admins and managers are told); their history stays. Returns counts."""
    summary = {"accounts_disconnected": 0, "tokens_deleted": 0}
    reason = "The Facebook user who connected this account removed Over-Graph's access."
    for organization_id, account_ids in _grants_of(facebook_user_id).items():
        organization = Organization.objects.get(pk=organization_id)
        with scope(organization=organization):
            for account in SocialAccount.objects.filter(organization=organization, pk__in=account_ids):
                if _current_granter(account) != facebook_user_id:
                    continue  # reconnected since by someone else: their tokens still work
                summary["tokens_deleted"] += _cut_off(account, reason)
                summary["accounts_disconnected"] += 1
    return summary


def _notify_erased(organization: Organization, names: list[str]) -> None:
    notify(
        organization=organization,
        users=[m.user for m in members_of(organization).filter(role__in=NOTIFIED_ROLES)],
        kind="account_erased",
        title=_("Accounts deleted at their owner's request"),
        body=_(
            "The Facebook user who connected %(accounts)s asked Meta to delete their data. Over-Graph "
            "deleted these accounts and their statistics. Connect them again to start a new history."
        )
        % {"accounts": ", ".join(names)},
        url=reverse("organization_home", kwargs={"org": organization.slug}),
    )


def user_hash(facebook_user_id: str) -> str:
    """A keyed hash that recognises a repeated request without keeping the person's id."""
    return hmac.new(settings.SECRET_KEY.encode(), f"meta-user:{facebook_user_id}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def meta_user_data_delete(*, facebook_user_id: str) -> DataDeletionRequest:
    """Delete what we keep about a Facebook user (docs/webhooks.md, "Data deletion"):

    * their tokens: accounts whose current tokens came from their login lose them and need
      reconnecting;
    * accounts only they ever connected (in an organisation): deleted with their statistics;
      an account someone else also connected keeps its history (the data is the Page's, and
      another person vouched for it);
    * the record that they connected anything.

    Records a DataDeletionRequest (counts only) whose code Meta shows to the person."""
    summary = {"tokens_deleted": 0, "accounts_disconnected": 0, "accounts_deleted": 0}
    reason = "The Facebook user who connected this account asked Meta to delete their data."
    for organization_id, account_ids in _grants_of(facebook_user_id).items():
        organization = Organization.objects.get(pk=organization_id)
        erased: list[str] = []
        with scope(organization=organization):
            for account in SocialAccount.objects.filter(organization=organization, pk__in=account_ids):
                grants = MetaUserGrant.objects.filter(organization=organization, account=account)
                if not grants.exclude(facebook_user_id=facebook_user_id).exists():
                    summary["tokens_deleted"] += tokens_delete(account=account)
                    erased.append(account.display_name)
                    account_delete(
                        account=account, reason="Meta data deletion request"
                    )  # cascades: tokens, grants, facts
                    summary["accounts_deleted"] += 1
                    continue
                if _current_granter(account) == facebook_user_id:
                    summary["tokens_deleted"] += _cut_off(account, reason)
                    summary["accounts_disconnected"] += 1
                grants.filter(facebook_user_id=facebook_user_id).delete()
            if erased:
                _notify_erased(organization, erased)
    return DataDeletionRequest.objects.create(
        confirmation_code=secrets.token_hex(8),
        user_hash=user_hash(facebook_user_id),
        status=DataDeletionRequest.Status.COMPLETED,
        completed_at=timezone.now(),
        summary=summary,
    )


def deletion_status_url(request: DataDeletionRequest) -> str:
    path = reverse("webhooks_meta_deletion_status", kwargs={"code": request.confirmation_code})
    return settings.SITE_URL.rstrip("/") + path
