"""The Instagram hashtag quota: 30 unique hashtags per Instagram account in a rolling 7-day window.

Meta counts a hashtag from its first search; searching it again within the window neither counts
again nor resets its timer; past the window it counts as new
(https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-facebook-login/hashtag-search,
NETWORK_APIS.md §4.4). Beyond the limit Meta answers error 18 for the rest of the week, so we count
before asking: a tag is reserved when a watch (or a campaign) is saved, and its window starts at
its first real search. Several Instagram accounts in a workspace share the load
(``pick_instagram_account``).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Workspace
from listening.models import HashtagSearch
from listening.rules import normalize_hashtag
from networks.models import Network, SocialAccount

HASHTAG_LIMIT = 30
HASHTAG_WINDOW = dt.timedelta(days=7)


class QuotaExceeded(Exception):  # noqa: N818 (the name says what happened, as the contract does)
    def __init__(self, message: str, *, free_at: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.free_at = free_at


class NoInstagramAccount(QuotaExceeded):
    """The workspace has no active Instagram account to search with."""


@dataclass(frozen=True)
class QuotaStatus:
    account: SocialAccount
    used: list[tuple[str, dt.datetime]]  # (hashtag, start of its window), oldest first
    free_at: dt.datetime | None  # when the oldest tag leaves the window (None: nothing used)
    remaining: int

    @property
    def limit(self) -> int:
        return HASHTAG_LIMIT

    @property
    def full(self) -> bool:
        return self.remaining <= 0

    def frees_at(self, hashtag: str) -> dt.datetime | None:
        return next((start + HASHTAG_WINDOW for tag, start in self.used if tag == hashtag), None)


def _live(account: SocialAccount, now: dt.datetime):
    """The tags of ``account`` whose window is still running."""
    window_start = now - HASHTAG_WINDOW
    return HashtagSearch.objects.filter(organization_id=account.organization_id, account=account).filter(
        Q(first_searched_at__gt=window_start) | Q(first_searched_at__isnull=True, reserved_at__gt=window_start)
    )


def hashtag_quota_status(*, account: SocialAccount, now: dt.datetime | None = None) -> QuotaStatus:
    now = now or timezone.now()
    rows = sorted(_live(account, now), key=lambda r: r.window_start)
    used = [(row.hashtag, row.window_start) for row in rows]
    return QuotaStatus(
        account=account,
        used=used,
        free_at=used[0][1] + HASHTAG_WINDOW if used else None,
        remaining=max(0, HASHTAG_LIMIT - len(used)),
    )


def _full_message(account: SocialAccount, hashtag: str, free_at: dt.datetime | None) -> str:
    when = date_format(timezone.localtime(free_at), "DATETIME_FORMAT") if free_at else "?"
    return _(
        "Instagram allows %(limit)s different hashtags per account in 7 days: @%(account)s has used them "
        "all, so #%(hashtag)s cannot be searched. A slot frees up on %(when)s."
    ) % {"limit": HASHTAG_LIMIT, "account": account.handle or account.name, "hashtag": hashtag, "when": when}


@transaction.atomic
def hashtag_quota_reserve(
    *, account: SocialAccount, hashtag: str, searching: bool = False, now: dt.datetime | None = None
) -> None:
    """Count ``hashtag`` for ``account`` (a no-op while it is within its window). Raises
    QuotaExceeded when it would be the 31st unique tag in 7 days. ``searching``: the search is
    made now (the window of a tag only reserved so far starts here)."""
    now = now or timezone.now()
    hashtag = normalize_hashtag(hashtag)
    # The account row serialises reservations of one account (two watches saved at once).
    SocialAccount.objects.select_for_update().filter(organization_id=account.organization_id, pk=account.pk).first()
    row = HashtagSearch.objects.filter(
        organization_id=account.organization_id, account=account, hashtag=hashtag
    ).first()
    if row is not None and row.window_start > now - HASHTAG_WINDOW:
        if searching:
            changes = {"last_searched_at": now}
            if row.first_searched_at is None:
                changes["first_searched_at"] = now
            HashtagSearch.objects.filter(pk=row.pk).update(**changes)
        return
    status = hashtag_quota_status(account=account, now=now)
    if status.full:
        raise QuotaExceeded(_full_message(account, hashtag, status.free_at), free_at=status.free_at)
    values = {
        "reserved_at": now,
        "first_searched_at": now if searching else None,
        "last_searched_at": now if searching else None,
    }
    if row is None:
        HashtagSearch.objects.create(
            organization_id=account.organization_id, account=account, hashtag=hashtag, **values
        )
    else:  # its previous window ended: a new one starts (Meta counts it as new)
        HashtagSearch.objects.filter(pk=row.pk).update(**values)


def instagram_accounts(workspace: Workspace):
    return SocialAccount.objects.filter(
        organization_id=workspace.organization_id,
        workspace=workspace,
        network=Network.INSTAGRAM,
        status=SocialAccount.Status.ACTIVE,
    ).order_by("pk")


def workspace_quota(workspace: Workspace, now: dt.datetime | None = None) -> list[QuotaStatus]:
    """The quota of each active Instagram account of the workspace."""
    return [hashtag_quota_status(account=a, now=now) for a in instagram_accounts(workspace)]


def quotas_by_workspace(workspaces, now: dt.datetime | None = None) -> dict[int, list[QuotaStatus]]:
    """The quota of every active Instagram account of these workspaces, in two queries whatever
    their number (the listening home lists them all)."""
    now = now or timezone.now()
    workspaces = list(workspaces)
    if not workspaces:
        return {}
    organization_id = workspaces[0].organization_id
    accounts = list(
        SocialAccount.objects.filter(
            organization_id=organization_id,
            workspace__in=workspaces,
            network=Network.INSTAGRAM,
            status=SocialAccount.Status.ACTIVE,
        ).order_by("pk")
    )
    window_start = now - HASHTAG_WINDOW
    live = HashtagSearch.objects.filter(organization_id=organization_id, account__in=accounts).filter(
        Q(first_searched_at__gt=window_start) | Q(first_searched_at__isnull=True, reserved_at__gt=window_start)
    )
    used: dict[int, list[tuple[str, dt.datetime]]] = {}
    for row in sorted(live, key=lambda r: r.window_start):
        used.setdefault(row.account_id, []).append((row.hashtag, row.window_start))
    found: dict[int, list[QuotaStatus]] = {w.pk: [] for w in workspaces}
    for account in accounts:
        tags = used.get(account.pk, [])
        found[account.workspace_id].append(
            QuotaStatus(
                account=account,
                used=tags,
                free_at=tags[0][1] + HASHTAG_WINDOW if tags else None,
                remaining=max(0, HASHTAG_LIMIT - len(tags)),
            )
        )
    return found


def pick_instagram_account(
    *, workspace: Workspace, hashtag: str, now: dt.datetime | None = None, exclude: set[int] | frozenset = frozenset()
) -> SocialAccount:
    """The account to search ``hashtag`` with: one that already has it in its window (free), else
    the one with the most room left (searches spread across the workspace's accounts). Raises
    NoInstagramAccount or QuotaExceeded."""
    hashtag = normalize_hashtag(hashtag)
    statuses = [s for s in workspace_quota(workspace, now) if s.account.pk not in exclude]
    if not statuses:
        raise NoInstagramAccount(
            _("Connect an Instagram professional account to this workspace to search Instagram hashtags.")
        )
    for status in statuses:
        if any(tag == hashtag for tag, _start in status.used):
            return status.account
    best = max(statuses, key=lambda s: (s.remaining, -s.account.pk))
    if best.full:
        free_at = min(s.free_at for s in statuses if s.free_at)
        if len(statuses) == 1:
            raise QuotaExceeded(_full_message(best.account, hashtag, free_at), free_at=free_at)
        when = date_format(timezone.localtime(free_at), "DATETIME_FORMAT")
        raise QuotaExceeded(
            _(
                "Instagram allows %(limit)s different hashtags per account in 7 days: the %(count)s Instagram "
                "accounts of this workspace have used them all, so #%(hashtag)s cannot be searched. A slot frees "
                "up on %(when)s."
            )
            % {"limit": HASHTAG_LIMIT, "count": len(statuses), "hashtag": hashtag, "when": when},
            free_at=free_at,
        )
    return best.account


@transaction.atomic
def hashtags_reserve(*, workspace: Workspace, hashtags: list[str] | tuple[str, ...]) -> dict[str, SocialAccount]:
    """Reserve several tags at once (a watch being saved): all or none. Raises QuotaExceeded."""
    chosen = {}
    for hashtag in hashtags:
        account = pick_instagram_account(workspace=workspace, hashtag=hashtag)
        hashtag_quota_reserve(account=account, hashtag=hashtag)
        chosen[normalize_hashtag(hashtag)] = account
    return chosen
