"""Collection: ask the networks for public posts, store them once (hits), link them to watches.

* X: recent search with the watch's rule translated (``listening.rules``), resumed from the newest
  post seen (``since_id``). X bills every post returned: each call is metered against the
  organisation's X read budget (``networks.sync.limits.x_reads_add``) and the watch's own usage
  row, and nothing is read once the month's budget is spent.
* Instagram: hashtag search, one tag at a time, top and/or recent media, with the workspace's
  Instagram account that has room in its 7-day quota (``listening.quota``); media are filtered by
  the whole rule here. Hashtag media carry no author (Meta's rule).

Hits are deduplicated per organisation on (network, external id): a post found again only gets
its counters refreshed.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Workspace
from listening.models import Hit, ListeningNetwork, Watch, WatchMatch, WatchUsage
from listening.quota import QuotaExceeded, hashtag_quota_reserve, pick_instagram_account
from listening.rules import Rule, RuleError, normalize_hashtag, parse_rule
from networks.models import Network, SocialAccount
from networks.providers import base
from networks.providers.errors import ProviderError
from networks.providers.x.parse import snowflake_time
from networks.services.tokens import account_provider
from networks.sync import limits
from networks.sync.clock import network_now

logger = logging.getLogger(__name__)

X_PAGES_PER_RUN = 3  # at most 300 posts read per watch and run: a burst waits for the next run
X_SINCE_ID_MAX_AGE = dt.timedelta(days=6, hours=20)
INSTAGRAM_PAGES_PER_EDGE = 2  # 50 media a page
HIT_FIELDS_REFRESHED = ("likes", "comments", "shares", "quotes", "views", "media_url")
AUTHOR_FIELDS = ("author_id", "author_handle", "author_name", "author_source")


class BudgetExhausted(Exception):  # noqa: N818
    pass


@dataclass
class Collected:
    """What one collection found and cost."""

    hits: list[Hit] = field(default_factory=list)
    new: int = 0
    x_reads: int = 0
    x_calls: int = 0
    instagram_calls: int = 0
    errors: list[str] = field(default_factory=list)


# --- Storing hits ----------------------------------------------------------------------------------


def _analyse(texts: list[str], languages: list[str | None]) -> list[tuple[str, str]]:
    """(language, sentiment) per text through analytics.text when it is installed."""
    try:
        from analytics import text as text_analysis
    except ImportError:
        return [(language or "", "") for language in languages]
    try:
        results = text_analysis.analyse(texts, languages=languages)
    except Exception:  # a failing analyser must not lose the posts collected
        logger.exception("text analysis failed on %s listening hits: stored without it", len(texts))
        return [(language or "", "") for language in languages]
    return [(r.language or "", r.sentiment or "") for r in results]


def _hit_from(workspace: Workspace, network: str, source: str, post: base.Post) -> Hit:
    metrics = post.metrics
    return Hit(
        organization_id=workspace.organization_id,
        workspace=workspace,
        network=network,
        external_id=post.external_id,
        source=source,
        published_at=post.published_at,
        text=post.text,
        permalink=post.permalink[:500],
        media_url=post.media_url[:2000],
        content_type=post.content_type,
        hashtags=list(dict.fromkeys(normalize_hashtag(t) for t in post.hashtags)),
        author_id=post.author_id,
        author_handle=post.author_handle,
        author_name=post.author_name,
        author_source=Hit.AuthorSource.NETWORK if (post.author_handle or post.author_id) else "",
        language=post.language,
        likes=metrics.likes,
        comments=metrics.comments,
        shares=metrics.shares,
        quotes=metrics.quotes,
        views=metrics.views,
    )


def hits_store(*, workspace: Workspace, network: str, source: str, posts: Sequence[base.Post]) -> tuple[list[Hit], int]:
    """Store posts as hits of the workspace's organisation (deduplicated); returns the hits in the
    order given and how many were new. Known hits get fresh counters (and a media URL: Instagram's
    expire)."""
    unique = list({p.external_id: p for p in posts}.values())
    if not unique:
        return [], 0
    organization_id = workspace.organization_id
    ids = [p.external_id for p in unique]
    existing = {
        h.external_id: h
        for h in Hit.objects.filter(organization_id=organization_id, network=network, external_id__in=ids)
    }
    fresh = [_hit_from(workspace, network, source, p) for p in unique if p.external_id not in existing]
    if fresh:
        analysed = _analyse([h.text for h in fresh], [h.language or None for h in fresh])
        for hit, (language, sentiment) in zip(fresh, analysed, strict=True):
            hit.language, hit.sentiment = language, sentiment
        # Two collections racing on the same post: the unique constraint keeps one, both read it back.
        Hit.objects.bulk_create(fresh, ignore_conflicts=True)
    changed = []
    for post in unique:
        hit = existing.get(post.external_id)
        if hit is None:
            continue
        new_values = _hit_from(workspace, network, source, post)
        fields = list(HIT_FIELDS_REFRESHED)
        # Found again where the network names the author (a tag after a hashtag search): keep it,
        # unless the team already named someone.
        if not hit.author_source and new_values.author_source:
            fields += AUTHOR_FIELDS
        if any(getattr(new_values, f) not in (None, "") and getattr(new_values, f) != getattr(hit, f) for f in fields):
            for name in fields:
                value = getattr(new_values, name)
                if value is not None and value != "":
                    setattr(hit, name, value)
            changed.append(hit)
    if changed:
        Hit.objects.bulk_update(changed, [*HIT_FIELDS_REFRESHED, *AUTHOR_FIELDS])
    stored = {
        h.external_id: h
        for h in Hit.objects.filter(organization_id=organization_id, network=network, external_id__in=ids)
    }
    new_ids = {h.external_id for h in fresh}
    created = sum(1 for h in stored.values() if h.external_id in new_ids and h.workspace_id == workspace.pk)
    return [stored[i] for i in ids if i in stored], created


# --- Reading the networks --------------------------------------------------------------------------


def x_account(workspace: Workspace) -> SocialAccount | None:
    return (
        SocialAccount.objects.filter(
            organization_id=workspace.organization_id,
            workspace=workspace,
            network=Network.X,
            status=SocialAccount.Status.ACTIVE,
        )
        .order_by("pk")
        .first()
    )


def _x_meter(workspace: Workspace, watch: Watch | None, reads: int, calls: int, collected: Collected) -> None:
    limits.x_reads_add(organization_id=workspace.organization_id, reads=reads, calls=calls)
    collected.x_reads += reads
    collected.x_calls += calls
    if watch is not None:
        usage_add(watch=watch, x_reads=reads, x_calls=calls)


def _x_search(
    workspace: Workspace, query: str, *, watch: Watch | None, since_id: str, collected: Collected
) -> list[base.Post]:
    account = x_account(workspace)
    if account is None:
        raise ProviderError(_("Connect an X account to this workspace to search X."), permanent=True)
    used, cap = limits.x_budget(workspace.organization_id)
    if cap is not None and used >= cap:
        raise BudgetExhausted(_("The organisation's X read budget for this month is spent: X is not searched."))
    provider = account_provider(account=account)
    # X refuses a since_id older than its 7-day search window: start afresh past ~a week.
    if since_id and (not since_id.isdigit() or snowflake_time(since_id) < network_now() - X_SINCE_ID_MAX_AGE):
        since_id = ""
    found: list[base.Post] = []
    cursor = None
    for _page in range(X_PAGES_PER_RUN):
        page = provider.search(query, cursor, since_id=since_id or None)
        # Billed per post returned, whether or not we keep it.
        _x_meter(workspace, watch, len(page.items), 1, collected)
        found += [p for p in page.items if p.kind != base.PostKind.REPOST]
        cursor = page.next_cursor
        if not cursor:
            break
        used, cap = limits.x_budget(workspace.organization_id)
        if cap is not None and used >= cap:
            break
    return found


def _instagram_search(
    workspace: Workspace, hashtag: str, *, top: bool, recent: bool, watch: Watch | None, collected: Collected
) -> list[tuple[str, base.Post]]:
    account = pick_instagram_account(workspace=workspace, hashtag=hashtag)
    hashtag_quota_reserve(account=account, hashtag=hashtag, searching=True)
    provider = account_provider(account=account)
    found: list[tuple[str, base.Post]] = []
    for edge_recent, wanted in ((True, recent), (False, top)):
        if not wanted:
            continue
        source = Hit.Source.IG_RECENT if edge_recent else Hit.Source.IG_TOP
        cursor = None
        for _page in range(INSTAGRAM_PAGES_PER_EDGE):
            page = provider.search(hashtag, cursor, recent=edge_recent)
            # The tag id lookup is one more call on the first page.
            calls = 1 if cursor else 2
            collected.instagram_calls += calls
            if watch is not None:
                usage_add(watch=watch, instagram_calls=calls)
            found += [(source, p) for p in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
    return found


TAGGED_WINDOW = dt.timedelta(days=7)


def _instagram_tagged(workspace: Workspace, rule: Rule, *, watch: Watch, collected: Collected) -> list[base.Post]:
    """The last week's media tagging the workspace's Instagram accounts that match the rule (one
    call per account: the first page, newest first)."""
    from listening.quota import instagram_accounts

    found: list[base.Post] = []
    since = network_now() - TAGGED_WINDOW
    for account in instagram_accounts(workspace):
        try:
            page = account_provider(account=account).mentions(since=since)
        except ProviderError as error:
            collected.errors.append(f"Instagram @{account.handle}: {error.message}")
            continue
        collected.instagram_calls += 1
        usage_add(watch=watch, instagram_calls=1)
        found += [p for p in page.items if rule.matches(p.text, p.language or None)]
    return found


def usage_add(*, watch: Watch, x_reads: int = 0, x_calls: int = 0, instagram_calls: int = 0) -> None:
    day = timezone.now().astimezone(dt.UTC).date()
    values = {"x_reads": x_reads, "x_calls": x_calls, "instagram_calls": instagram_calls}
    updated = WatchUsage.objects.filter(organization_id=watch.organization_id, watch=watch, day=day).update(
        **{name: F(name) + value for name, value in values.items()}
    )
    if not updated:
        WatchUsage.objects.bulk_create(
            [WatchUsage(organization_id=watch.organization_id, watch=watch, day=day, **values)], ignore_conflicts=True
        )
        # Lost a race to another run creating today's row: add to theirs.
        if not WatchUsage.objects.filter(watch=watch, day=day, **values).exists():
            WatchUsage.objects.filter(organization_id=watch.organization_id, watch=watch, day=day).update(
                **{name: F(name) + value for name, value in values.items()}
            )


# --- The contract with campaigns ---------------------------------------------------------------------


def collect_hashtag(*, workspace: Workspace, hashtag: str, network: str) -> list[Hit]:
    """Collect the public posts carrying ``#hashtag`` on ``network`` (Instagram: top and recent
    media; X: recent search without reposts), store them deduplicated, return them (new and
    already known). Raises QuotaExceeded (Instagram), BudgetExhausted (X) or ProviderError."""
    tag = normalize_hashtag(hashtag)
    if not tag:
        raise RuleError(_("A hashtag is needed."))
    collected = Collected()
    with scope(organization=workspace.organization_id):
        if network == ListeningNetwork.INSTAGRAM:
            found = _instagram_search(workspace, tag, top=True, recent=True, watch=None, collected=collected)
            hits = []
            for source in (Hit.Source.IG_RECENT, Hit.Source.IG_TOP):
                posts = [p for s, p in found if s == source]
                stored, _new = hits_store(workspace=workspace, network=network, source=source, posts=posts)
                hits += stored
            return list({h.pk: h for h in hits}.values())
        if network == ListeningNetwork.X:
            posts = _x_search(workspace, f"#{tag} -is:retweet", watch=None, since_id="", collected=collected)
            hits, _new = hits_store(workspace=workspace, network=network, source=Hit.Source.X_SEARCH, posts=posts)
            return hits
    raise RuleError(_("%(network)s has no public search.") % {"network": network})


# --- Watches ---------------------------------------------------------------------------------------


def _matching(rule: Rule, hits: Iterable[Hit]) -> list[Hit]:
    return [h for h in hits if rule.matches(h.text, h.language or None)]


def watch_collect_now(*, watch: Watch) -> Collected:
    """Run one collection of ``watch`` (call inside its organisation's scope): search, store, link
    the matches, and hand new matches to alerts and the welcome queue."""
    from listening.services.alerts import matches_route

    collected = Collected()
    try:
        rule = parse_rule(watch.rule, networks=watch.networks)
    except RuleError as error:
        collected.errors.append(error.message)
        return collected
    workspace = watch.workspace
    hits: list[Hit] = []
    if watch.listens_to_x:
        try:
            posts = _x_search(workspace, rule.x_query(), watch=watch, since_id=watch.x_since_id, collected=collected)
            stored, new = hits_store(workspace=workspace, network=Network.X, source=Hit.Source.X_SEARCH, posts=posts)
            collected.new += new
            hits += stored
            if posts:
                newest = max(posts, key=lambda p: int(p.external_id) if p.external_id.isdigit() else 0)
                if newest.external_id.isdigit() and int(newest.external_id) > int(watch.x_since_id or 0):
                    watch.x_since_id = newest.external_id
        except (BudgetExhausted, ProviderError) as error:
            collected.errors.append(f"X: {getattr(error, 'message', None) or error}")
    if watch.listens_to_instagram:
        for tag in rule.instagram_hashtags or ():
            try:
                found = _instagram_search(
                    workspace,
                    tag,
                    top=watch.instagram_top,
                    recent=watch.instagram_recent,
                    watch=watch,
                    collected=collected,
                )
            except (QuotaExceeded, ProviderError) as error:
                collected.errors.append(f"Instagram #{tag}: {error.message}")
                continue
            for source in (Hit.Source.IG_RECENT, Hit.Source.IG_TOP):
                posts = [p for s, p in found if s == source]
                stored, new = hits_store(workspace=workspace, network=Network.INSTAGRAM, source=source, posts=posts)
                collected.new += new
                hits += stored
        # Media the workspace's accounts are tagged in do carry their author (unlike hashtag media).
        tagged = _instagram_tagged(workspace, rule, watch=watch, collected=collected)
        stored, new = hits_store(workspace=workspace, network=Network.INSTAGRAM, source=Hit.Source.IG_TAG, posts=tagged)
        collected.new += new
        hits += stored
    hits = list({h.pk: h for h in hits}.values())
    matched = _matching(rule, hits)
    # Links, welcomes and alerts in one transaction: a run killed in between leaves no match that
    # the next run would see as known and never route.
    with transaction.atomic():
        new_matches = matches_add(watch=watch, hits=matched)
        if new_matches:
            matches_route(watch=watch, matches=new_matches)
    collected.hits = matched
    return collected


def matches_add(*, watch: Watch, hits: Sequence[Hit]) -> list[WatchMatch]:
    """Link hits to the watch; returns the links that are new."""
    if not hits:
        return []
    known = set(
        WatchMatch.objects.filter(organization_id=watch.organization_id, watch=watch, hit__in=hits).values_list(
            "hit_id", flat=True
        )
    )
    fresh = [
        WatchMatch(organization_id=watch.organization_id, watch=watch, hit=h, published_at=h.published_at)
        for h in hits
        if h.pk not in known
    ]
    WatchMatch.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh
