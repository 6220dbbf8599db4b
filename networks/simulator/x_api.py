"""X API v2 endpoints: users, timelines, mentions, recent search, tweet lookup — real shapes and errors."""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from networks.simulator.clock import parse_instant
from networks.simulator.generator import x as gen
from networks.simulator.generator.base import DAY
from networks.simulator.server import HttpError, Reply, Request, Router, json_error
from networks.simulator.world import HISTORY_START, PERSONAS_BY_X, Persona, persona_by_key, persona_by_x

TWEET_FIELDS = {
    "attachments",
    "author_id",
    "card_uri",
    "community_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "display_text_range",
    "edit_controls",
    "edit_history_tweet_ids",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "media_metadata",
    "non_public_metrics",
    "note_tweet",
    "organic_metrics",
    "possibly_sensitive",
    "promoted_metrics",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "scopes",
    "source",
    "text",
    "withheld",
}
USER_FIELDS = {
    "affiliation",
    "connection_status",
    "created_at",
    "description",
    "entities",
    "id",
    "location",
    "most_recent_tweet_id",
    "name",
    "pinned_tweet_id",
    "profile_banner_url",
    "profile_image_url",
    "protected",
    "public_metrics",
    "receives_your_dm",
    "subscription_type",
    "url",
    "username",
    "verified",
    "verified_type",
    "withheld",
}
MEDIA_FIELDS = {
    "alt_text",
    "duration_ms",
    "height",
    "media_key",
    "non_public_metrics",
    "organic_metrics",
    "preview_image_url",
    "promoted_metrics",
    "public_metrics",
    "type",
    "url",
    "variants",
    "width",
}
EXPANSIONS = {
    "attachments.media_keys",
    "referenced_tweets.id",
    "author_id",
    "in_reply_to_user_id",
    "referenced_tweets.id.author_id",
    "entities.mentions.username",
    "attachments.poll_ids",
    "geo.place_id",
    "edit_history_tweet_ids",
    "pinned_tweet_id",
    "most_recent_tweet_id",
}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
TOO_MANY = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}


def invalid(parameter: str, value: str, message: str) -> HttpError:
    return json_error(
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


def _fields(request: Request, name: str, allowed: set[str]) -> set[str]:
    value = request.arg(name) or ""
    chosen = {item for item in value.split(",") if item}
    for item in chosen - allowed:
        raise invalid(
            name, item, f"The `{name}` query parameter value [{item}] is not one of [{','.join(sorted(allowed))}]"
        )
    return chosen


def x_endpoint(handler: Callable[[Request, Persona], Reply]) -> Callable[[Request], Reply]:
    """Bearer user token → persona, then the per-user 15-minute window of this endpoint."""

    def wrapped(request: Request) -> Reply:
        sim = request.sim
        header = request.headers.get("authorization", "")
        raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = sim.vault.read(raw, "xat")
        persona = persona_by_key(token.subject) if token else None
        if (
            token is None
            or persona is None
            or token.expiry < request.now.timestamp()
            or sim.faults.is_revoked(raw, persona.key, persona.x_user_id)
        ):
            raise json_error(401, UNAUTHORIZED)
        limit, remaining, reset = sim.x_limits.hit(request.params["_route"], raw)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(0, remaining)),
            "x-rate-limit-reset": str(reset),
        }
        if remaining < 0:
            return Reply(429, TOO_MANY, headers)
        try:
            reply = handler(request, persona)
        except HttpError as error:  # 400s and not-found answers count and carry the headers too
            error.reply.headers.update(headers)
            raise
        reply.headers.update(headers)
        return reply

    return wrapped


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --- Objects ---------------------------------------------------------------------------------


def user_object(request: Request, persona: Persona, chosen: set[str]) -> dict:
    full = {
        "id": persona.x_user_id,
        "name": persona.name,
        "username": persona.x_username,
        "created_at": "2011-03-14T09:12:44.000Z",
        "description": persona.description,
        "profile_image_url": f"https://pbs.twimg.com/profile_images/{persona.index}/avatar_normal.jpg",
        "public_metrics": gen.user_public_metrics(request.sim.seed, persona, request.now),
        "verified": persona.kind == "city",
        "verified_type": "government" if persona.kind == "city" else "none",
        "protected": False,
        "location": "Boulogne-Billancourt, France" if persona.language == "fr" else "Manchester, UK",
        "url": "",
    }
    return {k: v for k, v in full.items() if k in chosen or k in {"id", "name", "username"}}


def _entities(text: str) -> dict:
    entities: dict[str, list] = {}
    for match in gen.HASHTAG.finditer(text):
        entities.setdefault("hashtags", []).append({"start": match.start(), "end": match.end(), "tag": match.group(1)})
    for match in gen.MENTION_RE.finditer(text):
        entities.setdefault("mentions", []).append(
            {"start": match.start(), "end": match.end(), "username": match.group(1)}
        )
    for match in re.finditer(r"https://t\.co/\w+", text):
        entities.setdefault("urls", []).append(
            {
                "start": match.start(),
                "end": match.end(),
                "url": match.group(0),
                "expanded_url": match.group(0),
                "display_url": match.group(0)[8:],
            }
        )
    return entities


def media_key(tweet: gen.XTweet) -> str:
    return f"{'3' if tweet.media == 'photo' else '7'}_{tweet.id}"


def tweet_object(request: Request, me: Persona, tweet: gen.XTweet, chosen: set[str]) -> dict:
    now = request.now
    metrics = gen.metrics_at(tweet, now)
    full: dict = {
        "id": str(tweet.id),
        "text": tweet.text,
        "edit_history_tweet_ids": [str(tweet.id)],
        "author_id": tweet.author.id,
        "created_at": iso(tweet.created_at),
        "conversation_id": str(tweet.conversation_id or tweet.id),
        "lang": tweet.lang,
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "public_metrics": {
            k: metrics[k]
            for k in ("retweet_count", "reply_count", "like_count", "quote_count", "bookmark_count", "impression_count")
        },
    }
    entities = _entities(tweet.text) if "entities" in chosen else None
    if entities:
        full["entities"] = entities
    if tweet.ref_type:
        full["referenced_tweets"] = [{"type": tweet.ref_type, "id": str(tweet.ref_id)}]
    if tweet.in_reply_to_user_id:
        full["in_reply_to_user_id"] = tweet.in_reply_to_user_id
    if tweet.media:
        full["attachments"] = {"media_keys": [media_key(tweet)]}
    # Non-public counters: the owner's own posts (not its reposts) younger than 30 days only.
    if (
        tweet.own
        and tweet.kind != "repost"
        and tweet.author.id == me.x_user_id
        and now - tweet.created_at < timedelta(days=30)
    ):
        engagements = metrics["like_count"] + metrics["retweet_count"] + metrics["reply_count"] + metrics["quote_count"]
        clicks = {"url_link_clicks": metrics["url_link_clicks"], "user_profile_clicks": metrics["user_profile_clicks"]}
        full["non_public_metrics"] = {
            "impression_count": metrics["impression_count"],
            **clicks,
            "engagements": engagements + sum(clicks.values()),
        }
        full["organic_metrics"] = {
            "impression_count": metrics["impression_count"],
            "like_count": metrics["like_count"],
            "reply_count": metrics["reply_count"],
            "retweet_count": metrics["retweet_count"],
            **clicks,
        }
    keep = chosen | {"id", "text", "edit_history_tweet_ids"}
    return {k: v for k, v in full.items() if k in keep}


def media_object(request: Request, tweet: gen.XTweet, chosen: set[str]) -> dict:
    final = gen.metrics_at(tweet, request.now)
    full: dict = {"media_key": media_key(tweet), "type": tweet.media, "width": 1200, "height": 675}
    if tweet.media == "photo":
        full["url"] = f"https://pbs.twimg.com/media/sim{tweet.id}.jpg"
    else:
        full["preview_image_url"] = f"https://pbs.twimg.com/ext_tw_video_thumb/{tweet.id}/pu/img/sim.jpg"
        full["duration_ms"] = 30000 + tweet.id % 60000
        full["public_metrics"] = {"view_count": final["impression_count"] // 3}
    return {k: v for k, v in full.items() if k in chosen or k in {"media_key", "type"}}


def tweets_response(request: Request, me: Persona, tweets: list[gen.XTweet], meta: dict | None) -> dict:
    tweet_fields = _fields(request, "tweet.fields", TWEET_FIELDS)
    user_fields = _fields(request, "user.fields", USER_FIELDS)
    media_fields = _fields(request, "media.fields", MEDIA_FIELDS)
    expansions = _fields(request, "expansions", EXPANSIONS)
    body: dict = {}
    if tweets:
        body["data"] = [tweet_object(request, me, t, tweet_fields) for t in tweets]
    includes: dict[str, list] = {}
    if "attachments.media_keys" in expansions:
        media = [media_object(request, t, media_fields) for t in tweets if t.media]
        if media:
            includes["media"] = media
    if "referenced_tweets.id" in expansions:
        seen, referenced = set(), []
        for tweet in tweets:
            original = gen.tweet_by_id(request.sim.seed, tweet.ref_id) if tweet.ref_id else None
            if original and original.id not in seen:
                seen.add(original.id)
                referenced.append(tweet_object(request, me, original, tweet_fields))
        if referenced:
            includes["tweets"] = referenced
    if "author_id" in expansions:
        users = {t.author.id: t.author for t in tweets}
        personas = {user_id: persona_by_x(user_id) for user_id in users}
        includes["users"] = [
            user_object(request, persona, user_fields)
            if (persona := personas[u.id])
            else {"id": u.id, "name": u.name, "username": u.username}
            for u in users.values()
        ]
    if includes:
        body["includes"] = includes
    if meta is not None:
        body["meta"] = meta
    return body


# --- Listing with pagination -----------------------------------------------------------------


def _token(upper_id: int, served: int) -> str:
    return base64.b32encode(f"{upper_id}:{served}".encode()).decode().lower().rstrip("=")


def _untoken(value: str, parameter: str) -> tuple[int, int]:
    try:
        upper, served = base64.b32decode(value.upper() + "=" * (-len(value) % 8)).decode().split(":")
        return int(upper), int(served)
    except (ValueError, UnicodeDecodeError) as error:
        raise invalid(parameter, value, f"The `{parameter}` query parameter value [{value}] is invalid") from error


def _time_arg(request: Request, name: str) -> datetime | None:
    value = request.arg(name)
    if not value:
        return None
    try:
        return parse_instant(value)
    except ValueError as error:
        raise invalid(name, value, f"Invalid '{name}':'{value}'.") from error


def _id_arg(request: Request, name: str) -> int | None:
    value = request.arg(name)
    if not value:
        return None
    if not value.isdigit():
        raise invalid(name, value, f"The `{name}` query parameter value [{value}] is not valid")
    return int(value)


def _max_results(request: Request, low: int, high: int, default: int) -> int:
    value = request.arg("max_results")
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise invalid(
            "max_results", value, f"The `max_results` query parameter value [{value}] is not between {low} and {high}"
        )
    return int(value)


def paginate(
    request: Request,
    days: Callable[[object], Iterable[gen.XTweet]],
    *,
    token_param: str,
    low: int,
    high: int,
    default: int,
    oldest_day,
    cap: int | None,
) -> tuple[list[gen.XTweet], dict]:
    """Newest-first walk back through the days, honouring since/until ids, times and the cursor."""
    now = request.now
    size = _max_results(request, low, high, default)
    since_id, until_id = _id_arg(request, "since_id"), _id_arg(request, "until_id")
    start, end = _time_arg(request, "start_time"), _time_arg(request, "end_time")
    upper, served = (None, 0)
    if request.arg(token_param):
        upper, served = _untoken(request.arg(token_param) or "", token_param)
    ceiling = min(now, end) if end else now
    floor_day = max(oldest_day, start.date() if start else oldest_day)
    if since_id:
        floor_day = max(floor_day, gen.decode(since_id)[0].date())
    exclude = set((request.arg("exclude") or "").split(","))
    picked: list[gen.XTweet] = []
    more = False

    def candidates() -> Iterator[gen.XTweet]:
        day = ceiling.date()
        while day >= floor_day:
            yield from sorted(days(day), key=lambda t: t.id, reverse=True)
            day -= DAY

    for tweet in candidates():
        if tweet.created_at > ceiling or (start and tweet.created_at < start):
            continue
        if (since_id and tweet.id <= since_id) or (until_id and tweet.id >= until_id) or (upper and tweet.id >= upper):
            continue
        if ("retweets" in exclude and tweet.kind == "repost") or ("replies" in exclude and tweet.kind == "reply"):
            continue
        if tweet.id in request.sim.deleted_tweets:
            continue
        if cap is not None and served + len(picked) >= cap:
            break
        if len(picked) == size:
            more = True
            break
        picked.append(tweet)
    meta: dict = {"result_count": len(picked)}
    if picked:
        meta["newest_id"], meta["oldest_id"] = str(picked[0].id), str(picked[-1].id)
        if more:
            meta["next_token"] = _token(picked[-1].id, served + len(picked))
    return picked, meta


# --- Handlers --------------------------------------------------------------------------------


@x_endpoint
def users_me(request: Request, me: Persona) -> Reply:
    return Reply(200, {"data": user_object(request, me, _fields(request, "user.fields", USER_FIELDS))})


def _not_found(kind: str, parameter: str, value: str) -> dict:
    return {
        "value": value,
        "detail": f"Could not find {kind} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": kind,
        "parameter": parameter,
        "resource_id": value,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def _persona_for(user_id: str) -> Persona:
    persona = persona_by_x(user_id)
    if persona is None:
        raise json_error(200, {"errors": [_not_found("user", "id", user_id)]})
    return persona


@x_endpoint
def user_by_id(request: Request, me: Persona) -> Reply:
    persona = _persona_for(request.params["id"])
    return Reply(200, {"data": user_object(request, persona, _fields(request, "user.fields", USER_FIELDS))})


@x_endpoint
def users_tweets(request: Request, me: Persona) -> Reply:
    persona, seed = _persona_for(request.params["id"]), request.sim.seed
    tweets, meta = paginate(
        request,
        lambda day: gen.own_day(seed, persona, day),
        token_param="pagination_token",  # noqa: S106 — a parameter name
        low=5,
        high=100,
        default=10,
        oldest_day=HISTORY_START,
        cap=3200,
    )
    return Reply(200, tweets_response(request, me, tweets, meta))


@x_endpoint
def users_mentions(request: Request, me: Persona) -> Reply:
    persona, seed = _persona_for(request.params["id"]), request.sim.seed
    tweets, meta = paginate(
        request,
        lambda day: gen.mention_day(seed, persona, day),
        token_param="pagination_token",  # noqa: S106 — a parameter name
        low=5,
        high=100,
        default=10,
        oldest_day=HISTORY_START,
        cap=800,
    )
    return Reply(200, tweets_response(request, me, tweets, meta))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def compile_query(query: str) -> Callable[[gen.XTweet], bool]:
    """A subset of X's search syntax: terms, "phrases", #tags, @users, from:/to:, is:, lang:, has:media, OR, -, ()."""
    tokens = re.findall(r'\(|\)|-?"[^"]*"|-?[^\s()]+', query)
    position = 0

    def atom(token: str) -> Callable[[gen.XTweet], bool]:
        negate = token.startswith("-") and len(token) > 1
        token = token[1:] if negate else token
        key, _, value = token.partition(":")
        if key == "from" and value:
            test = lambda t: t.author.username.lower() == value.lower()  # noqa: E731
        elif key == "to" and value:
            test = lambda t: t.text.lower().startswith(f"@{value.lower()}")  # noqa: E731
        elif key == "is" and value in {"retweet", "reply", "quote"}:
            kind = {"retweet": "repost", "reply": "reply", "quote": "quote"}[value]
            test = lambda t: t.kind == kind  # noqa: E731
        elif key == "lang" and value:
            test = lambda t: t.lang == value  # noqa: E731
        elif key == "has" and value == "media":
            test = lambda t: bool(t.media)  # noqa: E731
        else:
            needle = _fold(token.strip('"'))
            if needle.startswith(("#", "@")):
                pattern = re.compile(re.escape(needle) + r"(?!\w)")
                test = lambda t: bool(pattern.search(_fold(t.text)))  # noqa: E731
            else:
                test = lambda t: needle in _fold(t.text)  # noqa: E731
        return (lambda t: not test(t)) if negate else test

    def expression() -> Callable[[gen.XTweet], bool]:
        nonlocal position
        alternatives, current = [], []
        while position < len(tokens) and tokens[position] != ")":
            word = tokens[position]
            position += 1
            if word == "OR":
                alternatives.append(current)
                current = []
            elif word == "(":
                current.append(expression())
                position += 1  # the closing parenthesis
            else:
                current.append(atom(word))
        alternatives.append(current)
        return lambda t: any(all(test(t) for test in group) for group in alternatives if group)

    return expression()


@x_endpoint
def search_recent(request: Request, me: Persona) -> Reply:
    query = request.arg("query") or ""
    if not query.strip() or len(query) > 512:
        raise invalid("query", query, "The `query` query parameter value must be between 1 and 512 characters")
    start = _time_arg(request, "start_time")
    oldest = request.now - timedelta(days=7)
    if start and start < oldest:
        raise invalid(
            "start_time",
            request.arg("start_time") or "",
            f"Invalid 'start_time':'{request.arg('start_time')}'. 'start_time' must be on or after {iso(oldest)}",
        )
    matches, seed = compile_query(query), request.sim.seed

    def day_corpus(day) -> list[gen.XTweet]:
        corpus = list(gen.listening_day(seed, day))
        for persona in PERSONAS_BY_X.values():
            corpus += gen.own_day(seed, persona, day) + gen.mention_day(seed, persona, day)
            corpus += gen.partner_day(seed, persona, day)
        return [t for t in corpus if t.created_at >= oldest and matches(t)]

    tweets, meta = paginate(
        request,
        day_corpus,
        token_param="next_token",  # noqa: S106 — a parameter name
        low=10,
        high=100,
        default=10,
        oldest_day=oldest.date(),
        cap=None,
    )
    return Reply(200, tweets_response(request, me, tweets, meta))


@x_endpoint
def tweets_lookup(request: Request, me: Persona) -> Reply:
    ids = [i for i in (request.arg("ids") or "").split(",") if i]
    if not 1 <= len(ids) <= 100:
        raise invalid("ids", request.arg("ids") or "", "The `ids` query parameter value must contain 1 to 100 ids")
    found, errors = [], []
    for value in ids:
        tweet = gen.tweet_by_id(request.sim.seed, int(value)) if value.isdigit() else None
        if tweet is None or tweet.created_at > request.now or tweet.id in request.sim.deleted_tweets:
            errors.append(_not_found("tweet", "ids", value))
        else:
            found.append(tweet)
    body = tweets_response(request, me, found, None)
    if errors:
        body["errors"] = errors
    return Reply(200, body)


@x_endpoint
def tweet_by_id(request: Request, me: Persona) -> Reply:
    value = request.params["id"]
    tweet = gen.tweet_by_id(request.sim.seed, int(value))
    if tweet is None or tweet.created_at > request.now or tweet.id in request.sim.deleted_tweets:
        return Reply(200, {"errors": [_not_found("tweet", "id", value)]})
    body = tweets_response(request, me, [tweet], None)
    body["data"] = body["data"][0]
    return Reply(200, body)


def register(router: Router) -> None:
    router.add("GET", r"^/2/users/me$", users_me, "/2/users/me")
    router.add("GET", r"^/2/users/(?P<id>\d+)$", user_by_id, "/2/users/:id")
    router.add("GET", r"^/2/users/(?P<id>\d+)/tweets$", users_tweets, "/2/users/:id/tweets")
    router.add("GET", r"^/2/users/(?P<id>\d+)/mentions$", users_mentions, "/2/users/:id/mentions")
    router.add("GET", r"^/2/tweets/search/recent$", search_recent, "/2/tweets/search/recent")
    router.add("GET", r"^/2/tweets$", tweets_lookup, "/2/tweets")
    router.add("GET", r"^/2/tweets/(?P<id>\d+)$", tweet_by_id, "/2/tweets/:id")
