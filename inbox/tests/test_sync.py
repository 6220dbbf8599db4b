"""Comments, mentions and private messages through the real sync path: the simulator, the
providers, the sync engine's conversations step and the inbox store."""

import pytest
from django_scopes import scope

from analytics.factstore import DatabaseFactStore
from inbox.models import Direction, Message, Thread, ThreadKind
from inbox.tests.conftest import sim_account
from networks.models import SyncKind, SyncRun
from networks.sync.engine import account_sync
from networks.sync.factstore import register_fact_store


@pytest.fixture(autouse=True)
def _database_facts():
    register_fact_store(DatabaseFactStore())


def sync(account, kinds):
    return account_sync(organization_id=account.organization_id, account_id=account.pk, kinds=kinds)


@pytest.mark.parametrize(
    ("network", "kinds"),
    [
        ("facebook", {ThreadKind.COMMENT, ThreadKind.MESSAGE}),
        ("instagram", {ThreadKind.COMMENT, ThreadKind.MENTION, ThreadKind.MESSAGE}),
        ("x", {ThreadKind.MENTION, ThreadKind.MESSAGE}),
    ],
)
def test_it_fills_the_inbox_through_the_sync_engine(tenancy, engine, network, kinds):
    account = sim_account(tenancy.a1, engine, network)
    runs = sync(account, [SyncKind.POSTS, SyncKind.CONVERSATIONS])
    assert [r.status for r in runs] == [SyncRun.Status.OK] * 2, [r.error for r in runs]
    with scope(organization=tenancy.org_a):
        threads = list(Thread.objects.filter(organization=tenancy.org_a, account=account))
        assert {t.kind for t in threads} == kinds
        assert all(t.first_inbound_at for t in threads)
        messages = Message.objects.filter(organization=tenancy.org_a, account=account)
        assert messages.filter(direction=Direction.IN).exists()
        count = messages.count()
        # The account's own answers are seen on the network (X: its replies, synced as its posts).
        assert any(t.first_response_at for t in threads)
    # Idempotent: a second run adds nothing new.
    runs = sync(account, [SyncKind.CONVERSATIONS])
    assert runs[0].status == SyncRun.Status.OK
    with scope(organization=tenancy.org_a):
        assert Message.objects.filter(organization=tenancy.org_a, account=account).count() == count


def test_it_seeds_the_demo_inbox_through_the_sync_path(tenancy, engine, settings):
    from django.core.management import call_command

    from accounts.models import Organization
    from inbox.management.commands.seed_demo_inbox import CITY
    from inbox.models import Department
    from inbox.tests.conftest import sim_account

    settings.SIMULATOR_URL = engine.url
    with scope(organization=tenancy.org_a):
        Organization.objects.filter(pk=tenancy.org_a.pk).update(name=CITY)
    for network in ("facebook", "instagram", "x"):
        sim_account(tenancy.a1, engine, network)
    call_command("seed_demo_inbox")
    call_command("seed_demo_inbox")  # again: nothing doubles
    with scope(organization=tenancy.org_a):
        assert Department.objects.filter(organization=tenancy.org_a, workspace=tenancy.a1).count() == 5
        threads = Thread.objects.filter(organization=tenancy.org_a, workspace=tenancy.a1)
        assert {t.network for t in threads} == {"facebook", "instagram", "x"}
        assert {t.language for t in threads} >= {"fr"}
