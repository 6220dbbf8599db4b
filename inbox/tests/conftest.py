import datetime as dt

import pytest
from django_scopes import scope

from analytics.models import Post
from inbox.models import Direction, Message, Thread, ThreadKind
from networks.simulator.world import BOULOGNE
from networks.sync.clock import set_network_now
from networks.tests.factories import make_account


@pytest.fixture
def engine(settings, simulated_networks):
    settings.SYNC_RETRY_DELAY = 0.001
    set_network_now(simulated_networks.now, frozen=True)
    yield simulated_networks
    set_network_now(None)


def sim_account(workspace, sim, network: str):
    ids = {"x": BOULOGNE.x_user_id, "facebook": BOULOGNE.fb_page_id, "instagram": BOULOGNE.ig_user_id}
    token = sim.x_token("boulogne") if network == "x" else sim.page_token("boulogne")
    handle = {"x": BOULOGNE.x_username, "facebook": "", "instagram": BOULOGNE.ig_username}[network]
    return make_account(workspace, network=network, external_id=ids[network], access_token=token, handle=handle or "")


def make_thread(workspace, account, *, key="c1", kind=ThreadKind.COMMENT, inbound=(), outbound=(), **extra):
    """A thread with received messages at ``inbound`` times and answers at ``outbound`` times."""
    from inbox.services.ingest import threads_refresh

    with scope(organization=workspace.organization):
        thread = Thread.objects.create(
            organization=workspace.organization,
            workspace=workspace,
            account=account,
            network=account.network,
            kind=kind,
            external_id=key,
            author_id="u1",
            author_name="Marie",
            **extra,
        )
        for index, moment in enumerate(inbound):
            Message.objects.create(
                organization=workspace.organization,
                thread=thread,
                account=account,
                direction=Direction.IN,
                external_id=f"{key}-in-{index}",
                text="Bonjour, quand ouvre la piscine ?",
                sent_at=moment,
            )
        for index, moment in enumerate(outbound):
            Message.objects.create(
                organization=workspace.organization,
                thread=thread,
                account=account,
                direction=Direction.OUT,
                external_id=f"{key}-out-{index}",
                text="Demain.",
                sent_at=moment,
            )
        threads_refresh(organization_id=workspace.organization_id, thread_ids=[thread.pk])
        thread.refresh_from_db()
    return thread


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


__all__ = ["Post", "make_thread", "sim_account", "utc"]
