"""X compliance: the posts deleted on X — and only those — are deleted here, by lookups of 100,
metered like the sync's reads. Runs against the simulator's real X wire format."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django_scopes import scope

from networks.models import SocialAccount, XReadUsage
from networks.providers.x.provider import XProvider
from networks.simulator.world import BOULOGNE
from networks.sync.clock import set_network_now
from networks.sync.factstore import fact_store
from networks.tests.factories import make_account
from networks.tests.memory_store import memory_store
from networks.tests.recorded import X_HEADERS
from networks.webhooks import compliance, tasks


@pytest.fixture(params=["memory", "database"])
def store(request) -> Iterator:
    """Both fact stores: the sync tests' in-memory fake and the real one analytics registers at
    start-up (networks never imports it: it is whatever ``fact_store()`` returns)."""
    if request.param == "database":
        assert type(fact_store()).__name__ == "DatabaseFactStore"
        yield fact_store()
        return
    with memory_store() as fake:
        yield fake


@pytest.fixture
def x_sim(simulated_networks):
    set_network_now(simulated_networks.now, frozen=True)
    yield simulated_networks
    set_network_now(None)


def x_account(workspace, sim) -> SocialAccount:
    return make_account(workspace, network="x", external_id=BOULOGNE.x_user_id, access_token=sim.x_token("boulogne"))


def store_recent_posts(account: SocialAccount, sim, pages: int = 2) -> list[str]:
    """Two pages of the account's timeline, stored through the FactStore as the sync would."""
    provider = XProvider(external_id=account.external_id, access_token=sim.x_token("boulogne"))
    cursor, ids = None, []
    for _ in range(pages):
        page = provider.posts(cursor=cursor)
        fact_store().save_posts(account, page.items, sim.now)
        ids += [post.external_id for post in page.items]
        cursor = page.next_cursor
    return ids


def known(account: SocialAccount) -> set[str]:
    return set(fact_store().known_post_ids(account, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))


def reads(account: SocialAccount) -> tuple[int, int]:
    with scope(organization=account.organization):
        usage = XReadUsage.objects.filter(organization=account.organization).first()
        return (usage.reads, usage.calls) if usage else (0, 0)


def test_it_deletes_exactly_the_posts_deleted_on_x(tenancy, x_sim, store):
    account = x_account(tenancy.a1, x_sim)
    ids = store_recent_posts(account, x_sim)
    assert len(ids) == 200
    gone = [ids[3], ids[42], ids[150]]  # across both batches of 100
    x_sim.delete_tweets(*gone)
    with scope(organization=tenancy.org_a):
        result = compliance.x_compliance_check(account=account)
    assert (result.checked, result.deleted, result.calls) == (200, 3, 2)
    assert known(account) == set(ids) - set(gone)
    assert reads(account) == (197, 2)  # each post X returned is a billed read, metered like the sync's


def test_it_deletes_nothing_when_nothing_was_deleted(tenancy, x_sim, store):
    account = x_account(tenancy.a1, x_sim)
    ids = store_recent_posts(account, x_sim, pages=1)
    with scope(organization=tenancy.org_a):
        assert compliance.x_compliance_check(account=account).deleted == 0
    assert known(account) == set(ids)


def test_it_calls_nothing_for_an_account_without_posts(tenancy, x_sim, store):
    account = x_account(tenancy.a1, x_sim)
    with scope(organization=tenancy.org_a):
        assert compliance.x_compliance_check(account=account) == compliance.ComplianceResult(0, 0, 0)
    assert reads(account) == (0, 0)


def test_it_only_checks_posts_within_the_window(tenancy, x_sim, store, settings):
    account = x_account(tenancy.a1, x_sim)
    ids = store_recent_posts(account, x_sim, pages=1)
    settings.X_COMPLIANCE_WINDOW_DAYS = 0
    x_sim.delete_tweets(ids[0])
    with scope(organization=tenancy.org_a):
        assert compliance.x_compliance_check(account=account).checked == 0
    assert ids[0] in known(account)


def test_it_never_touches_another_organisation_posts(tenancy, x_sim, store):
    account_a = x_account(tenancy.a1, x_sim)
    account_b = x_account(tenancy.b1, x_sim)  # the same X account, connected by another tenant
    ids = store_recent_posts(account_a, x_sim, pages=1)
    store_recent_posts(account_b, x_sim, pages=1)
    x_sim.delete_tweets(ids[0])
    tasks.x_compliance_account(tenancy.org_a.pk, account_a.pk)
    assert ids[0] not in known(account_a)
    assert ids[0] in known(account_b)  # B's own check will delete it, with B's budget
    assert reads(account_b) == (0, 0)


def test_it_queues_one_check_per_active_x_account(tenancy, store, monkeypatch):
    active = make_account(tenancy.a1, network="x", external_id="1")
    make_account(tenancy.a2, network="x", external_id="2", status=SocialAccount.Status.DISABLED)
    make_account(tenancy.a1, network="facebook", external_id="3")
    other = make_account(tenancy.b1, network="x", external_id="1")
    queued = []
    monkeypatch.setattr(tasks.x_compliance_account, "delay", lambda *args: queued.append(args))
    assert tasks.x_compliance_dispatch() == 2
    assert sorted(queued) == sorted([(tenancy.org_a.pk, active.pk), (tenancy.org_b.pk, other.pk)])


def test_it_marks_the_account_for_reconnecting_when_x_refuses_the_token(tenancy, x_sim, store):
    account = x_account(tenancy.a1, x_sim)
    store_recent_posts(account, x_sim, pages=1)
    x_sim.set_faults(revoked_tokens=["boulogne"])
    assert tasks.x_compliance_account(tenancy.org_a.pk, account.pk) == 0
    with scope(organization=tenancy.org_a):
        assert SocialAccount.objects.get(pk=account.pk).status == SocialAccount.Status.NEEDS_REAUTH


def test_it_runs_every_day_from_beat():
    from overgraph.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["x-compliance"]
    assert entry["schedule"] == 86400.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert django_settings.CELERY_BEAT_SCHEDULE["webhook-events-sweep"]["task"] in app.tasks


def test_it_keeps_a_post_x_withholds_for_another_reason(replay, networks_configured):
    """Only resource-not-found means deleted: a protected or suspended author's post still exists."""
    replay.add(
        "GET",
        r"/2/tweets",
        {
            "data": [{"id": "1", "text": "still here", "edit_history_tweet_ids": ["1"]}],
            "errors": [
                {
                    "value": "2",
                    "detail": "Could not find tweet with ids: [2].",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": "2",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
                {
                    "value": "3",
                    "detail": "Sorry, you are not authorized to see the Tweet with ids: [3].",
                    "title": "Authorization Error",
                    "resource_type": "tweet",
                    "parameter": "ids",
                    "resource_id": "3",
                    "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
                },
            ],
        },
        headers=X_HEADERS,
    )
    check = XProvider(external_id="9", access_token="token").deleted_ids(["1", "2", "3"])
    assert check.deleted == frozenset({"2"})
    assert (check.returned, check.calls) == (1, 1)
    assert replay.params()["ids"] == ["1,2,3"]
    assert "tweet.fields" not in replay.params()  # no field beyond the id: the cheapest lookup
