"""Rows of the listening tests, each made for an explicit organisation."""

import datetime as dt

from django_scopes import scope

from accounts.models import Workspace
from listening.models import Hit, Watch, WatchMatch, WelcomeItem
from networks.models import SocialAccount
from networks.simulator.world import BOULOGNE, LEMOINE
from networks.tests.factories import make_account

NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


def x_account(workspace: Workspace, sim, persona=BOULOGNE) -> SocialAccount:
    return make_account(
        workspace,
        network="x",
        external_id=persona.x_user_id,
        handle=persona.x_username,
        access_token=sim.x_token(persona.key),
    )


def ig_account(workspace: Workspace, sim, persona=BOULOGNE) -> SocialAccount:
    return make_account(
        workspace,
        network="instagram",
        external_id=persona.ig_user_id,
        handle=persona.ig_username,
        access_token=sim.page_token(persona.key),
    )


def second_ig_account(workspace: Workspace, sim) -> SocialAccount:
    return ig_account(workspace, sim, LEMOINE)


def make_watch(workspace: Workspace, rule: str = "#Boulogne", networks=("x", "instagram"), **extra) -> Watch:
    with scope(organization=workspace.organization):
        return Watch.objects.create(
            organization=workspace.organization,
            workspace=workspace,
            name=extra.pop("name", rule),
            rule=rule,
            networks=list(networks),
            **extra,
        )


def make_hit(workspace: Workspace, external_id: str, *, network: str = "x", **extra) -> Hit:
    values = {
        "source": Hit.Source.X_SEARCH if network == "x" else Hit.Source.IG_RECENT,
        "published_at": NOW - dt.timedelta(hours=3),
        "text": f"Post {external_id} #Boulogne",
        "permalink": f"https://x.com/i/web/status/{external_id}",
        "hashtags": ["boulogne"],
        **extra,
    }
    with scope(organization=workspace.organization):
        return Hit.objects.create(
            organization=workspace.organization, workspace=workspace, network=network, external_id=external_id, **values
        )


def make_queue_objects(workspace: Workspace, key: str) -> tuple[Watch, Hit, WelcomeItem]:
    """An X account, a watch routing to the welcome queue, an Instagram hit it matched and its
    queue item: what every listening page addresses (tenancy tests)."""
    make_account(workspace, network="x", external_id=f"x{key}", handle=f"city_{key}")
    watch = make_watch(workspace, "#Boulogne", networks=["x"], welcome=True)
    hit = make_hit(workspace, f"ig{key}", network="instagram")
    with scope(organization=workspace.organization):
        WatchMatch.objects.create(
            organization=workspace.organization, watch=watch, hit=hit, published_at=hit.published_at
        )
        item = WelcomeItem.objects.create(
            organization=workspace.organization, watch=watch, hit=hit, how=WelcomeItem.How.MANUAL
        )
    return watch, hit, item
