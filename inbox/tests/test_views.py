"""The inbox pages and API: lists with a constant number of queries, filters, bulk routing, a
closed reply window keeping the draft, statistics and their CSV export."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from inbox.models import Department, Thread, ThreadKind, ThreadStatus
from inbox.tests.conftest import make_thread, utc
from networks.tests.factories import make_account


def _threads(tenancy, count, start=0):
    account = make_account(tenancy.a1, network="facebook", external_id=f"p{start}")
    return [
        make_thread(tenancy.a1, account, key=f"k{start + n}", inbound=[utc(2026, 11, 29, 9 + n % 8)])
        for n in range(count)
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_lists_threads_in_a_constant_number_of_queries(tenancy, login):
    alice = login(tenancy.alice)
    page = reverse("inbox_threads", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    api = reverse("api_inbox_threads", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    _threads(tenancy, 2)
    alice.get(page)  # the first visit remembers the organisation for the person: not a list's cost
    few = (_queries(alice, page), _queries(alice, api))
    _threads(tenancy, 12, start=100)
    assert (_queries(alice, page), _queries(alice, api)) == few
    assert few[0] <= 14, few


def test_it_filters_and_searches(tenancy, login):
    threads = _threads(tenancy, 3)
    with scope(organization=tenancy.org_a):
        Thread.objects.filter(pk=threads[0].pk).update(subject="Horaires du marché ?", language="fr")
    alice = login(tenancy.alice)
    url = reverse("api_inbox_threads", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    assert [t["id"] for t in alice.get(url, {"q": "marché"}).json()["results"]] == [threads[0].pk]
    assert [t["id"] for t in alice.get(url, {"language": "fr"}).json()["results"]] == [threads[0].pk]
    assert alice.get(url, {"kind": "message"}).json()["results"] == []


def test_it_routes_threads_in_bulk(tenancy, login):
    threads = _threads(tenancy, 2)
    with scope(organization=tenancy.org_a):
        sport = Department.objects.create(organization=tenancy.org_a, workspace=tenancy.a1, name="Sport")
    alice = login(tenancy.alice)
    url = reverse("inbox_threads", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    response = alice.post(
        url,
        {"action": "assign", "thread": [t.pk for t in threads], "department": sport.pk, "assignee": tenancy.alice.pk},
    )
    assert response.status_code == 302
    with scope(organization=tenancy.org_a):
        assert {
            (t.department_id, t.assignee_id, t.status) for t in Thread.objects.filter(pk__in=[t.pk for t in threads])
        } == {(sport.pk, tenancy.alice.pk, ThreadStatus.PENDING)}


def test_it_keeps_the_draft_when_the_window_is_closed(tenancy, login):
    account = make_account(tenancy.a1, network="facebook", external_id="p9")
    thread = make_thread(tenancy.a1, account, key="old", kind=ThreadKind.MESSAGE, inbound=[utc(2020, 1, 1, 9)])
    alice = login(tenancy.alice)
    url = reverse("inbox_thread", kwargs={"org": tenancy.org_a.slug, "thread_id": thread.pk})
    page = alice.get(url)
    assert b"Open on the network" in page.content and b"reply-text" not in page.content
    response = alice.post(url, {"action": "reply", "text": "Bonjour, encore là ?"})
    assert response.status_code == 400
    assert "Bonjour, encore là ?" in response.content.decode()


def test_it_shows_statistics_and_exports_them(tenancy, login):
    account = make_account(tenancy.a1, network="facebook", external_id="p1")
    make_thread(tenancy.a1, account, key="a", inbound=[utc(2026, 11, 24, 9)], outbound=[utc(2026, 11, 24, 9, 30)])
    alice = login(tenancy.alice)
    url = reverse("inbox_stats", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    page = alice.get(url, {"start": "2026-11-20", "end": "2026-11-27"})
    assert b"30 min" in page.content
    export = alice.get(url, {"start": "2026-11-20", "end": "2026-11-27", "format": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Median first response (minutes)" in body and "30.0" in body
    api = reverse("api_inbox_stats", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    data = alice.get(api, {"start": "2026-11-20", "end": "2026-11-27"}).json()
    assert data["current"]["median_seconds"] == 1800 and data["previous"]["median_seconds"] is None
    assert dt.date.fromisoformat(data["start"]) == dt.date(2026, 11, 20)
