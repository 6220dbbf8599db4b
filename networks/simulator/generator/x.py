"""X content: own timelines (originals, replies, quotes, reposts), mentions, partners' posts, listening.

Post ids are snowflakes (milliseconds since X's epoch << 22) whose low 22 bits pack the persona,
the stream and the index within the day, so ``tweet_by_id`` regenerates only the day it needs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

from networks.simulator.generator import text
from networks.simulator.generator.base import (
    DAY,
    POSTING_WEEKDAY,
    activity_factor,
    days_since_start,
    engagement_fraction,
    followers_at,
    posting_time,
    stream,
)
from networks.simulator.world import BOULOGNE, HISTORY_START, Persona, persona_by_index

TWITTER_EPOCH_MS = 1288834974657
OWN, MENTION, PARTNER, LISTENING = 0, 1, 2, 3
LISTENING_TAGS = ("Boulogne", "BoulogneBillancourt", "Boulbi", "Déménagement", "InstaBoulogne")
LISTENING_ENGLISH_SHARE = 0.2  # tourists and expats post under the city's tags too
UTC_OFFSET = {"fr": 1, "en": 0}

PARTNERS = {
    "city": [
        ("Grand Paris Seine Ouest", "GPSO_officiel"),
        ("Préfecture des Hauts-de-Seine", "Prefet92"),
        ("Le Parisien 92", "le_parisien_92"),
        ("Musée des Années 30", "MA30_Boulogne"),
        ("Boulogne Billancourt Athletic", "BBA_sport"),
    ],
    "event": [("Ville de Boulogne-Billancourt", "Ville_BoulogneB"), ("Sortir à Paris", "sortiraparis")],
    "brand": [("Trail Magazine", "trailmag"), ("Outdoor News", "outdoornews"), ("Leave No Trace", "LNTcenter")],
    "media": [("AFP", "afpfr")],
}


@dataclass(frozen=True)
class XUser:
    id: str
    name: str
    username: str


@dataclass
class XTweet:
    id: int
    created_at: datetime
    author: XUser
    text: str
    kind: str  # original | reply | quote | repost
    lang: str
    final: dict[str, int] = field(default_factory=dict)
    ref_type: str | None = None  # retweeted | quoted | replied_to
    ref_id: int | None = None
    in_reply_to_user_id: str | None = None
    conversation_id: int | None = None
    media: str | None = None  # photo | video
    own: bool = False  # posted by a persona (non-public metrics available to its owner)


# Low 22 bits of a snowflake: persona index (12 bits, 4096 accounts), stream (2 bits), index in the day (8 bits).
MAX_PER_DAY = 255


def snowflake(moment: datetime, persona_index: int, stream_kind: int, index: int) -> int:
    ms = int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS
    return (ms << 22) | (persona_index << 10) | (stream_kind << 8) | index


def decode(tweet_id: int) -> tuple[datetime, int, int, int]:
    ms = (tweet_id >> 22) + TWITTER_EPOCH_MS
    return (datetime.fromtimestamp(ms / 1000, tz=UTC), (tweet_id >> 10) & 4095, (tweet_id >> 8) & 3, tweet_id & 255)


def poisson(rng, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-min(mean, 60)), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k if mean <= 60 else round(k * mean / 60)
        k += 1


def persona_user(persona: Persona) -> XUser:
    return XUser(persona.x_user_id or "", persona.name, persona.x_username or "")


def _metrics(rng, audience: int, factor: float, kind: str) -> dict[str, int]:
    impressions = audience * rng.uniform(0.04, 0.25) * factor * (0.5 if kind == "reply" else 1.0)
    if rng.random() < 0.02:  # a viral outlier
        impressions *= rng.uniform(5, 40)
    likes = impressions * rng.uniform(0.004, 0.03)
    retweets = likes * rng.uniform(0.08, 0.4)
    return {
        "impression_count": int(impressions),
        "like_count": int(likes),
        "retweet_count": int(retweets),
        "reply_count": int(likes * rng.uniform(0.03, 0.25)),
        "quote_count": int(retweets * rng.uniform(0.0, 0.15)),
        "bookmark_count": int(likes * rng.uniform(0.0, 0.08)),
        "url_link_clicks": int(impressions * rng.uniform(0.001, 0.01)),
        "user_profile_clicks": int(impressions * rng.uniform(0.001, 0.006)),
    }


# Partners' posts and mentions are drawn one by one (a stream per item), so a reply or a repost
# can fetch the one post it points at without generating the whole day.


@lru_cache(maxsize=65536)
def partner_count(seed: int, persona: Persona, day: date) -> int:
    rng = stream(seed, persona.key, "x", "partner-count", day.toordinal())
    return min(
        MAX_PER_DAY, poisson(rng, persona.posts_per_day.get("x", 1) * max(persona.x_repost_ratio, 0.3) * 1.3 + 1)
    )


@lru_cache(maxsize=65536)
def partner_post(seed: int, persona: Persona, day: date, index: int) -> XTweet:
    rng = stream(seed, persona.key, "x", "partner", day.toordinal(), index)
    partners = PARTNERS.get(persona.kind, PARTNERS["city"])
    position = rng.randrange(len(partners))
    name, handle = partners[position]
    author = XUser(str(1200000000000000000 + persona.index * 100 + position), name, handle)
    created = posting_time(rng, day, 1)
    body = text.post_text(rng, persona)
    metrics = _metrics(rng, 60000, activity_factor(seed, persona, "x", day), "original")
    return XTweet(
        snowflake(created, persona.index, PARTNER, index), created, author, body, "original", persona.language, metrics
    )


@lru_cache(maxsize=20000)
def partner_day(seed: int, persona: Persona, day: date) -> tuple[XTweet, ...]:
    tweets = (partner_post(seed, persona, day, i) for i in range(partner_count(seed, persona, day)))
    return tuple(sorted(tweets, key=lambda t: t.id))


@lru_cache(maxsize=65536)
def mention_count(seed: int, persona: Persona, day: date) -> int:
    rng = stream(seed, persona.key, "x", "mention-count", day.toordinal())
    audience = persona.followers.get("x", 0)
    return min(MAX_PER_DAY, poisson(rng, audience / 5000 * activity_factor(seed, persona, "x", day) + 0.5))


@lru_cache(maxsize=65536)
def mention_post(seed: int, persona: Persona, day: date, index: int) -> XTweet:
    rng = stream(seed, persona.key, "x", "mention", day.toordinal(), index)
    body, language, _ = text.message(rng, persona)
    name, handle = text.person(rng, language)
    author = XUser(str(1300000000000000000 + rng.randrange(10**15)), name, handle)
    created = posting_time(rng, day, UTC_OFFSET[persona.language])
    tweet_id = snowflake(created, persona.index, MENTION, index)
    return XTweet(
        tweet_id,
        created,
        author,
        f"@{persona.x_username} {body}",
        "original",
        language,
        _metrics(rng, 300, 1.0, "reply"),
        conversation_id=tweet_id,
    )


@lru_cache(maxsize=20000)
def mention_day(seed: int, persona: Persona, day: date) -> tuple[XTweet, ...]:
    tweets = (mention_post(seed, persona, day, i) for i in range(mention_count(seed, persona, day)))
    return tuple(sorted(tweets, key=lambda t: t.id))


@lru_cache(maxsize=20000)
def own_day(seed: int, persona: Persona, day: date) -> tuple[XTweet, ...]:
    """The persona's timeline for one UTC day: its own posts and its reposts of partners."""
    if day < HISTORY_START or not persona.x_user_id:
        return ()
    rng = stream(seed, persona.key, "x", "own", day.toordinal())
    rate = persona.posts_per_day.get("x", 0) * POSTING_WEEKDAY[day.weekday()]
    own_count, repost_count = poisson(rng, rate), poisson(rng, rate * persona.x_repost_ratio)
    me = persona_user(persona)
    audience = followers_at(seed, persona, "x", datetime.combine(day, datetime.min.time(), tzinfo=UTC))
    factor = activity_factor(seed, persona, "x", day)
    partners = partner_count(seed, persona, day - DAY)
    mentions = mention_count(seed, persona, day - DAY)
    tweets = []
    for index in range(min(own_count + repost_count, MAX_PER_DAY)):
        created = posting_time(rng, day, UTC_OFFSET[persona.language])
        tweet_id = snowflake(created, persona.index, OWN, index)
        if index >= own_count and partners:
            original = partner_post(seed, persona, day - DAY, rng.randrange(partners))
            tweets.append(
                XTweet(
                    tweet_id,
                    created,
                    me,
                    f"RT @{original.author.username}: {original.text}",
                    "repost",
                    original.lang,
                    original.final,
                    "retweeted",
                    original.id,
                    own=True,
                    conversation_id=tweet_id,
                )
            )
            continue
        kind = rng.choices(("original", "reply", "quote"), weights=(70, 20, 10))[0]
        metrics = _metrics(rng, audience, factor, kind)
        tweet = XTweet(
            tweet_id,
            created,
            me,
            text.post_text(rng, persona),
            "original",
            persona.language,
            metrics,
            own=True,
            conversation_id=tweet_id,
        )
        if kind == "reply" and mentions:
            mention = mention_post(seed, persona, day - DAY, rng.randrange(mentions))
            reply = (
                "Merci pour votre message, nous revenons vers vous rapidement."
                if persona.language == "fr"
                else ("Thanks for reaching out, we'll get back to you shortly.")
            )
            tweet.kind, tweet.ref_type, tweet.ref_id = "reply", "replied_to", mention.id
            tweet.text = f"@{mention.author.username} {reply}"
            tweet.in_reply_to_user_id, tweet.conversation_id = mention.author.id, mention.conversation_id
        elif kind == "quote" and partners:
            original = partner_post(seed, persona, day - DAY, rng.randrange(partners))
            tweet.kind, tweet.ref_type, tweet.ref_id = "quote", "quoted", original.id
            tweet.text += f" https://t.co/{original.id % 10**10:x}"
        else:
            tweet.media = rng.choices((None, "photo", "video"), weights=(40, 50, 10))[0]
        tweets.append(tweet)
    return tuple(sorted(tweets, key=lambda t: t.id))


@lru_cache(maxsize=20000)
def listening_day(seed: int, day: date) -> tuple[XTweet, ...]:
    rng = stream(seed, "x", "listening", day.toordinal())
    tweets = []
    for index in range(min(poisson(rng, 20), MAX_PER_DAY)):
        tag = rng.choice(LISTENING_TAGS)
        language = "en" if rng.random() < LISTENING_ENGLISH_SHARE else "fr"
        name, handle = text.person(rng, language)
        author = XUser(str(1400000000000000000 + rng.randrange(10**15)), name, handle)
        created = posting_time(rng, day, 1)
        body = text.listening_caption(rng, tag.lower(), language, BOULOGNE.x_username or "")
        if f"#{tag}".lower() not in body.lower():
            body += f" #{tag}"
        tweets.append(
            XTweet(
                snowflake(created, 0, LISTENING, index),
                created,
                author,
                body,
                "original",
                language,
                _metrics(rng, 400, 1.0, "original"),
            )
        )
    return tuple(sorted(tweets, key=lambda t: t.id))


def tweet_by_id(seed: int, tweet_id: int) -> XTweet | None:
    try:
        created, persona_index, kind, index = decode(tweet_id)
    except (OverflowError, ValueError, OSError):
        return None
    day = created.date()
    if kind == LISTENING:
        candidates = listening_day(seed, day)
    else:
        persona = persona_by_index(persona_index)
        if persona is None:
            return None
        if kind in (MENTION, PARTNER):
            count = (mention_count if kind == MENTION else partner_count)(seed, persona, day)
            if index >= count:
                return None
            post = (mention_post if kind == MENTION else partner_post)(seed, persona, day, index)
            return post if post.id == tweet_id else None
        candidates = own_day(seed, persona, day) if kind == OWN else ()
    return next((t for t in candidates if t.id == tweet_id), None)


def metrics_at(tweet: XTweet, now: datetime) -> dict[str, int]:
    """Lifetime counters of a post seen at ``now`` (they grow with the post's age)."""
    created = decode(tweet.ref_id)[0] if tweet.kind == "repost" and tweet.ref_id else tweet.created_at
    fraction = engagement_fraction(now - created)  # once per post: this runs for every post served
    return {name: int(value * fraction) for name, value in tweet.final.items()}


def visible(tweet: XTweet, now: datetime) -> bool:
    return tweet.created_at <= now


def user_public_metrics(seed: int, persona: Persona, now: datetime) -> dict[str, int]:
    days = days_since_start(now.date())
    rng = stream(seed, persona.key, "x", "profile")
    per_day = persona.posts_per_day.get("x", 0) * (1 + persona.x_repost_ratio)
    return {
        "followers_count": followers_at(seed, persona, "x", now),
        "following_count": 300 + rng.randrange(900) + days // 30,
        "tweet_count": 8000 + rng.randrange(4000) + int(days * per_day),
        "listed_count": 150 + rng.randrange(200),
        "like_count": 2000 + rng.randrange(3000) + days,
    }


HASHTAG = re.compile(r"#(\w+)")
MENTION_RE = re.compile(r"@(\w+)")
