"""Facebook Page and Instagram content: posts, media, comments, conversations, daily insights.

Meta's daily values belong to Pacific days (America/Los_Angeles); ``pacific_end_time`` gives the
``end_time`` Graph prints for a day, right across DST changes. Ids pack (stream, persona, day,
index) in fixed-width digits so a lookup by id regenerates one day only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from networks.simulator.generator import text
from networks.simulator.generator.base import (
    DAY,
    POSTING_WEEKDAY,
    activity_factor,
    age_for_fraction,
    days_since_start,
    engagement_fraction,
    followers_at,
    followers_end_of_day,
    follows_unfollows,
    posting_time,
    stream,
)
from networks.simulator.generator.x import poisson
from networks.simulator.world import (
    BOULOGNE,
    HASHTAG_STREAMS,
    HISTORY_START,
    OTHER_HASHTAG_RATE,
    Persona,
    persona_by_index,
    persona_by_page,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
UTC_OFFSET = {"fr": 1, "en": 0}
FB_TYPES = ("status", "photo", "video", "link", "album")
FB_STATUS_TYPE = {
    "status": "mobile_status_update",
    "photo": "added_photos",
    "video": "added_video",
    "link": "shared_story",
    "album": "added_photos",
}
IG_KINDS = (("IMAGE", "FEED"), ("CAROUSEL_ALBUM", "FEED"), ("VIDEO", "REELS"), ("VIDEO", "FEED"))
WORLD_TAGS = tuple(HASHTAG_STREAMS)  # slot i+1 in media ids
OWN_MEDIA, HASHTAG_MEDIA, TAGGED_MEDIA = 0, 1, 2


def pacific_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0), tzinfo=PACIFIC)
    end = datetime.combine(day + DAY, time(0, 0), tzinfo=PACIFIC)
    return start.astimezone(UTC), end.astimezone(UTC)


def pacific_end_time(day: date) -> str:
    """Graph's ``end_time`` of Pacific ``day``: the next Pacific midnight, printed in UTC."""
    return pacific_day_bounds(day)[1].strftime("%Y-%m-%dT%H:%M:%S+0000")


def last_complete_pacific_day(now: datetime) -> date:
    today = now.astimezone(PACIFIC).date()
    return today - DAY


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# --- Facebook posts and comments -------------------------------------------------------------


@dataclass(eq=False)  # hashed by identity: comments are cached per post
class FbPost:
    id: str  # "{page}_{post}"
    persona: Persona
    created: datetime
    kind: str
    message: str
    final: dict[str, int] = field(default_factory=dict)
    reactions: dict[str, int] = field(default_factory=dict)


def fb_post_number(persona: Persona, day: date, index: int) -> str:
    return f"1{persona.index:04d}{days_since_start(day):05d}{index:04d}"


@lru_cache(maxsize=20000)
def fb_day(seed: int, persona: Persona, day: date) -> tuple[FbPost, ...]:
    if day < HISTORY_START or not persona.fb_page_id:
        return ()
    rng = stream(seed, persona.key, "facebook", "posts", day.toordinal())
    count = poisson(rng, persona.posts_per_day.get("facebook", 0) * POSTING_WEEKDAY[day.weekday()])
    audience = followers_end_of_day(seed, persona, "facebook", day - DAY)
    factor = activity_factor(seed, persona, "facebook", day)
    posts = []
    for index in range(min(count, 9000)):
        created = posting_time(rng, day, UTC_OFFSET[persona.language])
        kind = rng.choices(FB_TYPES, weights=(15, 40, 15, 20, 10))[0]
        views = audience * rng.uniform(0.08, 0.5) * factor * (1.5 if kind in {"video", "album"} else 1.0)
        if rng.random() < 0.02:
            views *= rng.uniform(5, 30)
        reactions_total = views * rng.uniform(0.005, 0.03)
        split = {"like": 0.72, "love": 0.14, "wow": 0.04, "haha": 0.04, "sorry": 0.03, "anger": 0.03}
        reactions = {name: int(reactions_total * share * rng.uniform(0.5, 1.5)) for name, share in split.items()}
        final = {
            "media_view": int(views),
            "viewers": int(views * rng.uniform(0.55, 0.8)),
            "comments": min(int(reactions_total * rng.uniform(0.03, 0.2)), 600),
            "shares": int(reactions_total * rng.uniform(0.0, 0.15)),
            "clicks": int(views * rng.uniform(0.002, 0.02)),
        }
        post_id = f"{persona.fb_page_id}_{fb_post_number(persona, day, index)}"
        posts.append(FbPost(post_id, persona, created, kind, text.post_text(rng, persona), final, reactions))
    return tuple(sorted(posts, key=lambda p: p.created))


def fb_post_by_id(seed: int, post_id: str) -> FbPost | None:
    page_id, _, number = post_id.partition("_")
    persona = persona_by_page(page_id)
    if persona is None or len(number) != 14 or not number.isdigit():
        return None
    day = HISTORY_START + timedelta(days=int(number[5:10]))
    return next((p for p in fb_day(seed, persona, day) if p.id == post_id), None)


def fb_post_metrics(post: FbPost, now: datetime) -> dict[str, int]:
    fraction = engagement_fraction(now - post.created)
    values = {name: int(value * fraction) for name, value in post.final.items()}
    # Every comment of a Facebook post (answers included) is dated by its index alone.
    values["comments"] = comments_by(post.created, post.final["comments"], post.final["comments"], now)
    return values


def comments_by(created: datetime, total: int, listed: int, now: datetime) -> int:
    """How many of the first ``listed`` comments (of ``total``) are dated no later than ``now``.

    Comment ``i`` arrives at ``created + age_for_fraction((i + 1) / (total + 1))`` (``fb_comments``,
    ``ig_comments``), later for a larger ``i``: a bisection over the index counts them without
    generating their texts and authors, which a post or media list would otherwise do for every
    item it shows (most of the simulator's time in the sync benchmark).
    """
    low, high = 0, listed  # comments low..high-1 are undecided; those before low are in
    while low < high:
        middle = (low + high) // 2
        if created + age_for_fraction((middle + 1) / (total + 1)) <= now:
            low = middle + 1
        else:
            high = middle
    return low


def fb_reactions(post: FbPost, now: datetime) -> dict[str, int]:
    fraction = engagement_fraction(now - post.created)
    return {name: int(value * fraction) for name, value in post.reactions.items()}


@dataclass
class Comment:
    id: str
    created: datetime
    author_id: str
    author_name: str
    message: str
    like_count: int
    parent_id: str | None = None
    username: str = ""


@lru_cache(maxsize=4096)
def fb_comments(post: FbPost) -> tuple[Comment, ...]:
    rng = stream(0, post.id, "comments")
    total = post.final["comments"]
    comments: list[Comment] = []
    number = post.id.partition("_")[2]
    for index in range(total):
        created = post.created + age_for_fraction((index + 1) / (total + 1))
        comment_id = f"{number}_{1000000 + index}"
        parent = None
        if comments and rng.random() < 0.2:
            parent = comments[rng.randrange(len(comments))]
        if parent and rng.random() < 0.4:  # the page answers a question under its post
            reply = (
                "Bonjour, merci pour votre message !" if post.persona.language == "fr" else "Thanks for your message!"
            )
            author = (post.persona.fb_page_id or "", post.persona.name)
            body = reply
        else:
            body, language, _ = text.message(rng, post.persona)
            name, _ = text.person(rng, language)
            author = (str(3000000000000000 + rng.randrange(10**14)), name)
        comments.append(
            Comment(
                comment_id,
                created,
                author[0],
                author[1],
                body,
                int(rng.paretovariate(2.5)) - 1,
                parent.id if parent else None,
            )
        )
    return tuple(comments)


# --- Conversations (Messenger) -----------------------------------------------------------------


@dataclass
class Thread:
    id: str
    persona: Persona
    user_id: str
    user_name: str
    messages: list[Comment]


# Private messages of each network: Messenger threads ("t_…" / "m_…"), Instagram Direct threads
# (Graph's opaque base64-looking ids, "aWdf…") and X DM conversations ("<user>-<account>", numeric
# event ids). The page's own id answers as the Facebook page, the IG user, or the X user.
DM_IDS = {"facebook": ("t_", "m_"), "instagram": ("aWdfZAG06", "aWdfZAG06bWlk"), "x": ("", "19")}


def own_id(persona: Persona, network: str) -> str:
    return {"facebook": persona.fb_page_id, "instagram": persona.ig_user_id, "x": persona.x_user_id}[network] or ""


@lru_cache(maxsize=20000)
def conversation_day(seed: int, persona: Persona, day: date, network: str = "facebook") -> tuple[Thread, ...]:
    rng = stream(seed, persona.key, network, "dm", day.toordinal())
    count = poisson(rng, persona.followers.get(network, 0) / 12000 + 0.4)
    thread_prefix, message_prefix = DM_IDS[network]
    page_id = own_id(persona, network)
    threads = []
    for index in range(min(count, 200)):
        body, language, _ = text.message(rng, persona, rng.choice(("question", "question", "complaint")))
        name, _ = text.person(rng, language)
        user_id = str(5000000000000000 + rng.randrange(10**14))
        first = posting_time(rng, day, UTC_OFFSET[persona.language])
        base_id = f"{persona.index:04d}{days_since_start(day):05d}{index:03d}"
        messages = [Comment(f"{message_prefix}{base_id}0", first, user_id, name, body, 0)]
        if rng.random() < 0.7:
            answer = (
                "Bonjour, nous transmettons votre demande au service concerné."
                if persona.language == "fr"
                else "Hi, we've passed your request on to the team."
            )
            reply_at = first + timedelta(minutes=rng.uniform(8, 1200))
            messages.append(Comment(f"{message_prefix}{base_id}1", reply_at, page_id, persona.name, answer, 0))
            if rng.random() < 0.5:
                thanks = "Merci beaucoup !" if language == "fr" else "Thank you!"
                later = reply_at + timedelta(minutes=rng.uniform(2, 300))
                messages.append(Comment(f"{message_prefix}{base_id}2", later, user_id, name, thanks, 0))
        thread_id = f"{user_id}-{page_id}" if network == "x" else f"{thread_prefix}{base_id}"
        threads.append(Thread(thread_id, persona, user_id, name, messages))
    return tuple(threads)


# --- Instagram -------------------------------------------------------------------------------


@dataclass(eq=False)  # hashed by identity: comments are cached per media
class IgMedia:
    id: str
    persona: Persona | None
    created: datetime
    media_type: str
    product: str  # FEED | REELS | STORY
    caption: str
    final: dict[str, int] = field(default_factory=dict)
    username: str = ""
    tag: str | None = None
    stream: int = 0  # OWN_MEDIA, HASHTAG_MEDIA or TAGGED_MEDIA


def ig_media_id(stream_kind: int, slot: int, day: date, index: int) -> str:
    return f"17{stream_kind}{slot:04d}{days_since_start(day):05d}{index:04d}0"


def _ig_final(rng, audience: int, factor: float, product: str) -> dict[str, int]:
    reach = audience * rng.uniform(0.1, 0.45) * factor * (2.2 if product == "REELS" else 1.0)
    if product == "STORY":
        reach *= 0.3
    if rng.random() < 0.02:
        reach *= rng.uniform(4, 25)
    likes = reach * rng.uniform(0.02, 0.08) if product != "STORY" else 0
    return {
        "reach": int(reach),
        "views": int(reach * rng.uniform(1.2, 1.9)),
        "likes": int(likes),
        "comments": min(int(likes * rng.uniform(0.01, 0.06)), 400),
        "shares": int(reach * rng.uniform(0.001, 0.01)),
        "saved": int(likes * rng.uniform(0.02, 0.1)),
        "replies": int(reach * rng.uniform(0.001, 0.005)) if product == "STORY" else 0,
        "avg_watch_ms": int(rng.uniform(3000, 14000)) if product == "REELS" else 0,
    }


@lru_cache(maxsize=20000)
def ig_day(seed: int, persona: Persona, day: date) -> tuple[IgMedia, ...]:
    """Feed posts, reels and stories of one UTC day."""
    if day < HISTORY_START or not persona.ig_user_id:
        return ()
    rng = stream(seed, persona.key, "instagram", "media", day.toordinal())
    count = poisson(rng, persona.posts_per_day.get("instagram", 0) * POSTING_WEEKDAY[day.weekday()])
    stories = poisson(rng, 1.2)
    audience = followers_end_of_day(seed, persona, "instagram", day - DAY)
    factor = activity_factor(seed, persona, "instagram", day)
    media = []
    for index in range(min(count + stories, 9000)):
        created = posting_time(rng, day, UTC_OFFSET[persona.language])
        if index < count:
            media_type, product = rng.choices(IG_KINDS, weights=(45, 20, 30, 5))[0]
        else:
            media_type, product = rng.choice(("IMAGE", "VIDEO")), "STORY"
        caption = text.post_text(rng, persona) if product != "STORY" else ""
        media.append(
            IgMedia(
                ig_media_id(0, persona.index, day, index),
                persona,
                created,
                media_type,
                product,
                caption,
                _ig_final(rng, audience, factor, product),
                persona.ig_username or "",
            )
        )
    return tuple(sorted(media, key=lambda m: m.created))


@lru_cache(maxsize=20000)
def hashtag_day(seed: int, tag: str, day: date) -> tuple[IgMedia, ...]:
    """Public media carrying ``tag`` (lower-case, accents kept) published on ``day``."""
    rng = stream(seed, "instagram", "hashtag", tag, day.toordinal())
    slot = WORLD_TAGS.index(tag) + 1 if tag in WORLD_TAGS else 99
    media = []
    for index in range(min(poisson(rng, HASHTAG_STREAMS.get(tag, OTHER_HASHTAG_RATE)), 9000)):
        created = posting_time(rng, day, 1)
        _, handle = text.person(rng, "fr")
        final = _ig_final(rng, 800, 1.0, "FEED")
        media_type = rng.choices(("IMAGE", "CAROUSEL_ALBUM", "VIDEO"), weights=(75, 15, 10))[0]
        media.append(
            IgMedia(
                ig_media_id(1, slot, day, index),
                None,
                created,
                media_type,
                "FEED",
                text.listening_caption(rng, tag, "en" if rng.random() < 0.15 else "fr", BOULOGNE.ig_username or ""),
                final,
                handle,
                tag,
                stream=HASHTAG_MEDIA,
            )
        )
    return tuple(sorted(media, key=lambda m: m.created))


@lru_cache(maxsize=20000)
def tagged_day(seed: int, persona: Persona, day: date) -> tuple[IgMedia, ...]:
    rng = stream(seed, persona.key, "instagram", "tags", day.toordinal())
    media = []
    for index in range(poisson(rng, persona.followers.get("instagram", 0) / 20000 + 0.2)):
        created = posting_time(rng, day, 1)
        body, language, _ = text.message(rng, persona, rng.choice(("praise", "neutral")))
        _, handle = text.person(rng, language)
        media.append(
            IgMedia(
                ig_media_id(2, persona.index, day, index),
                persona,
                created,
                "IMAGE",
                "FEED",
                # A city's tags often carry its hashtag too (listening finds them, with their author).
                f"{body} @{persona.ig_username}" + (" #Boulogne" if persona.kind == "city" and index % 2 == 0 else ""),
                _ig_final(rng, 500, 1.0, "FEED"),
                handle,
                stream=TAGGED_MEDIA,
            )
        )
    return tuple(sorted(media, key=lambda m: m.created))


def ig_media_by_id(seed: int, media_id: str) -> IgMedia | None:
    if len(media_id) != 17 or not media_id.startswith(("170", "171", "172")) or not media_id.isdigit():
        return None
    kind, slot, day_number = int(media_id[2]), int(media_id[3:7]), int(media_id[7:12])
    day = HISTORY_START + timedelta(days=day_number)
    if kind == 1:
        if not 1 <= slot <= len(WORLD_TAGS):
            return None
        candidates = hashtag_day(seed, WORLD_TAGS[slot - 1], day)
    else:
        persona = persona_by_index(slot)
        if persona is None:
            return None
        candidates = ig_day(seed, persona, day) if kind == 0 else tagged_day(seed, persona, day)
    return next((m for m in candidates if m.id == media_id), None)


def ig_media_metrics(media: IgMedia, now: datetime) -> dict[str, int]:
    age = now - media.created
    if media.product == "STORY":
        age = min(age, timedelta(days=1))  # a story stops collecting after 24 h
    fraction = engagement_fraction(age)
    values = {name: int(value * fraction) for name, value in media.final.items()}
    if media.stream == OWN_MEDIA:  # own media: the count matches the comments the API lists
        # The top-level ones only: comments 0…498 in index order (``ig_comments``), answers apart.
        total = media.final["comments"]
        listed = 0 if media.product == "STORY" or media.persona is None else min(total, 499)
        values["comments"] = comments_by(media.created, total, listed, now)
    values["avg_watch_ms"] = media.final.get("avg_watch_ms", 0)
    values["total_interactions"] = values["likes"] + values["comments"] + values["shares"] + values["saved"]
    if media.product == "STORY":
        values["total_interactions"] = values["replies"] + values["shares"]
    return values


@lru_cache(maxsize=4096)
def ig_comments(media: IgMedia) -> tuple[Comment, ...]:
    """Top-level comments (ids ending 000-499) and replies (500+) of a media."""
    if media.product == "STORY" or media.persona is None or media.stream != OWN_MEDIA:
        return ()
    rng = stream(0, media.id, "comments")
    total = media.final["comments"]
    prefix = f"18{media.id[3:16]}"
    comments: list[Comment] = []
    for index in range(min(total, 499)):
        created = media.created + age_for_fraction((index + 1) / (total + 1))
        body, language, _ = text.message(rng, media.persona)
        _, handle = text.person(rng, language)
        comment = Comment(f"{prefix}{index:03d}", created, "", "", body, int(rng.paretovariate(2.5)) - 1, None, handle)
        comments.append(comment)
        if rng.random() < 0.15:
            answer = "Merci 🙏" if media.persona.language == "fr" else "Thank you 🙏"
            comments.append(
                Comment(
                    f"{prefix}{500 + index:03d}",
                    created + timedelta(minutes=rng.uniform(5, 600)),
                    "",
                    "",
                    answer,
                    0,
                    comment.id,
                    media.persona.ig_username or "",
                )
            )
    return tuple(comments)


# --- Daily account values (Pacific days) -------------------------------------------------------


def fb_page_daily(seed: int, persona: Persona, day: date) -> dict[str, int]:
    rng = stream(seed, persona.key, "facebook", "daily", day.toordinal())
    follows, unfollows = follows_unfollows(seed, persona, "facebook", day)
    audience = followers_end_of_day(seed, persona, "facebook", day)
    views = audience * activity_factor(seed, persona, "facebook", day) * rng.uniform(0.25, 0.6)
    return {
        "page_follows": audience,
        "page_daily_follows_unique": follows,
        "page_daily_unfollows_unique": unfollows,
        "page_media_view": int(views),
        "page_total_media_view_unique": int(views * rng.uniform(0.5, 0.75)),
        "page_post_engagements": int(views * rng.uniform(0.01, 0.04)),
        "page_views_total": int(audience * rng.uniform(0.002, 0.008)),
    }


def ig_account_daily(seed: int, persona: Persona, day: date) -> dict[str, int]:
    rng = stream(seed, persona.key, "instagram", "daily", day.toordinal())
    follows, unfollows = follows_unfollows(seed, persona, "instagram", day)
    audience = followers_end_of_day(seed, persona, "instagram", day)
    reach = audience * activity_factor(seed, persona, "instagram", day) * rng.uniform(0.15, 0.4)
    likes = reach * rng.uniform(0.03, 0.07)
    comments, shares, saves = likes * 0.03, reach * 0.004, likes * 0.06
    return {
        "views": int(reach * rng.uniform(1.8, 3.0)),
        "reach": int(reach),
        "accounts_engaged": int(reach * rng.uniform(0.03, 0.08)),
        "likes": int(likes),
        "comments": int(comments),
        "shares": int(shares),
        "saves": int(saves),
        "replies": int(reach * 0.002),
        "total_interactions": int(likes) + int(comments) + int(shares) + int(saves),
        "follows": follows,
        "unfollows": unfollows,
        "follower_count": follows - unfollows,
    }


def ig_profile(seed: int, persona: Persona, now: datetime) -> dict[str, int]:
    rng = stream(seed, persona.key, "instagram", "profile")
    days = days_since_start(now.date())
    return {
        "followers_count": followers_at(seed, persona, "instagram", now),
        "follows_count": 200 + rng.randrange(600),
        "media_count": 400 + rng.randrange(300) + int(days * persona.posts_per_day.get("instagram", 0)),
    }
