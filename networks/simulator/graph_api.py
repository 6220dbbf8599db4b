"""Graph API core (tokens, usage headers, errors, insights windows, paging) and Facebook Page endpoints.

Instagram nodes live in ``instagram.py``; both are reached through one dispatcher on
``/{node-id}`` and ``/{node-id}/{edge}`` (after the ``/vNN.N`` prefix is stripped).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from networks.simulator import fields as F  # noqa: N812 — short name for a small DSL
from networks.simulator.generator import meta
from networks.simulator.generator.base import DAY
from networks.simulator.ratelimits import GRAPH_APP_CALLS_PER_HOUR, GRAPH_BUC_CALLS_PER_HOUR
from networks.simulator.server import HttpError, Reply, Request, Router, json_error
from networks.simulator.world import (
    HISTORY_START,
    Persona,
    facebook_user,
    persona_by_ig,
    persona_by_key,
    persona_by_page,
)

REVOKED = (
    "Error validating access token: The session has been invalidated because the user changed their password or "
    "Facebook has changed the session for security reasons."
)
BAD_METRIC = "(#100) The value must be a valid insights metric"
PAGE_METRICS = {
    "page_follows": ("Lifetime Total Follows", "Lifetime: The total number of people who follow your Page."),
    "page_daily_follows_unique": ("Daily New Follows", "Daily: The number of people who followed your Page."),
    "page_daily_unfollows_unique": ("Daily Unfollows", "Daily: The number of people who unfollowed your Page."),
    "page_media_view": ("Daily Media Views", "Daily: The number of times your content was played or displayed."),
    "page_total_media_view_unique": ("Daily Media Viewers", "Daily: The number of people who saw your content."),
    "page_post_engagements": ("Daily Post Engagements", "Daily: The number of times people engaged with your posts."),
    "page_views_total": ("Daily Total views count per Page", "Daily: The number of times a Page's profile was viewed."),
}
POST_METRICS = {
    "post_media_view": ("Lifetime Media Views", "Lifetime: The number of times your post was played or displayed."),
    "post_total_media_view_unique": ("Lifetime Media Viewers", "Lifetime: The number of people who saw your post."),
    "post_reactions_by_type_total": (
        "Lifetime Total post Reactions by Type.",
        "Lifetime: Total post reactions by type.",
    ),
    "post_clicks": ("Lifetime Post Clicks", "Lifetime: The number of clicks anywhere in your post."),
    "post_clicks_by_type": ("Lifetime Post Clicks by Type", "Lifetime: Clicks on your post, by type."),
}
NON_NEGATIVE = re.compile(r"^\d+$")


def graph_error(message: str, code: int, *, status: int = 400, subcode: int | None = None, **extra) -> HttpError:
    error: dict = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = "SimTrace" + str(code)
    return json_error(status, {"error": error})


def unsupported(node_id: str) -> HttpError:
    return graph_error(
        f"Unsupported get request. Object with ID '{node_id}' does not exist, cannot be loaded due to missing "
        "permissions, or does not support this operation. Please read the Graph API documentation at "
        "https://developers.facebook.com/docs/graph-api",
        100,
        subcode=33,
    )


@dataclass
class Caller:
    token: str
    allowed: set[str]  # persona keys the token may read
    user_id: str | None


def authenticate(request: Request) -> Caller:
    raw = request.arg("access_token") or ""
    header = request.headers.get("authorization", "")
    if not raw and header.lower().startswith(("oauth ", "bearer ")):
        raw = header.split(" ", 1)[1].strip()
    sim = request.sim
    token = sim.vault.read(raw, "fbu", "fbp")
    if token is None:
        raise graph_error("Invalid OAuth access token - Cannot parse access token", 190)
    if token.kind == "fbu":
        user = facebook_user(token.subject)
        allowed = set(user.page_keys) if user else set()
        names = [token.subject, *allowed]
        user_id = token.subject
    else:
        allowed, names, user_id = {token.subject}, [token.subject], None
    revoked = sim.faults.current.revoked_tokens
    # Object ids only matter when some are revoked (a benchmark user manages 2,000 pages).
    personas = [persona_by_key(key) for key in allowed] if revoked else []
    persona_ids = [i for p in personas if p for i in (p.fb_page_id, p.ig_user_id)]
    if sim.faults.is_revoked(raw, *names, *persona_ids):
        raise graph_error(REVOKED, 190, subcode=460)
    if token.expiry and token.expiry < request.now.timestamp():
        expired = datetime.fromtimestamp(token.expiry, tz=UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
        raise graph_error(f"Error validating access token: Session has expired on {expired}.", 190, subcode=463)
    return Caller(raw, allowed, user_id)


def usage_headers(request: Request, object_id: str | None, kind: str) -> dict[str, str]:
    """``x-app-usage`` and ``x-business-use-case-usage`` (percent of the hourly allowance); throttles at 100 %."""
    usage = request.sim.graph_usage
    app_percent = usage.hit("app") * 100 // GRAPH_APP_CALLS_PER_HOUR
    headers = {
        "x-app-usage": json.dumps(
            {"call_count": app_percent, "total_cputime": app_percent // 2, "total_time": app_percent // 2}
        )
    }
    if app_percent >= 100:
        raise HttpError(
            Reply(
                403,
                {
                    "error": {
                        "message": "(#4) Application request limit reached",
                        "type": "OAuthException",
                        "is_transient": True,
                        "code": 4,
                        "fbtrace_id": "SimTrace4",
                    }
                },
                headers,
            )
        )
    if object_id:
        percent = usage.hit(object_id) * 100 // GRAPH_BUC_CALLS_PER_HOUR
        regain = 0 if percent < 100 else 60
        headers["x-business-use-case-usage"] = json.dumps(
            {
                object_id: [
                    {
                        "type": kind,
                        "call_count": percent,
                        "total_cputime": percent // 3,
                        "total_time": percent // 3,
                        "estimated_time_to_regain_access": regain,
                    }
                ]
            }
        )
        if percent >= 100:
            code = 80002 if kind == "instagram" else 80001
            target = "Instagram account" if code == 80002 else "Page"
            message = f"(#{code}) There have been too many calls to this {target}. Wait a bit and try again."
            raise HttpError(
                Reply(
                    400,
                    {
                        "error": {
                            "message": message,
                            "type": "OAuthException",
                            "code": code,
                            "is_transient": True,
                            "fbtrace_id": f"SimTrace{code}",
                        }
                    },
                    headers,
                )
            )
    return headers


# --- Time windows ------------------------------------------------------------------------------


def parse_time(value: str | None) -> datetime | date | None:
    """Graph accepts unix seconds, dates and ISO datetimes for since/until."""
    if not value:
        return None
    if NON_NEGATIVE.match(value):
        return datetime.fromtimestamp(int(value), tz=UTC)
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError as error:
        raise graph_error(f"(#100) Invalid time: {value}", 100) from error


def pacific_date(value: datetime | date) -> date:
    return value.astimezone(meta.PACIFIC).date() if isinstance(value, datetime) else value


def day_window(request: Request, *, max_days: int, default_days: int) -> list[date]:
    """Pacific days in [since, until), clipped to complete days from HISTORY_START on."""
    since, until = parse_time(request.arg("since")), parse_time(request.arg("until"))
    last = meta.last_complete_pacific_day(request.now)
    end = pacific_date(until) if until else last + DAY
    start = pacific_date(since) if since else end - timedelta(days=default_days)
    if start >= end:
        end = start + DAY
    if (end - start).days > max_days:
        raise graph_error(f"(#100) There cannot be more than {max_days} days between since and until", 100)
    days, day = [], max(start, HISTORY_START)
    while day < end and day <= last:
        days.append(day)
        day += DAY
    return days


def insights_paging(request: Request, days: list[date]) -> dict:
    since, until = parse_time(request.arg("since")), parse_time(request.arg("until"))
    if not days and not (since and until):
        return {}
    start = meta.pacific_day_bounds(pacific_date(since) if since else days[0])[0]
    end = meta.pacific_day_bounds(pacific_date(until) - DAY)[1] if until else meta.pacific_day_bounds(days[-1])[1]
    span = int((end - start).total_seconds())
    first, last = int(start.timestamp()), int(end.timestamp())
    return {
        "previous": request.url_with(since=str(first - span), until=str(first)),
        "next": request.url_with(since=str(last), until=str(last + span)),
    }


def metric_names(request: Request, known: set[str]) -> list[str]:
    names = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
    if not names or any(name not in known for name in names):
        raise graph_error(BAD_METRIC, 100)
    return names


# --- Paging over generated items ---------------------------------------------------------------


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> str:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise graph_error("(#100) Invalid cursor", 100) from error


def page_of(
    request: Request,
    items: Iterator,
    key: Callable,
    *,
    default: int = 25,
    maximum: int = 100,
    with_next: bool = True,
    before: bool = True,
) -> tuple[list, dict]:
    """One page of ``items`` (already in answer order) after the ``after`` cursor, and its ``paging``."""
    limit = min(maximum, max(1, int(request.arg("limit") or default)))
    after = decode_cursor(request.arg("after") or "") if request.arg("after") else None
    picked, more, skipping = [], False, after is not None
    for item in items:
        if skipping:
            skipping = key(item) != after
            continue
        if len(picked) == limit:
            more = True
            break
        picked.append(item)
    paging: dict = {}
    if picked:
        paging["cursors"] = {"before": encode_cursor(key(picked[0])), "after": encode_cursor(key(picked[-1]))}
        if not before:  # some edges (IG comments, hashtag media) only give an ``after`` cursor
            del paging["cursors"]["before"]
        if more and with_next:
            paging["next"] = request.url_with(after=paging["cursors"]["after"], before=None)
    return picked, paging


def days_back(now: datetime, since: datetime | date | None, until: datetime | date | None) -> Iterator[date]:
    day = min(now, until).date() if isinstance(until, datetime) else min(now.date(), until or now.date())
    floor = HISTORY_START
    if since:
        floor = max(floor, since.date() if isinstance(since, datetime) else since)
    while day >= floor:
        yield day
        day -= DAY


def in_range(moment: datetime, since, until) -> bool:
    def as_dt(value) -> datetime:
        return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time(), tzinfo=UTC)

    return (since is None or moment >= as_dt(since)) and (until is None or moment <= as_dt(until))


# --- Facebook nodes ----------------------------------------------------------------------------


def picture(url: str) -> Callable[[F.Field], dict]:
    return lambda item: {"data": {"height": 50, "is_silhouette": False, "url": url, "width": 50}}


def page_node(request: Request, caller: Caller, persona: Persona, requested: list[F.Field] | None) -> dict:
    sim, now = request.sim, request.now
    followers = meta.followers_at(sim.seed, persona, "facebook", now)

    def instagram(item: F.Field) -> dict | None:
        if not persona.ig_user_id:
            return None
        return F.select(
            {"id": persona.ig_user_id, "username": persona.ig_username, "name": persona.name},
            item.children,
            ["id"],
            "IGUser",
        )

    available = {
        "id": persona.fb_page_id,
        "name": persona.name,
        "username": persona.fb_username,
        "fan_count": round(followers * 0.93),
        "followers_count": followers,
        "link": f"https://www.facebook.com/{persona.fb_username}",
        "picture": picture(f"https://scontent.xx.fbcdn.net/v/sim/{persona.fb_page_id}.jpg"),
        "category": persona.fb_category,
        "category_list": [{"id": str(2200 + persona.index), "name": persona.fb_category}],
        "about": persona.description,
        "verification_status": "blue_verified" if persona.kind == "city" else "not_verified",
        "access_token": sim.vault.mint("fbp", persona.key) if caller.user_id else None,
        "tasks": ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"],
        "instagram_business_account": instagram,
    }
    return F.select(available, requested, ["id", "name"], "Page")


def me_accounts(request: Request, caller: Caller) -> Reply:
    if not caller.user_id:
        raise graph_error("(#100) Tried accessing nonexisting field (accounts) on node type (Page)", 100)
    requested = F.parse(request.arg("fields"))
    user = facebook_user(caller.user_id)
    personas = (persona_by_key(key) for key in (user.page_keys if user else ()))
    picked, paging = page_of(request, iter(personas), lambda p: p.fb_page_id)
    fields = requested or [F.Field(n) for n in ("access_token", "category", "category_list", "name", "id", "tasks")]
    return Reply(200, {"data": [page_node(request, caller, p, fields) for p in picked], "paging": paging})


def page_insights(request: Request, persona: Persona) -> Reply:
    names = metric_names(request, set(PAGE_METRICS))
    if (request.arg("period") or "day") != "day":
        raise graph_error("(#100) The value must be a valid insights period", 100)
    days = day_window(request, max_days=93, default_days=2)
    values = {day: meta.fb_page_daily(request.sim.seed, persona, day) for day in days}
    data = [
        {
            "name": name,
            "period": "day",
            "values": [{"value": values[day][name], "end_time": meta.pacific_end_time(day)} for day in days],
            "title": PAGE_METRICS[name][0],
            "description": PAGE_METRICS[name][1],
            "id": f"{persona.fb_page_id}/insights/{name}/day",
        }
        for name in names
    ]
    return Reply(200, {"data": data, "paging": insights_paging(request, days)})


def post_node(request: Request, post: meta.FbPost, requested: list[F.Field] | None) -> dict:
    now = request.now
    counts = meta.fb_post_metrics(post, now)
    reactions = meta.fb_reactions(post, now)
    number = post.id.partition("_")[2]
    picture_url = f"https://scontent.xx.fbcdn.net/v/sim/{number}.jpg" if post.kind != "status" else None

    def attachments(item: F.Field) -> dict | None:
        if post.kind == "status":
            return None
        kinds = {
            "photo": ("photo", "photo"),
            "video": ("video", "video_inline"),
            "link": ("link", "share"),
            "album": ("album", "album"),
        }
        media_type, kind = kinds[post.kind]
        url = f"https://www.facebook.com/{post.persona.fb_username}/posts/{number}"
        available = {
            "media_type": media_type,
            "type": kind,
            "url": url,
            "title": post.message[:60],
            "description": post.message,
            "target": {"id": number, "url": url},
            "media": {"image": {"height": 720, "src": picture_url, "width": 720}},
        }
        if post.kind == "album":
            available["subattachments"] = {"data": [{"media_type": "photo", "type": "photo", "url": url}] * 3}
        return {"data": [F.select(available, item.children, ["media_type", "type", "url"], "StoryAttachment")]}

    def summarized(total: int, summary: dict) -> Callable[[F.Field], dict]:
        def build(item: F.Field) -> dict:
            node: dict = {"data": []}
            if "summary" in item.modifiers:
                node["summary"] = summary
            return node

        return build

    comment_summary = {"order": "ranked", "total_count": counts["comments"], "can_comment": True}
    available = {
        "id": post.id,
        "created_time": meta.graph_time(post.created),
        "updated_time": meta.graph_time(post.created),
        "message": post.message,
        "permalink_url": f"https://www.facebook.com/{post.persona.fb_username}/posts/{number}",
        "status_type": meta.FB_STATUS_TYPE[post.kind],
        "full_picture": picture_url,
        "is_published": True,
        "from": lambda item: F.select(
            {"id": post.persona.fb_page_id, "name": post.persona.name}, item.children, ["name", "id"], "Page"
        ),
        "attachments": attachments,
        "shares": {"count": counts["shares"]} if counts["shares"] else None,
        "reactions": summarized(sum(reactions.values()), {"total_count": sum(reactions.values())}),
        "likes": summarized(
            reactions["like"], {"total_count": reactions["like"], "can_like": True, "has_liked": False}
        ),
        "comments": summarized(counts["comments"], comment_summary),
    }
    return F.select(available, requested, ["created_time", "message", "id"], "Post")


def published_posts(request: Request, persona: Persona) -> Reply:
    now, seed = request.now, request.sim.seed
    since, until = parse_time(request.arg("since")), parse_time(request.arg("until"))
    requested = F.parse(request.arg("fields"))

    def posts() -> Iterator[meta.FbPost]:
        for day in days_back(now, since, until):
            for post in reversed(meta.fb_day(seed, persona, day)):
                if post.created <= now and in_range(post.created, since, until):
                    yield post

    picked, paging = page_of(request, posts(), lambda p: p.id)
    return Reply(200, {"data": [post_node(request, p, requested) for p in picked], "paging": paging})


def post_insights(request: Request, post: meta.FbPost) -> Reply:
    names = metric_names(request, set(POST_METRICS))
    counts, reactions = meta.fb_post_metrics(post, request.now), meta.fb_reactions(post, request.now)
    clicks = counts["clicks"]
    values = {
        "post_media_view": counts["media_view"],
        "post_total_media_view_unique": counts["viewers"],
        "post_reactions_by_type_total": {k: v for k, v in reactions.items() if v},
        "post_clicks": clicks,
        "post_clicks_by_type": {"other clicks": clicks // 2, "link clicks": clicks // 4, "photo view": clicks // 4},
    }
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": values[name]}],
            "title": POST_METRICS[name][0],
            "description": POST_METRICS[name][1],
            "id": f"{post.id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return Reply(200, {"data": data, "paging": {"previous": request.url_with(), "next": request.url_with()}})


def comment_node(comment: meta.Comment, replies: int, requested: list[F.Field] | None, post: meta.FbPost) -> dict:
    available = {
        "id": comment.id,
        "created_time": meta.graph_time(comment.created),
        "message": comment.message,
        "like_count": comment.like_count,
        "comment_count": replies,
        "from": lambda item: F.select(
            {"id": comment.author_id, "name": comment.author_name}, item.children, ["name", "id"], "User"
        ),
        "parent": (lambda item: F.select({"id": comment.parent_id}, item.children, ["id"], "Comment"))
        if comment.parent_id
        else None,
        "permalink_url": f"https://www.facebook.com/{post.persona.fb_username}/posts/{post.id.partition('_')[2]}"
        f"?comment_id={comment.id.partition('_')[2]}",
        "can_reply_privately": True,
        "is_hidden": False,
    }
    return F.select(available, requested, ["created_time", "from", "message", "id"], "Comment")


def post_comments(request: Request, post: meta.FbPost) -> Reply:
    from networks.simulator import inbox  # the inbox's writes show in the listing

    now = request.now
    visible = [c for c in meta.fb_comments(post) if c.created <= now]
    visible = inbox.with_writes(request, visible, {c.id for c in visible if not c.parent_id})
    replies: dict[str, int] = {}
    for comment in visible:
        if comment.parent_id:
            replies[comment.parent_id] = replies.get(comment.parent_id, 0) + 1
    if request.arg("filter", "toplevel") != "stream":
        visible = [c for c in visible if not c.parent_id]
    if request.arg("order") == "reverse_chronological":
        visible.reverse()
    requested = F.parse(request.arg("fields"))
    picked, paging = page_of(request, iter(visible), lambda c: c.id)
    data = [comment_node(c, replies.get(c.id, 0), requested, post) for c in picked]
    inbox.mark_hidden(request, data, "is_hidden")
    body: dict = {"data": data, "paging": paging}
    if request.arg("summary"):
        body["summary"] = {"order": "chronological", "total_count": len(visible), "can_comment": True}
    return Reply(200, body)


def conversations(request: Request, persona: Persona) -> Reply:
    from networks.simulator import inbox  # messages the inbox sent show in their thread

    now, seed = request.now, request.sim.seed
    requested = F.parse(request.arg("fields"))
    page_party = {"name": persona.name, "email": f"{persona.fb_page_id}@facebook.com", "id": persona.fb_page_id}

    def threads() -> Iterator[meta.Thread]:
        for day in days_back(now, now - timedelta(days=365), None):
            ordered = sorted(
                meta.conversation_day(seed, persona, day), key=lambda t: t.messages[0].created, reverse=True
            )
            yield from (t for t in ordered if t.messages[0].created <= now)

    def party(message: meta.Comment, thread: meta.Thread) -> dict:
        return {"name": message.author_name, "email": f"{message.author_id}@facebook.com", "id": message.author_id}

    def thread_node(thread: meta.Thread) -> dict:
        visible = inbox.with_writes(request, [m for m in thread.messages if m.created <= now], {thread.id})
        user = {"name": thread.user_name, "email": f"{thread.user_id}@facebook.com", "id": thread.user_id}

        def messages(item: F.Field) -> dict:
            chosen = list(reversed(visible))[: F.limit_of(item, 25)]
            nodes = []
            for message in chosen:
                recipient = page_party if message.author_id == thread.user_id else user
                available = {
                    "id": message.id,
                    "created_time": meta.graph_time(message.created),
                    "from": party(message, thread),
                    "to": {"data": [recipient]},
                    "message": message.message,
                }
                nodes.append(F.select(available, item.children, ["id", "created_time"], "Message"))
            paging = (
                {"cursors": {"before": encode_cursor(chosen[0].id), "after": encode_cursor(chosen[-1].id)}}
                if chosen
                else {}
            )
            return {"data": nodes, "paging": paging}

        available = {
            "id": thread.id,
            "updated_time": meta.graph_time(visible[-1].created),
            "participants": {"data": [user, page_party]},
            "messages": messages,
            "message_count": len(visible),
            "unread_count": 1 if visible[-1].author_id == thread.user_id else 0,
            "snippet": visible[-1].message[:100],
            "link": f"/{persona.fb_page_id}/inbox/{thread.id[2:]}/",
            "can_reply": True,
        }
        return F.select(available, requested, ["id", "updated_time", "link"], "UnifiedThread")

    picked, paging = page_of(request, threads(), lambda t: t.id)
    return Reply(200, {"data": [thread_node(t) for t in picked], "paging": paging})


# --- Dispatch ----------------------------------------------------------------------------------


def node(request: Request) -> Reply:
    from networks.simulator import instagram

    node_id, edge = request.params["id"], request.params.get("edge")
    caller = authenticate(request)
    seed = request.sim.seed
    if node_id == "me":
        if edge == "accounts":
            return _with_usage(request, me_accounts(request, caller), None, "pages")
        if edge is None and caller.user_id:
            user = facebook_user(caller.user_id)
            body = F.select({"id": user.id, "name": user.name}, F.parse(request.arg("fields")), ["name", "id"], "User")
            return _with_usage(request, Reply(200, body), None, "pages")
        if edge is None:
            node_id = persona_by_key(next(iter(caller.allowed))).fb_page_id or ""
    if node_id == "ig_hashtag_search" and edge is None:
        return instagram.hashtag_search(request, caller)
    persona = persona_by_page(node_id)
    if persona is not None:
        _check(caller, persona, node_id)
        handlers = {
            None: lambda: Reply(200, page_node(request, caller, persona, F.parse(request.arg("fields")))),
            "insights": lambda: page_insights(request, persona),
            "published_posts": lambda: published_posts(request, persona),
            "posts": lambda: published_posts(request, persona),
            "feed": lambda: published_posts(request, persona),
            "conversations": lambda: conversations(request, persona),
        }
        return _with_usage(request, _run(handlers, edge, node_id), node_id, "pages")
    if "_" in node_id:
        post = meta.fb_post_by_id(seed, node_id)
        if post is None or post.created > request.now:
            raise unsupported(node_id)
        _check(caller, post.persona, node_id)
        handlers = {
            None: lambda: Reply(200, post_node(request, post, F.parse(request.arg("fields")))),
            "insights": lambda: post_insights(request, post),
            "comments": lambda: post_comments(request, post),
        }
        return _with_usage(request, _run(handlers, edge, node_id), post.persona.fb_page_id, "pages")
    persona = persona_by_ig(node_id)
    if persona is not None:
        _check(caller, persona, node_id)
        return _with_usage(request, instagram.user_edge(request, caller, persona, edge), node_id, "instagram")
    media = meta.ig_media_by_id(seed, node_id)
    if media is not None and media.created <= request.now:
        if media.persona is not None and media.stream == meta.OWN_MEDIA:
            _check(caller, media.persona, node_id)
        owner = media.persona.ig_user_id if media.persona else None
        return _with_usage(request, instagram.media_edge(request, media, edge), owner, "instagram")
    if node_id in request.sim.hashtag_names or node_id in instagram.WORLD_HASHTAG_IDS:
        return _with_usage(request, instagram.hashtag_edge(request, caller, node_id, edge), None, "instagram")
    raise unsupported(node_id)


def _check(caller: Caller, persona: Persona, node_id: str) -> None:
    if persona.key not in caller.allowed:
        raise unsupported(node_id)


def _run(handlers: dict, edge: str | None, node_id: str) -> Reply:
    handler = handlers.get(edge)
    if handler is None:
        raise graph_error(f"(#100) Tried accessing nonexisting field ({edge}) on node type ({node_id})", 100)
    return handler()


def _with_usage(request: Request, reply: Reply, object_id: str | None, kind: str) -> Reply:
    reply.headers.update(usage_headers(request, object_id, kind))
    return reply


def _with_app_usage(request: Request, error: HttpError) -> HttpError:
    """Graph sends ``x-app-usage`` with errors too; a call refused still counts."""
    if "x-app-usage" not in error.reply.headers:
        percent = request.sim.graph_usage.hit("app") * 100 // GRAPH_APP_CALLS_PER_HOUR
        usage = {"call_count": percent, "total_cputime": percent // 2, "total_time": percent // 2}
        error.reply.headers["x-app-usage"] = json.dumps(usage)
    return error


def guarded(handler: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
    def wrapped(request: Request) -> Reply:
        if request.network != "graph":  # an unknown X path is not a Graph node
            return Reply(404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]})
        try:
            return handler(request)
        except F.FieldError as error:
            raise _with_app_usage(request, graph_error(str(error), 100)) from error
        except HttpError as error:
            raise _with_app_usage(request, error) from None

    return wrapped


def register(router: Router) -> None:
    router.add("GET", r"^/(?P<id>[\w.-]+)$", guarded(node), "graph-node")
    router.add("GET", r"^/(?P<id>[\w.-]+)/(?P<edge>\w+)$", guarded(node), "graph-edge")
