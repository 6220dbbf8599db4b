"""The sync engine's conversations step: comments on the account's recent posts, mentions, and
private messages, handed to the inbox, without importing it.

Dependencies point one way (``accounts`` ← ``networks`` ← ``inbox``): networks defines the
``InboxStore`` protocol, the inbox app implements it and registers it at start-up
(``inbox/apps.py`` ``ready()`` calls ``register_inbox_store``), like the fact store.

What is read, per network:

* Facebook: comments of the posts published in the last ``COMMENT_DAYS`` days (the page's
  stream, replies included) and the Page's Messenger conversations. Page mentions have no
  listing in the Graph API: they arrive by the ``mention`` webhook only.
* Instagram: comments of recent media, media the account is tagged in (``/tags``; caption
  @mentions arrive by webhook), and Direct conversations.
* X: mentions (replies to the account's posts are among them, and become comments of their post),
  and direct messages (``/2/dm_events``). Every post read is billed: counted in ``x_reads``.

Conversations are read newest first, down to the newest one already stored (state
``conversations_seen``); mentions since the newest one seen, minus an overlap. Stores are
upserts on the network's ids, so an overlap or a redelivery never duplicates anything.
"""

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from networks.models import Network, SyncKind
from networks.providers.base import Comment, Conversation, Post
from networks.providers.errors import Unsupported
from networks.sync import cadence

if TYPE_CHECKING:
    from networks.models import SocialAccount
    from networks.sync.engine import Context

COMMENT_DAYS = 7
COMMENT_POSTS = 40  # recent posts whose comments are read per run
COMMENT_PAGES = 3  # pages of comments per post per run (100 a page on Facebook)
MENTION_PAGES = 5
CONVERSATION_PAGES = 5
FIRST_WINDOW = dt.timedelta(days=7)
OVERLAP = dt.timedelta(hours=1)


class InboxStore(Protocol):
    def save_comments(self, account: "SocialAccount", post_external_id: str, comments: Sequence[Comment]) -> int:
        """Upsert comments of one post (top-level comments start threads, replies join them)."""
        ...

    def save_mentions(self, account: "SocialAccount", posts: Sequence[Post]) -> int: ...

    def save_conversations(self, account: "SocialAccount", conversations: Sequence[Conversation]) -> int: ...

    def webhook_change(self, account: "SocialAccount", obj: str, field: str, value: dict) -> str:
        """Act on one Meta webhook change for this account; returns what was done (for admins)."""
        ...


class InboxStoreMissingError(RuntimeError):
    pass


_store: InboxStore | None = None


def register_inbox_store(store: InboxStore | None) -> None:
    """Install the inbox store (the inbox app does at start-up; None unregisters)."""
    global _store  # noqa: PLW0603 — one process-wide registry, set once at start-up
    _store = store


def inbox_store() -> InboxStore | None:
    return _store


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _comments(ctx: "Context", store: InboxStore) -> None:
    if ctx.account.network not in (Network.FACEBOOK, Network.INSTAGRAM):
        return
    post_ids = ctx.store.known_post_ids(ctx.account, ctx.now - dt.timedelta(days=COMMENT_DAYS))[:COMMENT_POSTS]
    for post_id in post_ids:
        cursor = None
        for _page in range(COMMENT_PAGES):
            page = ctx.call(ctx.provider.comments, post_id, cursor)
            ctx.add("comments", store.save_comments(ctx.account, post_id, page.items))
            cursor = page.next_cursor
            if not cursor:
                break
    ctx.checkpoint()


def _webhook_mentions(ctx: "Context", store: InboxStore) -> None:
    """Instagram caption and comment @mentions the ``mentions`` webhook named (ids only, kept in
    this schedule's state by the inbox), read one by one."""
    pending = ctx.state.pop("ig_mentions", None) or []
    mentioned = getattr(ctx.provider, "mentioned", None)
    if not pending or mentioned is None:
        return
    posts = []
    for media_id, comment_id in pending:
        post = ctx.call(mentioned, media_id=media_id, comment_id=comment_id)
        if post is not None:
            posts.append(post)
    ctx.add("mentions", store.save_mentions(ctx.account, posts))
    ctx.checkpoint()


def _mentions(ctx: "Context", store: InboxStore) -> None:
    if ctx.account.network not in (Network.X, Network.INSTAGRAM):
        return
    _webhook_mentions(ctx, store)
    seen = ctx.state.get("mentions_seen")
    since = dt.datetime.fromisoformat(seen) - OVERLAP if seen else ctx.now - FIRST_WINDOW
    cursor, newest = None, None
    for _page in range(MENTION_PAGES):
        page = ctx.call(ctx.provider.mentions, since, cursor)
        ctx.x_reads(len(page.items))
        ctx.add("mentions", store.save_mentions(ctx.account, page.items))
        for post in page.items:
            newest = post.published_at if newest is None else max(newest, post.published_at)
        cursor = page.next_cursor
        if not cursor:
            break
    if newest:
        ctx.state["mentions_seen"] = _iso(newest)
    ctx.checkpoint()


def _conversations(ctx: "Context", store: InboxStore) -> None:
    seen = ctx.state.get("conversations_seen")
    floor = dt.datetime.fromisoformat(seen) - OVERLAP if seen else ctx.now - FIRST_WINDOW
    cursor, newest = None, None
    try:
        for _page in range(CONVERSATION_PAGES):
            page = ctx.call(ctx.provider.conversations, cursor)
            if ctx.account.network == Network.X:
                ctx.x_reads(sum(len(c.messages) for c in page.items))
            fresh = [c for c in page.items if c.updated_at >= floor]
            ctx.add("messages", store.save_conversations(ctx.account, fresh))
            if page.items:
                top = max(c.updated_at for c in page.items)
                newest = top if newest is None else max(newest, top)
            cursor = page.next_cursor
            if not cursor or len(fresh) < len(page.items):
                break  # newest first: the rest is older than what we have
    except Unsupported:
        return
    if newest:
        ctx.state["conversations_seen"] = _iso(newest)
    ctx.checkpoint()


def step_conversations(ctx: "Context") -> dt.datetime:
    store = inbox_store()
    if store is None:
        raise InboxStoreMissingError("No inbox store registered: is 'inbox' in INSTALLED_APPS?")
    _comments(ctx, store)
    _mentions(ctx, store)
    _conversations(ctx, store)
    return cadence.next_due(SyncKind.CONVERSATIONS, ctx.now, slowdown=ctx.slowdown)
