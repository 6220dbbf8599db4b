"""The inbox side of the simulated networks: private messages of Instagram and X, and every write the
inbox makes (reply to a comment, send a private message, hide / unhide / delete a comment), in the
real APIs' shapes.

* Graph: ``POST /{comment-id}/comments`` (Facebook reply) and ``POST /{ig-comment-id}/replies``
  answer ``{"id": …}``; ``POST /{comment-id}`` with ``is_hidden`` (Facebook) or ``hide``
  (Instagram) and ``DELETE /{comment-id}`` answer ``{"success": true}``; ``POST /{page-id}/messages``
  and ``POST /{ig-user-id}/messages`` (Send API: ``recipient``, ``message``, ``messaging_type``,
  ``tag``) answer ``{"recipient_id", "message_id"}`` and refuse, with Graph's error 10 / subcode
  2018278, a message sent more than 24 h after the person's last one without the ``HUMAN_AGENT``
  tag (7 days with it). ``GET /{ig-user-id}/conversations?platform=instagram`` lists Direct threads.
* X: ``POST /2/tweets`` with ``reply.in_reply_to_tweet_id`` (201 ``{"data": {"id", "text"}}``),
  ``PUT /2/tweets/:id/hidden`` (``{"data": {"hidden": …}}``), ``POST
  /2/dm_conversations/with/:participant_id/messages`` (201 ``{"data": {"dm_conversation_id",
  "dm_event_id"}}``) and ``GET /2/dm_events`` (``MessageCreate`` events, newest first).

Writes are kept in memory (``InboxWrites``) until the simulator is reset, and the listings show
them: a sent reply appears under its comment, a deleted comment disappears, a hidden one says so.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from networks.simulator import fields as F  # noqa: N812 — short name for a small DSL
from networks.simulator.generator import meta
from networks.simulator.server import HttpError, Reply, Request, Router, json_error
from networks.simulator.world import PERSONAS, Persona, persona_by_ig, persona_by_page

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


@dataclass
class Sent:
    id: str
    parent_id: str  # the comment answered, or the conversation
    author_id: str
    author_name: str
    text: str
    created: datetime


@dataclass
class InboxWrites:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: list[Sent] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        with self.lock:
            self.sent, self.hidden, self.deleted = [], set(), set()
            self.counter = itertools.count(1)

    def add(self, sent: Sent) -> Sent:
        with self.lock:
            self.sent.append(sent)
        return sent

    def next_number(self) -> int:
        with self.lock:
            return next(self.counter)

    def replies_to(self, parent_id: str) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if s.parent_id == parent_id and s.id not in self.deleted]


def writes(request: Request) -> InboxWrites:
    return request.sim.inbox


# --- Graph: which comment is this? ---------------------------------------------------------------


def fb_comment(request: Request, comment_id: str) -> tuple[meta.FbPost, meta.Comment | Sent] | None:
    """A Facebook comment id is ``<post number>_<n>``; its post is ``<page id>_<post number>``."""
    number, _, rest = comment_id.partition("_")
    if not rest:
        return None
    for persona in PERSONAS.values():
        if not persona.fb_page_id:
            continue
        post = meta.fb_post_by_id(request.sim.seed, f"{persona.fb_page_id}_{number}")
        if post is None or post.created > request.now:
            continue
        found = next((c for c in meta.fb_comments(post) if c.id == comment_id and c.created <= request.now), None)
        if found is None:
            found = next((s for s in writes(request).sent if s.id == comment_id), None)
        return (post, found) if found else None
    return None


def ig_comment(request: Request, comment_id: str) -> tuple[meta.IgMedia, meta.Comment | Sent] | None:
    """An Instagram comment id is ``18`` + the middle of its media id (see ``meta.ig_comments``)."""
    if len(comment_id) == 18 and comment_id.startswith("18") and comment_id.isdigit():
        media = meta.ig_media_by_id(request.sim.seed, f"170{comment_id[2:15]}0")
        if media is not None:
            found = next((c for c in meta.ig_comments(media) if c.id == comment_id and c.created <= request.now), None)
            return (media, found) if found else None
    sent = next((s for s in writes(request).sent if s.id == comment_id), None)
    if sent is not None:
        media = meta.ig_media_by_id(request.sim.seed, f"170{sent.parent_id[2:15]}0")
        return (media, sent) if media else None
    return None


def _graph_error(message: str, code: int, *, subcode: int | None = None, status: int = 400) -> HttpError:
    from networks.simulator.graph_api import graph_error

    return graph_error(message, code, status=status, subcode=subcode)


def _caller_may(request: Request, persona: Persona | None, object_id: str) -> Persona:
    from networks.simulator.graph_api import authenticate, unsupported

    caller = authenticate(request)
    if persona is None or persona.key not in caller.allowed:
        raise unsupported(object_id)
    return persona


def _text(request: Request, name: str) -> str:
    value = request.arg(name) or ""
    if not str(value).strip():
        raise _graph_error(f"(#100) The parameter {name} is required", 100)
    return str(value)


def _truthy(value: object) -> bool:
    return str(value).lower() in {"true", "1"}


# --- Graph writes --------------------------------------------------------------------------------


def graph_post(request: Request) -> Reply:
    from networks.simulator.graph_api import unsupported

    object_id, edge = request.params["id"], request.params.get("edge")
    if edge == "messages":
        return send_message(request, object_id)
    found_fb = fb_comment(request, object_id) if "_" in object_id else None
    if found_fb is not None:
        post, comment = found_fb
        persona = _caller_may(request, post.persona, object_id)
        if edge == "comments":  # a reply under a comment
            message = _text(request, "message")
            number = writes(request).next_number()
            sent = writes(request).add(
                Sent(
                    f"{object_id.partition('_')[0]}_{9000000 + number}",
                    comment.parent_id or object_id if isinstance(comment, meta.Comment) else object_id,
                    persona.fb_page_id or "",
                    persona.name,
                    message,
                    request.now,
                )
            )
            return Reply(200, {"id": sent.id})
        if edge is None and request.arg("is_hidden") is not None:
            with writes(request).lock:
                if _truthy(request.arg("is_hidden")):
                    writes(request).hidden.add(object_id)
                else:
                    writes(request).hidden.discard(object_id)
            return Reply(200, {"success": True})
        raise unsupported(object_id)
    found_ig = ig_comment(request, object_id)
    if found_ig is not None:
        media, comment = found_ig
        persona = _caller_may(request, media.persona, object_id)
        if edge == "replies":
            message = _text(request, "message")
            number = writes(request).next_number()
            top = comment.parent_id if isinstance(comment, meta.Comment) and comment.parent_id else object_id
            sent = writes(request).add(
                Sent(f"189{number:015d}", top, "", persona.ig_username or "", message, request.now)
            )
            return Reply(200, {"id": sent.id})
        if edge is None and request.arg("hide") is not None:
            with writes(request).lock:
                if _truthy(request.arg("hide")):
                    writes(request).hidden.add(object_id)
                else:
                    writes(request).hidden.discard(object_id)
            return Reply(200, {"success": True})
    raise unsupported(object_id)


def graph_delete(request: Request) -> Reply:
    from networks.simulator.graph_api import unsupported

    object_id = request.params["id"]
    found = fb_comment(request, object_id) if "_" in object_id else ig_comment(request, object_id)
    if found is None:
        raise unsupported(object_id)
    _caller_may(request, found[0].persona, object_id)
    with writes(request).lock:
        writes(request).deleted.add(object_id)
    return Reply(200, {"success": True})


def _threads(request: Request, persona: Persona, network: str, days: int = 365) -> Iterator[meta.Thread]:
    from networks.simulator.graph_api import days_back

    now, seed = request.now, request.sim.seed
    for day in days_back(now, now - timedelta(days=days), None):
        ordered = sorted(
            meta.conversation_day(seed, persona, day, network), key=lambda t: t.messages[0].created, reverse=True
        )
        yield from (t for t in ordered if t.messages[0].created <= now)


def _thread_by_user(request: Request, persona: Persona, network: str, user_id: str) -> meta.Thread | None:
    return next((t for t in _threads(request, persona, network, days=30) if t.user_id == user_id), None)


def send_message(request: Request, object_id: str) -> Reply:
    """The Send API: a message to a person who wrote to the Page / IG account, within the window."""
    network = "facebook" if persona_by_page(object_id) else "instagram"
    persona = _caller_may(request, persona_by_page(object_id) or persona_by_ig(object_id), object_id)
    try:
        recipient = request.arg("recipient") or {}
        recipient = json.loads(recipient) if isinstance(recipient, str) else recipient
        message = request.arg("message") or {}
        message = json.loads(message) if isinstance(message, str) else message
    except ValueError:
        raise _graph_error("(#100) param recipient must be a JSON object", 100) from None
    user_id, text = str(recipient.get("id", "")), str(message.get("text", ""))
    if not user_id or not text.strip():
        raise _graph_error("(#100) The parameter recipient and message are required", 100)
    thread = _thread_by_user(request, persona, network, user_id)
    if thread is None:
        raise _graph_error("(#100) No matching user found", 100, subcode=2018001)
    last_inbound = max(
        [m.created for m in thread.messages if m.author_id == user_id and m.created <= request.now], default=None
    )
    window = HUMAN_AGENT_WINDOW if request.arg("tag") == "HUMAN_AGENT" else STANDARD_WINDOW
    if last_inbound is None or request.now - last_inbound > window:
        raise _graph_error(
            "(#10) This message is sent outside of allowed window. Learn more about the new policy here: "
            "https://developers.facebook.com/docs/messenger-platform/policy-overview",
            10,
            subcode=2018278,
        )
    number = writes(request).next_number()
    prefix = "m_" if network == "facebook" else "aWdfZAG06bWlk"
    sent = writes(request).add(
        Sent(f"{prefix}sent{number:08d}", thread.id, meta.own_id(persona, network), persona.name, text, request.now)
    )
    return Reply(200, {"recipient_id": user_id, "message_id": sent.id})


# --- Instagram Direct threads (read) -------------------------------------------------------------


def instagram_conversations(request: Request, persona: Persona) -> Reply:
    """``GET /{ig-user-id}/conversations?platform=instagram`` (Instagram messaging)."""
    from networks.simulator.graph_api import encode_cursor, page_of

    if request.arg("platform") != "instagram":
        raise _graph_error("(#100) param platform must be one of {INSTAGRAM}", 100)
    now = request.now
    requested = F.parse(request.arg("fields"))
    own = {"username": persona.ig_username or "", "id": persona.ig_user_id or ""}

    def thread_node(thread: meta.Thread) -> dict:
        visible = [m for m in thread.messages if m.created <= now]
        sent = writes(request).replies_to(thread.id)
        user = {"username": thread.user_name.lower().replace(" ", "."), "id": thread.user_id}

        def messages(item: F.Field) -> dict:
            ordered = sorted(
                [(m.id, m.created, m.author_id, m.message) for m in visible]
                + [(s.id, s.created, s.author_id, s.text) for s in sent],
                key=lambda row: row[1],
                reverse=True,
            )[: F.limit_of(item, 20)]
            nodes = []
            for message_id, created, author_id, body in ordered:
                sender = own if author_id != thread.user_id else user
                recipient = user if author_id != thread.user_id else own
                available = {
                    "id": message_id,
                    "created_time": meta.graph_time(created),
                    "from": sender,
                    "to": {"data": [recipient]},
                    "message": body,
                }
                nodes.append(F.select(available, item.children, ["id", "created_time"], "Message"))
            paging = (
                {"cursors": {"before": encode_cursor(ordered[0][0]), "after": encode_cursor(ordered[-1][0])}}
                if ordered
                else {}
            )
            return {"data": nodes, "paging": paging}

        last = max([m.created for m in visible] + [s.created for s in sent])
        available = {
            "id": thread.id,
            "updated_time": meta.graph_time(last),
            "participants": {"data": [own, user]},
            "messages": messages,
        }
        return F.select(available, requested, ["id", "updated_time"], "Conversation")

    picked, paging = page_of(request, _threads(request, persona, "instagram"), lambda t: t.id)
    return Reply(200, {"data": [thread_node(t) for t in picked], "paging": paging})


def conversation_extras(request: Request, thread_id: str) -> list[Sent]:
    """Messages the inbox sent into a Messenger thread (graph_api's conversations edge shows them)."""
    return writes(request).replies_to(thread_id)


def comment_state(request: Request, comment_id: str) -> tuple[bool, bool]:
    """(hidden, deleted) of a comment, for the listings."""
    with writes(request).lock:
        return comment_id in writes(request).hidden, comment_id in writes(request).deleted


# --- X -------------------------------------------------------------------------------------------


def _x_json(request: Request) -> dict:
    return request.form if isinstance(request.form, dict) else {}


def x_create_tweet(request: Request, me: Persona) -> Reply:
    from networks.simulator.generator import x as gen
    from networks.simulator.x_api import invalid

    body = _x_json(request)
    text = str(body.get("text") or "")
    if not text.strip():
        raise invalid("text", "", "The `text` field is required.")
    reply_to = str((body.get("reply") or {}).get("in_reply_to_tweet_id") or "")
    if reply_to:
        original = gen.tweet_by_id(request.sim.seed, int(reply_to)) if reply_to.isdigit() else None
        if original is None or not gen.visible(original, request.now) or int(reply_to) in request.sim.deleted_tweets:
            raise json_error(
                400,
                {
                    "errors": [{"parameters": {"reply.in_reply_to_tweet_id": [reply_to]}, "message": "not found"}],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                },
            )
        # X lets an app reply only where the author mentioned or quoted the account (2024 rule).
        if f"@{(me.x_username or '').lower()}" not in original.text.lower() and original.author.id != me.x_user_id:
            raise json_error(
                403,
                {
                    "detail": "Reply to this conversation is not allowed because you have not been mentioned "
                    "or otherwise engaged by the author of the post you are replying to.",
                    "type": "about:blank",
                    "title": "Forbidden",
                    "status": 403,
                },
            )
    number = writes(request).next_number()
    tweet_id = str(1900000000000000000 + number)
    writes(request).add(Sent(tweet_id, reply_to, me.x_user_id or "", me.name, text, request.now))
    return Reply(201, {"data": {"id": tweet_id, "edit_history_tweet_ids": [tweet_id], "text": text}})


def x_hide_reply(request: Request, me: Persona) -> Reply:
    from networks.simulator.generator import x as gen

    tweet_id = request.params["id"]
    tweet = gen.tweet_by_id(request.sim.seed, int(tweet_id))
    if tweet is None or not gen.visible(tweet, request.now):
        raise json_error(
            404,
            {
                "title": "Not Found Error",
                "detail": f"Could not find tweet with id: [{tweet_id}].",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            },
        )
    hidden = bool(_x_json(request).get("hidden"))
    with writes(request).lock:
        if hidden:
            writes(request).hidden.add(tweet_id)
        else:
            writes(request).hidden.discard(tweet_id)
    return Reply(200, {"data": {"hidden": hidden}})


def x_send_dm(request: Request, me: Persona) -> Reply:
    from networks.simulator.x_api import invalid

    participant = request.params["participant_id"]
    text = str(_x_json(request).get("text") or "")
    if not text.strip():
        raise invalid("text", "", "The `text` field is required.")
    thread = _thread_by_user(request, me, "x", participant)
    if thread is None:
        raise json_error(
            403,
            {
                "detail": "You cannot send messages to this user.",
                "type": "about:blank",
                "title": "Forbidden",
                "status": 403,
            },
        )
    number = writes(request).next_number()
    event_id = str(1950000000000000000 + number)
    writes(request).add(Sent(event_id, thread.id, me.x_user_id or "", me.name, text, request.now))
    return Reply(201, {"data": {"dm_conversation_id": thread.id, "dm_event_id": event_id}})


def x_dm_events(request: Request, me: Persona) -> Reply:
    """``GET /2/dm_events``: the account's MessageCreate events of the last 30 days, newest first
    (X keeps DM events 30 days for this endpoint)."""
    from networks.simulator.x_api import _max_results, iso

    limit = _max_results(request, 1, 100, 100)
    wanted = {f for f in (request.arg("dm_event.fields") or "").split(",") if f}
    events = []
    for thread in _threads(request, me, "x", days=30):
        for message in thread.messages:
            if message.created <= request.now:
                events.append((message.id, message.created, message.author_id, message.message, thread))
        for sent in writes(request).replies_to(thread.id):
            events.append((sent.id, sent.created, sent.author_id, sent.text, thread))
    events.sort(key=lambda e: e[1], reverse=True)
    start = int(request.arg("pagination_token") or 0) if (request.arg("pagination_token") or "").isdigit() else 0
    page = events[start : start + limit]
    data = []
    for event_id, created, author_id, body, thread in page:
        full = {
            "id": event_id,
            "event_type": "MessageCreate",
            "text": body,
            "created_at": iso(created),
            "sender_id": author_id,
            "dm_conversation_id": thread.id,
            "participant_ids": [thread.user_id, me.x_user_id],
        }
        data.append({k: v for k, v in full.items() if k in wanted | {"id", "event_type", "text"}})
    meta_body: dict = {"result_count": len(data)}
    if start + limit < len(events):
        meta_body["next_token"] = str(start + limit)
    body: dict = {"data": data, "meta": meta_body} if data else {"meta": meta_body}
    if data and "sender_id" in (request.arg("expansions") or ""):
        users = {}
        for _, _, author_id, _, thread in page:
            if author_id == thread.user_id:
                users[author_id] = {
                    "id": author_id,
                    "name": thread.user_name,
                    "username": thread.user_name.lower().replace(" ", "_"),
                }
            else:
                users[author_id] = {"id": author_id, "name": me.name, "username": me.x_username}
        body["includes"] = {"users": list(users.values())}
    return Reply(200, body)


def register(router: Router) -> None:
    from networks.simulator.graph_api import guarded
    from networks.simulator.x_api import x_endpoint

    # X's routes go first: Graph's generic "/{id}/{edge}" routes would otherwise answer them.
    x_routes = Router()
    x_routes.add("POST", r"^/2/tweets$", x_endpoint(x_create_tweet), "POST /2/tweets")
    x_routes.add("PUT", r"^/2/tweets/(?P<id>\d+)/hidden$", x_endpoint(x_hide_reply), "PUT /2/tweets/:id/hidden")
    x_routes.add(
        "POST",
        r"^/2/dm_conversations/with/(?P<participant_id>\d+)/messages$",
        x_endpoint(x_send_dm),
        "POST /2/dm_conversations/with/:participant_id/messages",
    )
    x_routes.add("GET", r"^/2/dm_events$", x_endpoint(x_dm_events), "/2/dm_events")
    router.routes[:0] = x_routes.routes
    router.add("POST", r"^/(?P<id>[\w.-]+)$", guarded(graph_post), "graph-post")
    router.add("POST", r"^/(?P<id>[\w.-]+)/(?P<edge>\w+)$", guarded(graph_post), "graph-post-edge")
    router.add("DELETE", r"^/(?P<id>[\w.-]+)$", guarded(graph_delete), "graph-delete")


# --- What the listings show of the writes ----------------------------------------------------------


def with_writes(request: Request, comments: list[meta.Comment], parents: set[str]) -> list[meta.Comment]:
    """``comments`` less the deleted ones, plus the replies sent under any of ``parents``, by time."""
    inbox = writes(request)
    with inbox.lock:
        deleted = set(inbox.deleted)
        sent = [s for s in inbox.sent if s.parent_id in parents and s.id not in deleted]
    kept = [c for c in comments if c.id not in deleted]
    added = [
        meta.Comment(s.id, s.created, s.author_id, s.author_name, s.text, 0, s.parent_id, s.author_name)
        for s in sent
        if s.created <= request.now
    ]
    return sorted(kept + added, key=lambda c: c.created)


def mark_hidden(request: Request, nodes: list[dict], key: str) -> None:
    """Set the hidden flag (``is_hidden`` on Facebook, ``hidden`` on Instagram) the listing asked for."""
    with writes(request).lock:
        hidden = set(writes(request).hidden)
    for node in nodes:
        if key in node:
            node[key] = node.get("id") in hidden
        for reply in (node.get("replies") or {}).get("data") or []:
            if key in reply:
                reply[key] = reply.get("id") in hidden
