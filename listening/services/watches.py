"""Watches: save (with the rule checked and the Instagram hashtags reserved), delete, collect on a
schedule that slows down as the organisation's X read budget runs out."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent, User, Workspace
from accounts.services.audit import audit_record
from listening.models import ListeningNetwork, Watch
from listening.quota import QuotaExceeded, hashtags_reserve, pick_instagram_account
from listening.rules import RuleError, parse_rule
from listening.services.collect import Collected, watch_collect_now, x_account
from networks.sync import cadence, limits

# How often a watch is read when nothing slows it down. Instagram's recent media cover 24 hours
# and its hashtag calls count against the app's usage: every 30 minutes is plenty.
X_INTERVAL = dt.timedelta(minutes=15)
INSTAGRAM_INTERVAL = dt.timedelta(minutes=30)
CLAIM_LEASE = dt.timedelta(minutes=10)  # a claimed run that never finished is retried after this


class WatchInvalid(Exception):  # noqa: N818
    def __init__(self, message: str, field: str = "rule") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class WatchInput:
    name: str
    rule: str
    networks: list[str]
    instagram_top: bool = True
    instagram_recent: bool = True
    alerts: str = Watch.Alerts.OFF
    welcome: bool = False
    reply_templates: dict | None = None
    active: bool = True


def _check(workspace: Workspace, data: WatchInput) -> tuple[str, ...]:
    """The Instagram hashtags the watch needs; raises WatchInvalid with a message for the form."""
    networks = [n for n in data.networks if n in ListeningNetwork.values]
    if not networks:
        raise WatchInvalid(_("Choose X, Instagram or both (Facebook has no public search)."), "networks")
    try:
        rule = parse_rule(data.rule, networks=networks)
    except RuleError as error:
        raise WatchInvalid(error.message) from None
    if ListeningNetwork.X in networks and x_account(workspace) is None:
        raise WatchInvalid(_("Connect an X account to this workspace to search X."), "networks")
    if ListeningNetwork.INSTAGRAM in networks:
        if not (data.instagram_top or data.instagram_recent):
            raise WatchInvalid(_("Choose top media, recent media or both for Instagram."), "networks")
        return rule.instagram_hashtags or ()
    return ()


@transaction.atomic
def watch_save(*, workspace: Workspace, data: WatchInput, actor: User | None, watch: Watch | None = None) -> Watch:
    """Create or update a watch. Its Instagram hashtags are reserved in the quota now (all or none),
    so a watch that would exceed it is refused with the quota's message, and nothing is saved."""
    tags = _check(workspace, data)
    if data.active and tags:
        try:
            hashtags_reserve(workspace=workspace, hashtags=list(tags))
        except QuotaExceeded as error:
            raise WatchInvalid(error.message) from None
    now = timezone.now()
    if watch is None:
        watch = Watch(organization_id=workspace.organization_id, workspace=workspace, created_by=actor, created_at=now)
    rule_changed = watch.rule != data.rule
    watch.name = data.name.strip()[:120]
    watch.rule = " ".join(data.rule.split())
    watch.networks = [n for n in ListeningNetwork.values if n in data.networks]
    watch.instagram_top, watch.instagram_recent = data.instagram_top, data.instagram_recent
    watch.alerts, watch.welcome, watch.active = data.alerts, data.welcome, data.active
    watch.reply_templates = {k: v.strip() for k, v in (data.reply_templates or {}).items() if v and v.strip()}
    watch.updated_at = now
    if rule_changed:
        watch.x_since_id = ""  # another query: X's since_id of the old one means nothing
    if data.active:
        watch.next_collect_at = now  # collected by the next dispatch (within minutes)
    created = watch.pk is None
    watch.save()
    audit_record(
        organization=workspace.organization,
        action=AuditEvent.Action.WATCH_CREATED if created else AuditEvent.Action.WATCH_CHANGED,
        actor=actor,
        target=watch.name,
        details={"workspace": workspace.name, "rule": watch.rule, "networks": watch.networks, "active": watch.active},
    )
    return watch


@transaction.atomic
def watch_delete(*, watch: Watch, actor: User | None = None) -> None:
    # Hits stay (another watch or a campaign may share them); this watch's links go with it.
    audit_record(
        organization=watch.workspace.organization,
        action=AuditEvent.Action.WATCH_DELETED,
        actor=actor,
        target=watch.name,
        details={"workspace": watch.workspace.name, "rule": watch.rule},
    )
    watch.delete()


def instagram_plan(workspace: Workspace, rule_text: str) -> list[tuple[str, str]]:
    """For the watch page: which account searches each of the rule's hashtags (or why none can)."""
    try:
        rule = parse_rule(rule_text)
    except RuleError:
        return []
    plan = []
    for tag in rule.instagram_hashtags or ():
        try:
            account = pick_instagram_account(workspace=workspace, hashtag=tag)
            plan.append((tag, f"@{account.handle}" if account.handle else account.name))
        except QuotaExceeded as error:
            plan.append((tag, error.message))
    return plan


# --- Schedule -------------------------------------------------------------------------------------


def alert_slowdown(used: int, cap: int | None) -> float:
    """Watches that alert or welcome are the last to slow down: full speed until 90 % of the
    month's X budget, half speed until it is spent."""
    if not cap:
        return 1.0
    share = used / cap
    if share >= 1:
        return float("inf")
    return 2.0 if share >= 0.9 else 1.0


def watch_slowdown(watch: Watch, used: int, cap: int | None) -> float:
    if watch.alerts != Watch.Alerts.OFF or watch.welcome:
        return alert_slowdown(used, cap)
    return cadence.budget_slowdown(used, cap)


def _next_month(now: dt.datetime) -> dt.datetime:
    first = now.astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + dt.timedelta(days=32)).replace(day=1)


def watch_next_due(watch: Watch, now: dt.datetime) -> dt.datetime:
    candidates = []
    if watch.listens_to_x:
        used, cap = limits.x_budget(watch.organization_id, now)
        slowdown = watch_slowdown(watch, used, cap)
        candidates.append(_next_month(now) if slowdown == float("inf") else now + X_INTERVAL * slowdown)
    if watch.listens_to_instagram:
        candidates.append(now + INSTAGRAM_INTERVAL)
    return min(candidates) if candidates else now + INSTAGRAM_INTERVAL


def watches_due(now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """Claim the watches due (a conditional UPDATE per watch: a duplicate dispatch claims
    nothing) and return their (organization id, watch id)."""
    now = now or timezone.now()
    claimed = []
    with scopes_disabled():
        due = Watch.objects.filter(active=True).filter(Q(next_collect_at__lte=now) | Q(next_collect_at__isnull=True))
        for pk, organization_id, due_at in due.values_list("pk", "organization_id", "next_collect_at")[:500]:
            won = Watch.objects.filter(pk=pk, next_collect_at=due_at).update(next_collect_at=now + CLAIM_LEASE)
            if won:
                claimed.append((organization_id, pk))
    return claimed


def watch_collect(*, organization_id: int, watch_id: int) -> Collected | None:
    """One scheduled (or asked-for) collection of a watch, then its next due time."""
    with scope(organization=organization_id):
        watch = (
            Watch.objects.filter(organization_id=organization_id, pk=watch_id, active=True)
            .select_related("workspace", "organization")
            .first()
        )
        if watch is None:
            return None
        collected = watch_collect_now(watch=watch)
        now = timezone.now()
        Watch.objects.filter(pk=watch.pk).update(
            last_collected_at=now,
            last_error="\n".join(collected.errors)[:2000],
            next_collect_at=watch_next_due(watch, now),
            x_since_id=watch.x_since_id,
        )
        return collected
