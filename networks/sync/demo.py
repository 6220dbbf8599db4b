"""The demo's accounts and history, through the product's own code paths (DESIGN.md "Running it").

* ``demo_connect``: the city's Facebook page, Instagram account and X account, and the agency
  clients' accounts, connected through the real connect services with tokens from the
  simulator's OAuth screens (played here as a person would: GET the consent page, POST the choice).
* ``demo_replay``: the simulator's clock moved back, then the sync engine run day by day up to
  now — a backfill on the first day, then the daily syncs — so the demo's year of history (X
  follower counts and Instagram beyond 30 days included) accumulates exactly as in production.
  Posts and metrics are read a week at a time (listings and insights cover any window, so a
  week is one pass); the daily sync of X and Instagram runs every day (neither API keeps a
  follower history: each day's total must be read that day).
"""

import datetime as dt
import html
import logging
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import requests
from django.db import close_old_connections
from django_scopes import scope, scopes_disabled

from accounts.models import Organization, Workspace
from networks.models import Network, SocialAccount, SyncKind, SyncRun
from networks.providers.facebook import oauth as fb_oauth
from networks.providers.x import oauth as x_oauth
from networks.services import connect
from networks.sync.clock import set_network_now
from networks.sync.engine import account_sync

logger = logging.getLogger(__name__)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
REDIRECT_URI = "http://127.0.0.1:8000/networks/callback/"  # never followed: the code is read off it
REPLAY_KINDS = [SyncKind.DAILY, SyncKind.POSTS, SyncKind.POST_METRICS]
# Networks whose follower totals exist only as read on the day (no history in the API).
DAILY_EVERY_DAY = (Network.X, Network.INSTAGRAM)
STEP_DAYS = {Network.X: 7, Network.FACEBOOK: 7, Network.INSTAGRAM: 7}
SYNC_HOUR = dt.time(10, 0, tzinfo=dt.UTC)  # after Meta closed the Pacific day
# Accounts of one step synced side by side (each waits on the network most of the time).
REPLAY_THREADS = 4


@dataclass(frozen=True)
class DemoAccounts:
    """Which simulator personas go to which organisation and workspace (by name)."""

    organization: str
    facebook_user: str  # the simulator's Facebook user who manages the pages
    pages: dict[str, str]  # persona key → workspace name (its page and Instagram account)
    x: dict[str, str]  # persona key → workspace name


class Simulator:
    """The simulator's control endpoints (``/_sim/...``), over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()

    def now(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.session.get(f"{self.url}/_sim/clock", timeout=10).json()["now"])

    def set_now(self, moment: dt.datetime, *, running: bool = False) -> None:
        answer = self.session.post(
            f"{self.url}/_sim/clock", json={"now": moment.isoformat(), "running": running}, timeout=10
        )
        answer.raise_for_status()

    def consent(self, page_url: str, choice: dict[str, str]) -> dict[str, str]:
        """Answer a consent page as a person would; returns the query of the redirect."""
        page = self.session.get(page_url, timeout=10)
        page.raise_for_status()
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
        action = html.unescape(FORM_ACTION.search(page.text).group(1))
        answer = self.session.post(
            self.url + action, data={**fields, **choice, "decision": "allow"}, allow_redirects=False, timeout=10
        )
        if answer.status_code != 302:
            raise RuntimeError(f"the simulator's consent page answered {answer.status_code}")
        return {k: v[0] for k, v in parse_qs(urlparse(answer.headers["Location"]).query).items()}


def _workspace(organization: Organization, name: str | None) -> Workspace:
    workspaces = Workspace.objects.filter(organization=organization).order_by("pk")
    return (workspaces.filter(name=name).first() if name else None) or workspaces.first()


def demo_connect(*, sim: Simulator, plan: DemoAccounts) -> list[SocialAccount]:
    """Connect one organisation's demo accounts through the OAuth screens and connect services."""
    with scopes_disabled():
        organization = Organization.objects.get(name=plan.organization)
    with scope(organization=organization):
        owner = organization.memberships.filter(role="owner").select_related("user").first().user
        connected: list[SocialAccount] = []
        if plan.pages:
            redirect_uri = REDIRECT_URI + "facebook/"
            answer = sim.consent(
                fb_oauth.dialog_url(state=secrets.token_urlsafe(16), redirect_uri=redirect_uri),
                {"user": plan.facebook_user},
            )
            grant = connect.facebook_grant_fetch(code=answer["code"], redirect_uri=redirect_uri)
            wanted = {_persona_page(key): name for key, name in plan.pages.items()}
            chosen = {p.id: _workspace(organization, wanted[p.id]) for p in grant.pages if p.id in wanted}
            connected += connect.facebook_pages_connect(
                organization=organization,
                user=owner,
                grant=grant,
                page_workspaces=chosen,
                instagram_workspaces=chosen,
            )
        for persona, workspace_name in plan.x.items():
            redirect_uri = REDIRECT_URI + "x/"
            verifier = x_oauth.new_code_verifier()
            answer = sim.consent(
                x_oauth.authorization_url(
                    state=secrets.token_urlsafe(16), verifier=verifier, redirect_uri=redirect_uri
                ),
                {"account": persona},
            )
            connected.append(
                connect.x_connect_complete(
                    organization=organization,
                    workspace=_workspace(organization, workspace_name),
                    user=owner,
                    code=answer["code"],
                    verifier=verifier,
                    redirect_uri=redirect_uri,
                )
            )
    return connected


def _persona_page(key: str) -> str:
    from networks.simulator.world import persona_by_key

    persona = persona_by_key(key)
    if persona is None or not persona.fb_page_id:
        raise LookupError(f"no Facebook page for simulator persona {key!r}")
    return persona.fb_page_id


def demo_replay(*, sim: Simulator, accounts: list[SocialAccount], days: int, until: dt.datetime) -> int:
    """Replay ``days`` days of syncs up to ``until`` for ``accounts``: the simulator's clock and the
    engine's move together, one step at a time, all accounts of a step in parallel. Returns runs."""
    start = dt.datetime.combine((until - dt.timedelta(days=days)).date(), SYNC_HOUR)
    moments = [start + dt.timedelta(days=n) for n in range(days + 1) if start + dt.timedelta(days=n) <= until]
    if moments[-1] < until:
        moments.append(until)  # and today, up to now
    plans = {
        account.pk: {m for i, m in enumerate(moments) if i % STEP_DAYS[account.network] == 0 or m == moments[-1]}
        for account in accounts
    }
    total = 0

    def one(account: SocialAccount, moment: dt.datetime, first: bool, full: bool) -> int:
        try:
            kinds = [SyncKind.BACKFILL] if first else REPLAY_KINDS if full else [SyncKind.DAILY]
            return len(
                account_sync(
                    organization_id=account.organization_id,
                    account_id=account.pk,
                    trigger=SyncRun.Trigger.REPLAY,
                    kinds=kinds,
                    history_days=30 if first else None,
                )
            )
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=REPLAY_THREADS) as pool:
        for index, moment in enumerate(moments):
            sim.set_now(moment)
            set_network_now(moment, frozen=True)
            # X and Instagram keep no follower history: their counters are read every day; posts
            # and their metrics, and Facebook's insights (history kept), once per step.
            due = [a for a in accounts if moment in plans[a.pk] or a.network in DAILY_EVERY_DAY]
            total += sum(pool.map(lambda a, m=moment, i=index: one(a, m, i == 0, m in plans[a.pk]), due))
    set_network_now(None)
    return total
