"""Storing what the networks send: comments, mentions and private messages become threads and
messages, whatever the path (the sync engine's conversations step or a Meta webhook).

Idempotent: messages are upserted on ``(organization, account, external_id)``, threads on
``(organization, account, kind, external_id)``; a page read twice or a webhook redelivered adds
nothing. After each batch the touched threads' timeline (first message, first response, last
activity) is recomputed from their messages, and their status follows: a new message from the
person reopens an answered thread, an answer seen on the network marks it answered.

Threads of private messages are keyed by the person (Messenger, Instagram Direct and X keep one
conversation per person and account): the webhook, which names only the sender, and the sync,
which names the conversation, land in the same thread.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from analytics.factcache import texts_changed
from analytics.models import Post as StoredPost
from inbox.models import Direction, Message, Thread, ThreadKind, ThreadStatus
from inbox.services.analysis import messages_analyse
from networks.models import SocialAccount
from networks.providers.base import Comment, Conversation, Post

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    """One message as a network gave it, already placed in its thread."""

    thread_key: str
    external_id: str
    text: str
    sent_at: dt.datetime
    author_id: str = ""
    author_name: str = ""
    parent_external_id: str = ""
    outbound: bool = False


@dataclass(frozen=True)
class ThreadSeed:
    kind: str
    key: str
    post_external_id: str = ""
    permalink: str = ""
    author_id: str = ""
    author_name: str = ""


def is_own(account: SocialAccount, author_id: str, author_name: str) -> bool:
    """Whether the account itself wrote this (Instagram comments carry only a username)."""
    if author_id and author_id == account.external_id:
        return True
    names = {n.lower().lstrip("@") for n in (account.handle, account.name) if n}
    return not author_id and bool(author_name) and author_name.lower().lstrip("@") in names


def _posts_by_id(account: SocialAccount, external_ids: Iterable[str]) -> dict[str, StoredPost]:
    wanted = {i for i in external_ids if i}
    if not wanted:
        return {}
    return {
        p.external_id: p
        for p in StoredPost.objects.filter(
            organization=account.organization_id, account=account, external_id__in=wanted
        ).only("pk", "external_id", "permalink")
    }


@transaction.atomic
def _store(account: SocialAccount, seeds: Sequence[ThreadSeed], incoming: Sequence[Incoming]) -> int:
    """Upsert threads and messages; returns the number of new messages."""
    if not incoming:
        return 0
    seeds_by_key = {(s.kind, s.key): s for s in seeds}
    posts = _posts_by_id(account, {s.post_external_id for s in seeds})
    keys = {s.key for s in seeds} | {m.thread_key for m in incoming}
    existing = {
        (t.kind, t.external_id): t
        for t in Thread.objects.filter(organization=account.organization_id, account=account, external_id__in=keys)
    }
    # A thread is started by someone else: the account's own comment with no thread to join is
    # not a conversation to answer.
    starters = {(s.kind, s.key) for s in seeds} - set(existing)
    inbound_keys = {m.thread_key for m in incoming if not m.outbound}
    new_threads = []
    for kind, key in starters:
        if key not in inbound_keys:
            continue
        seed = seeds_by_key[(kind, key)]
        post = posts.get(seed.post_external_id)
        new_threads.append(
            Thread(
                organization_id=account.organization_id,
                workspace_id=account.workspace_id,
                account=account,
                network=account.network,
                kind=kind,
                external_id=key,
                post=post,
                post_external_id=seed.post_external_id,
                permalink=seed.permalink or (post.permalink if post else ""),
                author_id=seed.author_id,
                author_name=seed.author_name,
            )
        )
    if new_threads:
        Thread.objects.bulk_create(new_threads, ignore_conflicts=True)
        existing = {
            (t.kind, t.external_id): t
            for t in Thread.objects.filter(organization=account.organization_id, account=account, external_id__in=keys)
        }
    by_key = {key: thread for (_kind, key), thread in existing.items()}
    known = set(
        Message.objects.filter(
            organization=account.organization_id, account=account, external_id__in={m.external_id for m in incoming}
        ).values_list("external_id", flat=True)
    )
    rows = []
    for item in incoming:
        thread = by_key.get(item.thread_key)
        if thread is None or item.external_id in known:
            continue
        known.add(item.external_id)
        rows.append(
            Message(
                organization_id=account.organization_id,
                thread=thread,
                account=account,
                direction=Direction.OUT if item.outbound else Direction.IN,
                external_id=item.external_id,
                parent_external_id=item.parent_external_id,
                author_id=item.author_id,
                author_name=item.author_name[:200],
                text=item.text,
                sent_at=item.sent_at,
            )
        )
    if not rows:
        return 0
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    threads = {row.thread_id for row in rows}
    inbound = [r for r in rows if r.direction == Direction.IN]
    if inbound:
        stored = list(
            Message.objects.filter(
                organization=account.organization_id,
                account=account,
                external_id__in=[r.external_id for r in inbound],
            )
        )
        messages_analyse(messages=stored)
        # Received messages are what analytics' sentiment reads (analytics/factcache.py).
        texts_changed(account.organization_id)
    threads_refresh(organization_id=account.organization_id, thread_ids=threads)
    return len(rows)


REFRESHED_FIELDS = (
    "first_inbound_at",
    "last_inbound_at",
    "first_response_at",
    "first_responder_id",
    "last_outbound_at",
    "last_message_at",
    "subject",
    "language",
    "sentiment",
    "is_question",
    "status",
    "overdue_notified_at",
)


def threads_refresh(*, organization_id: int, thread_ids: Iterable[int]) -> None:
    """Recompute the timeline and analysis summary of these threads from their messages, and move
    their status as the conversation moved (one read, batched writes)."""
    ids = set(thread_ids)
    if not ids:
        return
    rows = Message.objects.filter(organization=organization_id, thread__in=ids, is_deleted=False).values_list(
        "thread_id", "direction", "sent_at", "sent_by_id", "language", "sentiment", "is_question", "text"
    )
    timelines: dict[int, list] = {}
    for row in sorted(rows, key=lambda r: r[2]):
        timelines.setdefault(row[0], []).append(row)
    changed: list[Thread] = []
    for thread in Thread.objects.filter(organization=organization_id, pk__in=ids):
        timeline = timelines.get(thread.pk, [])
        inbound = [r for r in timeline if r[1] == Direction.IN]
        outbound = [r for r in timeline if r[1] == Direction.OUT]
        thread.first_inbound_at = inbound[0][2] if inbound else None
        thread.last_inbound_at = inbound[-1][2] if inbound else None
        answers = [r for r in outbound if thread.first_inbound_at and r[2] >= thread.first_inbound_at]
        thread.first_response_at = answers[0][2] if answers else None
        thread.first_responder_id = answers[0][3] if answers else None
        thread.last_outbound_at = outbound[-1][2] if outbound else None
        thread.last_message_at = timeline[-1][2] if timeline else None
        if inbound:
            thread.subject = thread.subject or inbound[0][7][:500]
            thread.language = inbound[0][4] or thread.language
            sentiments = {r[5] for r in inbound if r[5]}
            thread.sentiment = "negative" if "negative" in sentiments else (inbound[-1][5] or thread.sentiment or "")
            thread.is_question = any(r[6] for r in inbound)
        waiting = bool(inbound) and (
            thread.last_outbound_at is None or thread.last_inbound_at > thread.last_outbound_at
        )
        if waiting and thread.status in (ThreadStatus.ANSWERED, ThreadStatus.CLOSED):
            thread.status = ThreadStatus.OPEN
            thread.overdue_notified_at = None
        elif not waiting and outbound and thread.status in (ThreadStatus.OPEN, ThreadStatus.PENDING):
            thread.status = ThreadStatus.ANSWERED
        changed.append(thread)
    # One UPDATE by primary key per thread (bulk_update's "CASE WHEN" is far slower: see analysis.py).
    for thread in changed:
        Thread.objects.filter(organization=organization_id, pk=thread.pk).update(
            **{name: getattr(thread, name) for name in REFRESHED_FIELDS}
        )


# --- From the providers' types ---------------------------------------------------------------


def comments_save(*, account: SocialAccount, post_external_id: str, comments: Sequence[Comment]) -> int:
    """Comments of one post: each top-level comment starts a thread, replies join their parent's."""
    post = _posts_by_id(account, [post_external_id]).get(post_external_id)
    seeds, incoming = [], []
    for comment in comments:
        root = comment.parent_id or comment.external_id
        own = is_own(account, comment.author_id, comment.author_name)
        if not comment.parent_id:
            seeds.append(
                ThreadSeed(
                    ThreadKind.COMMENT,
                    root,
                    post_external_id=post_external_id,
                    permalink=post.permalink if post else "",
                    author_id=comment.author_id,
                    author_name=comment.author_name,
                )
            )
        else:
            seeds.append(ThreadSeed(ThreadKind.COMMENT, root, post_external_id=post_external_id))
        incoming.append(
            Incoming(
                thread_key=root,
                external_id=comment.external_id,
                text=comment.text,
                sent_at=comment.published_at,
                author_id=comment.author_id,
                author_name=comment.author_name,
                parent_external_id=comment.parent_id,
                outbound=own,
            )
        )
    # A reply's thread seed must not overwrite the top-level one (first wins).
    unique = {}
    for seed in seeds:
        unique.setdefault((seed.kind, seed.key), seed)
    return _store(account, list(unique.values()), incoming)


def mentions_save(*, account: SocialAccount, posts: Sequence[Post]) -> int:
    """Mentions (X) and tags (Instagram). On X a reply to one of the account's posts is among the
    mentions: it becomes a comment thread of that post."""
    own_posts = _posts_by_id(account, [p.referenced_id for p in posts if p.referenced_id])
    seeds, incoming = [], []
    for post in posts:
        if is_own(account, post.author_id, post.author_handle):
            continue
        on_own_post = post.referenced_id in own_posts
        kind = ThreadKind.COMMENT if on_own_post else ThreadKind.MENTION
        seeds.append(
            ThreadSeed(
                kind,
                post.external_id,
                post_external_id=post.referenced_id if on_own_post else "",
                permalink=post.permalink,
                author_id=post.author_id,
                author_name=post.author_handle or getattr(post, "author_name", ""),
            )
        )
        incoming.append(
            Incoming(
                thread_key=post.external_id,
                external_id=post.external_id,
                text=post.text,
                sent_at=post.published_at,
                author_id=post.author_id,
                author_name=post.author_handle,
            )
        )
    return _store(account, seeds, incoming)


def own_replies_link(*, account: SocialAccount, since: dt.datetime) -> int:
    """The account's own replies to its mentions, read by the posts sync (X keeps them on the
    account's timeline), become the answers of those threads: an answer given on the network
    counts in the reactivity statistics like one sent from the app."""
    replies = list(
        StoredPost.objects.filter(
            organization=account.organization_id, account=account, kind="reply", published_at__gte=since
        )
        .exclude(referenced_id="")
        .values_list("external_id", "referenced_id", "text", "published_at")
    )
    if not replies:
        return 0
    incoming = [
        Incoming(
            thread_key=referenced,
            external_id=external_id,
            text=text,
            sent_at=published,
            author_id=account.external_id,
            author_name=account.name or account.handle,
            parent_external_id=referenced,
            outbound=True,
        )
        for external_id, referenced, text, published in replies
    ]
    # Only threads that exist already (the mention came first): no seed starts a thread here.
    return _store(account, [], incoming)


def conversations_save(*, account: SocialAccount, conversations: Sequence[Conversation]) -> int:
    seeds, incoming = [], []
    for conversation in conversations:
        people = [(i, n) for i, n in conversation.participants if i and i != account.external_id]
        person_id, person_name = people[0] if people else ("", "")
        if not person_id:
            person_id = next((m.from_id for m in conversation.messages if m.from_id != account.external_id), "")
        if not person_id:
            continue
        seeds.append(ThreadSeed(ThreadKind.MESSAGE, person_id, author_id=person_id, author_name=person_name))
        for message in conversation.messages:
            incoming.append(
                Incoming(
                    thread_key=person_id,
                    external_id=message.external_id,
                    text=message.text,
                    sent_at=message.sent_at,
                    author_id=message.from_id,
                    author_name=message.from_name,
                    outbound=message.from_id == account.external_id,
                )
            )
    return _store(account, seeds, incoming)
