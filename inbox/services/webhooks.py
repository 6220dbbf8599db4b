"""Meta webhook changes into the inbox (real time), in the shapes Meta sends:

* ``page`` / ``feed`` with ``item: comment``: ``verb`` add (a comment), edited, remove, hide,
  unhide; ``created_time`` in Unix seconds.
* ``page`` / ``mention``: ``item: post`` (a post mentioning the Page) or ``comment``.
* ``page`` and ``instagram`` / ``messages``: a Messenger or Instagram Direct message
  (``sender``, ``recipient``, ``timestamp`` in ms, ``message.mid``, ``message.text``); an echo
  (``message.is_echo``) is the account's own message.
* ``instagram`` / ``comments``: ``id``, ``text``, ``from``, ``media.id``, ``parent_id``.
* ``instagram`` / ``mentions``: only ids (``media_id``, ``comment_id``): kept for the
  conversations sync, made due now, which reads them.

Redelivery is harmless: messages are upserted on their network ids.
"""

import datetime as dt

from analytics.factcache import texts_changed
from inbox.models import Message
from inbox.services.ingest import comments_save, conversations_save, mentions_save, threads_refresh
from networks.models import SocialAccount, SyncKind, SyncSchedule
from networks.providers.base import Comment, Conversation, Post, PostKind
from networks.providers.base import Message as NetworkMessage
from networks.sync.clock import network_now


def _time(value, *, milliseconds: bool = False) -> dt.datetime:
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000 if milliseconds else value, tz=dt.UTC)
    if isinstance(value, str) and value:
        try:
            return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(dt.UTC)
        except ValueError:
            pass
    return network_now()


def _mark(account: SocialAccount, external_id: str, **values) -> str:
    messages = list(
        Message.objects.filter(organization=account.organization_id, account=account, external_id=external_id)
    )
    for message in messages:
        for name, value in values.items():
            setattr(message, name, value)
        message.save(update_fields=list(values))
    if messages:
        texts_changed(account.organization_id)
    threads_refresh(organization_id=account.organization_id, thread_ids={m.thread_id for m in messages})
    return f"inbox: comment {', '.join(f'{k}={v}' for k, v in values.items())}"


def feed_change(account: SocialAccount, value: dict) -> str:
    if value.get("item") != "comment":
        return "inbox: not a comment"
    comment_id = str(value.get("comment_id") or "")
    verb = value.get("verb")
    if not comment_id:
        return "inbox: no comment id"
    if verb == "remove":
        return _mark(account, comment_id, is_deleted=True)
    if verb in ("hide", "unhide"):
        return _mark(account, comment_id, is_hidden=verb == "hide")
    if verb not in ("add", "edited"):
        return f"inbox: {verb} ignored"
    post_id = str(value.get("post_id") or "")
    parent = str(value.get("parent_id") or "")
    author = value.get("from") or {}
    comment = Comment(
        external_id=comment_id,
        post_external_id=post_id,
        text=str(value.get("message") or ""),
        published_at=_time(value.get("created_time")),
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
        parent_id="" if parent in ("", post_id) else parent,
    )
    return f"inbox: {comments_save(account=account, post_external_id=post_id, comments=[comment])} comment(s) stored"


def mention_change(account: SocialAccount, value: dict) -> str:
    if value.get("verb", "add") != "add":
        return "inbox: mention change ignored"
    item_id = str(value.get("comment_id") or value.get("post_id") or "")
    if not item_id:
        return "inbox: no mention id"
    author = value.get("from") or {}
    post = Post(
        external_id=item_id,
        published_at=_time(value.get("created_time")),
        kind=PostKind.ORIGINAL,
        content_type="text",
        text=str(value.get("message") or ""),
        permalink=f"https://www.facebook.com/{item_id}",
        author_id=str(author.get("id") or ""),
        author_handle=str(author.get("name") or ""),
    )
    return f"inbox: {mentions_save(account=account, posts=[post])} mention(s) stored"


def message_change(account: SocialAccount, value: dict) -> str:
    message = value.get("message") if isinstance(value.get("message"), dict) else None
    if message is None or not message.get("mid"):
        return "inbox: not a message"
    sender = str((value.get("sender") or {}).get("id") or "")
    recipient = str((value.get("recipient") or {}).get("id") or "")
    echo = bool(message.get("is_echo")) or sender == account.external_id
    person = recipient if echo else sender
    text = str(message.get("text") or "")
    if not text and message.get("attachments"):
        text = "📎"
    conversation = Conversation(
        external_id=person,
        updated_at=_time(value.get("timestamp"), milliseconds=True),
        participants=((person, ""), (account.external_id, account.name)),
        messages=(
            NetworkMessage(
                external_id=str(message["mid"]),
                text=text,
                sent_at=_time(value.get("timestamp"), milliseconds=True),
                from_id=account.external_id if echo else sender,
            ),
        ),
    )
    return f"inbox: {conversations_save(account=account, conversations=[conversation])} message(s) stored"


def instagram_comment_change(account: SocialAccount, value: dict) -> str:
    media_id = str((value.get("media") or {}).get("id") or "")
    author = value.get("from") or {}
    comment = Comment(
        external_id=str(value.get("id") or ""),
        post_external_id=media_id,
        text=str(value.get("text") or ""),
        published_at=_time(value.get("timestamp")),
        author_name=str(author.get("username") or ""),
        parent_id=str(value.get("parent_id") or ""),
    )
    if not comment.external_id:
        return "inbox: no comment id"
    return f"inbox: {comments_save(account=account, post_external_id=media_id, comments=[comment])} comment(s) stored"


PENDING_MENTIONS = 200  # kept ids at most, oldest dropped (a storm of mentions is read by the sync too)


def instagram_mention_change(account: SocialAccount, value: dict) -> str:
    """Only ids arrive: they are kept in the conversations schedule's state and that sync becomes
    due now; it reads each mention (networks/sync/conversations.py) without any network call in
    this transaction."""
    media_id, comment_id = str(value.get("media_id") or ""), str(value.get("comment_id") or "")
    if not media_id and not comment_id:
        return "inbox: no mention id"
    schedule = (
        SyncSchedule.objects.select_for_update()
        .filter(organization=account.organization_id, account=account, kind=SyncKind.CONVERSATIONS)
        .first()
    )
    if schedule is None:
        return "inbox: no conversations sync for this account"
    state = dict(schedule.state or {})
    pending = [p for p in state.get("ig_mentions") or [] if p != [media_id, comment_id]]
    state["ig_mentions"] = [*pending, [media_id, comment_id]][-PENDING_MENTIONS:]
    schedule.state, schedule.due_at = state, network_now()
    schedule.save(update_fields=["state", "due_at"])
    return "inbox: mention queued for the conversations sync"


HANDLERS = {
    ("page", "feed"): feed_change,
    ("page", "mention"): mention_change,
    ("page", "messages"): message_change,
    ("page", "message_echoes"): message_change,
    ("instagram", "comments"): instagram_comment_change,
    ("instagram", "mentions"): instagram_mention_change,
    ("instagram", "messages"): message_change,
    ("instagram", "message_echoes"): message_change,
}


def webhook_change_apply(*, account: SocialAccount, obj: str, field: str, value: dict) -> str:
    handler = HANDLERS.get((obj, field))
    return handler(account, value) if handler else f"inbox: {obj}/{field} not for the inbox"
