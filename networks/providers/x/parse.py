"""X API v2 bodies → our typed data. Pure functions over the JSON (tested on recorded responses).

Metric names: X's → ours, in one table (``PUBLIC_METRICS`` / ``PRIVATE_METRICS``).
https://docs.x.com/x-api/fundamentals/metrics
"""

import datetime as dt
import re

from networks.providers.base import ContentType, Page, Post, PostKind, PostMetrics, Profile

# public_metrics (any auth) → PostMetrics fields.
PUBLIC_METRICS = {
    "like_count": "likes",
    "reply_count": "comments",
    "retweet_count": "shares",
    "quote_count": "quotes",
    "bookmark_count": "bookmarks",
    "impression_count": "views",
}
# non_public_metrics (own posts < 30 days, user context) → PostMetrics fields; they win over the
# public ones where both exist (impressions are the same number, clicks exist only here).
PRIVATE_METRICS = {
    "impression_count": "views",
    "url_link_clicks": "clicks",
    "engagements": "engagements",
}
# Twitter's epoch in ms: ids are snowflakes, (id >> 22) + epoch = creation time. Used only when a
# response lacks created_at (it is always requested; recordings made without fields lack it).
SNOWFLAKE_EPOCH_MS = 1288834974657
REFERENCE_TYPE = {PostKind.REPOST: "retweeted", PostKind.REPLY: "replied_to", PostKind.QUOTE: "quoted"}
HASHTAG = re.compile(r"(?<!\w)#(\w+)")


def parse_x_time(value: str) -> dt.datetime:
    """``2021-02-23T18:07:07.000Z`` → aware UTC datetime."""
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def snowflake_time(post_id: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=dt.UTC)


def parse_user(data: dict) -> Profile:
    metrics = data.get("public_metrics") or {}
    return Profile(
        external_id=str(data["id"]),
        handle=data.get("username", ""),
        name=data.get("name", ""),
        picture_url=data.get("profile_image_url", ""),
        followers=metrics.get("followers_count"),
        follows=metrics.get("following_count"),
        posts_count=metrics.get("tweet_count"),
        listed=metrics.get("listed_count"),
    )


def post_kind(tweet: dict) -> str:
    types = {ref.get("type") for ref in tweet.get("referenced_tweets") or []}
    if "retweeted" in types:
        return PostKind.REPOST
    if "replied_to" in types:
        return PostKind.REPLY
    if "quoted" in types:
        return PostKind.QUOTE
    # Responses fetched without referenced_tweets still mark retweets by their text.
    if not types and tweet.get("text", "").startswith("RT @"):
        return PostKind.REPOST
    return PostKind.ORIGINAL


def _metrics(tweet: dict) -> PostMetrics:
    values: dict[str, int] = {}
    for source, table in (
        (tweet.get("public_metrics"), PUBLIC_METRICS),
        (tweet.get("non_public_metrics"), PRIVATE_METRICS),
    ):
        for theirs, ours in table.items():
            if isinstance(source, dict) and isinstance(source.get(theirs), int):
                values[ours] = source[theirs]
    return PostMetrics(**values)


def _content(tweet: dict, media_by_key: dict[str, dict]) -> tuple[str, str]:
    media = [media_by_key[k] for k in (tweet.get("attachments") or {}).get("media_keys", []) if k in media_by_key]
    if media:
        first = media[0]
        url = first.get("url") or first.get("preview_image_url") or ""
        if len(media) > 1:
            return ContentType.CAROUSEL, url
        if first.get("type") in ("video", "animated_gif"):
            return ContentType.VIDEO, url
        return ContentType.PHOTO, url
    if (tweet.get("attachments") or {}).get("media_keys"):
        return ContentType.PHOTO, ""  # media not expanded in this response
    urls = (tweet.get("entities") or {}).get("urls") or []
    if any(not (u.get("expanded_url") or "").startswith(("https://twitter.com/", "https://x.com/")) for u in urls):
        return ContentType.LINK, ""
    return ContentType.TEXT, ""


def parse_tweet(tweet: dict, includes: dict | None = None) -> Post:
    includes = includes or {}
    media_by_key = {m["media_key"]: m for m in includes.get("media") or [] if "media_key" in m}
    users = {u["id"]: u for u in includes.get("users") or [] if "id" in u}
    kind = post_kind(tweet)
    content_type, media_url = _content(tweet, media_by_key)
    text = tweet.get("text", "")
    tags = [h.get("tag", "") for h in (tweet.get("entities") or {}).get("hashtags") or []] or HASHTAG.findall(text)
    wanted = REFERENCE_TYPE.get(kind)
    referenced = next(
        (str(r.get("id", "")) for r in tweet.get("referenced_tweets") or [] if r.get("type") == wanted), ""
    )
    metrics = _metrics(tweet)
    original_metrics = None
    if kind == PostKind.REPOST:
        # A retweet reports the ORIGINAL's public_metrics (X API behaviour): keep them apart so
        # they never count as the account's own engagement.
        originals = {t["id"]: t for t in includes.get("tweets") or [] if "id" in t}
        original_metrics = _metrics(originals[referenced]) if referenced in originals else metrics
        metrics = PostMetrics()
    author_id = str(tweet.get("author_id", ""))
    return Post(
        external_id=str(tweet["id"]),
        published_at=parse_x_time(tweet["created_at"]) if tweet.get("created_at") else snowflake_time(tweet["id"]),
        kind=kind,
        content_type=content_type,
        text=text,
        permalink=f"https://x.com/i/web/status/{tweet['id']}",
        media_url=media_url,
        hashtags=tuple(t for t in tags if t),
        metrics=metrics,
        referenced_id=referenced,
        original_metrics=original_metrics,
        author_id=author_id,
        author_handle=users.get(author_id, {}).get("username", ""),
        author_name=users.get(author_id, {}).get("name", ""),
        # X tags "und" when it cannot tell, "zxx" for no linguistic content: neither is a language.
        language="" if tweet.get("lang") in (None, "und", "zxx", "qme", "qht") else str(tweet["lang"]),
    )


def parse_timeline(body: dict) -> Page[Post]:
    includes = body.get("includes") or {}
    posts = [parse_tweet(t, includes) for t in body.get("data") or []]
    return Page(items=posts, next_cursor=(body.get("meta") or {}).get("next_token"))
