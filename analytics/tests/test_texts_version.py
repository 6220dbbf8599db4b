"""The texts version (analytics/factcache.py): what people wrote to an account, cached on its page
and in the sentiment API, is the one the database holds on the next request after every write of
it — a message received, analysed, edited or deleted, an erasure request, the retention purge —
and never another organisation's."""

import datetime as dt
import re
import uuid
from unittest import mock

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accounts.privacy import Person
from accounts.services.privacy import person_erase, retention_apply
from analytics import factcache
from analytics.tests.factories import make_account
from analytics.tests.query_fixtures import make_post
from inbox.models import Message, ModerationAction, Thread
from inbox.services.analysis import messages_analyse_pending
from inbox.services.threads import messages_moderate
from inbox.store import DatabaseInboxStore
from networks.providers.base import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def facts_cache(settings):
    """The cache on, in memory and empty for each test."""
    settings.FACTS_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed (the version changes on commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def receive(account, external_id: str, text: str, *, when: dt.datetime | None = None, post=None, author="Marie"):
    """A comment arriving the way the sync engine and the webhooks store it."""
    comment = Comment(
        external_id=external_id,
        post_external_id=post.external_id if post else "",
        text=text,
        published_at=when or ago(days=2),
        author_id=f"id-{author}",
        author_name=author,
    )
    return DatabaseInboxStore().save_comments(account, comment.post_external_id, [comment])


def said(client, account) -> tuple[int, int, str]:
    """(messages, analysed, the most negative conversations' text) of the account page."""
    url = reverse("analytics_account", kwargs={"org": account.organization.slug, "account_id": account.pk})
    response = client.get(url)
    assert response.status_code == 200
    section = response.content.decode().split('id="sentiment-summary"')[1].split("</section>")[0]
    messages, analysed = re.findall(r'<p class="kpi-value">([^<]*)</p>', section)[:2]
    threads = section.split('class="negative-threads"')[1] if 'class="negative-threads"' in section else ""
    return int(messages), int(analysed), threads


def api_messages(client, account) -> int:
    url = reverse("api_account_sentiment", kwargs={"org": account.organization.slug, "account_id": account.pk})
    return client.get(url).json()["messages"]


def message(account, external_id: str) -> Message:
    with scope(organization=account.organization):
        return Message.objects.get(organization=account.organization, account=account, external_id=external_id)


@pytest.fixture
def account(tenancy, commit):
    """An account of A1 with two comments received (one negative, one positive)."""
    account = make_account(tenancy.a1, network="facebook", external_id="page-a")
    with commit():
        receive(account, "c1", "C'est honteux, toujours fermé, service nul")
        receive(account, "c2", "Merci beaucoup, super accueil !")
    return account


def test_it_serves_the_warm_account_page_without_reading_the_messages(tenancy, login, account):
    alice = login(tenancy.alice)
    url = reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    with CaptureQueriesContext(connection) as cold:
        assert alice.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert alice.get(url).status_code == 200
    reads = [q["sql"] for q in cold.captured_queries if "inbox_message" in q["sql"]]
    assert len(reads) == 1
    assert not [q["sql"] for q in warm.captured_queries if "inbox_message" in q["sql"]]
    assert len(warm) < len(cold)
    assert said(alice, account)[:2] == (2, 2)
    api = reverse("api_account_sentiment", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})
    alice.get(api)
    with CaptureQueriesContext(connection) as warm_api:
        assert alice.get(api).json()["messages"] == 2
    assert not [q["sql"] for q in warm_api.captured_queries if "inbox_message" in q["sql"]]


def test_it_shows_a_new_received_message_on_the_next_request(tenancy, login, account, commit):
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (2, 2)
    assert api_messages(alice, account) == 2
    with commit():
        receive(account, "c3", "Service vraiment nul, personne ne répond")
    assert said(alice, account)[:2] == (3, 3)
    assert api_messages(alice, account) == 3
    with commit(), scope(organization=tenancy.org_a):
        # A Messenger message from the webhook (another write path of the same store).
        DatabaseInboxStore().webhook_change(
            account,
            "page",
            "messages",
            {
                "sender": {"id": "p9"},
                "recipient": {"id": "page-a"},
                "timestamp": 1e3 * ago(days=2).timestamp(),
                "message": {"mid": "m.9", "text": "Bonjour"},
            },
        )
    assert said(alice, account)[0] == 4


def test_it_shows_an_analysis_and_an_edit_on_the_next_request(tenancy, login, account, commit):
    alice = login(tenancy.alice)
    with commit(), scope(organization=tenancy.org_a):
        stored = message(account, "c2")
        Message.objects.filter(organization=tenancy.org_a, pk=stored.pk).update(
            sentiment="", sentiment_score=None, analysed=False
        )
    assert said(alice, account)[:2] == (2, 1)
    # Stored before the analysis was available: the inbox's periodic task analyses it.
    with commit(), scope(organization=tenancy.org_a):
        messages_analyse_pending(organization_id=tenancy.org_a.pk)
    assert said(alice, account)[:2] == (2, 2)
    # A platform admin corrects a message's text and sentiment.
    request = RequestFactory().post("/admin/")
    request.user = tenancy.alice
    stored = message(account, "c2")
    stored.text, stored.sentiment, stored.sentiment_score = "Finalement très déçue", "negative", -0.95
    with commit(), scope(organization=tenancy.org_a):
        admin.site._registry[Message].save_model(request, stored, form=None, change=True)
    threads = said(alice, account)[2]
    assert "Finalement très déçue" in threads and "Merci beaucoup" not in threads


def test_it_shows_a_deletion_on_the_next_request(tenancy, login, account, commit):
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (2, 2)
    request = RequestFactory().post("/admin/")
    request.user = tenancy.alice
    with commit(), scope(organization=tenancy.org_a):
        admin.site._registry[Message].delete_model(request, message(account, "c1"))
    assert said(alice, account)[:2] == (1, 1)
    assert api_messages(alice, account) == 1
    with commit(), scope(organization=tenancy.org_a):
        threads = Thread.objects.filter(organization=tenancy.org_a, account=account)
        admin.site._registry[Thread].delete_queryset(request, threads)
    assert said(alice, account)[:2] == (0, 0)


def test_it_shows_an_erasure_request_on_the_next_request(tenancy, login, account, commit):
    with commit():
        receive(account, "c3", "Toujours fermé, c'est honteux", author="paul")
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (3, 3)
    with commit():
        person_erase(organization=tenancy.org_a, person=Person("Marie"), actor=tenancy.alice)
    assert said(alice, account)[:2] == (1, 1)
    assert api_messages(alice, account) == 1


def test_it_shows_the_retention_purge_on_the_next_request(tenancy, login, account, commit):
    with commit():
        receive(account, "old", "Toujours fermé", when=ago(days=20))
    with scope(organization=tenancy.org_a):
        # The thread's last activity drives the purge: this one is older than the period.
        Thread.objects.filter(organization=tenancy.org_a, external_id="old").update(last_message_at=ago(days=400))
    tenancy.org_a.people_data_retention_days = 365
    tenancy.org_a.save(update_fields=["people_data_retention_days"])
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (3, 3)
    with commit():
        assert retention_apply(organization=tenancy.org_a) == {"inbox.messages": 1, "listening.hits": 0}
    assert said(alice, account)[:2] == (2, 2)


def test_it_shows_a_new_comment_on_the_post_s_sentiment(tenancy, login, account, commit):
    post = make_post(account, "p1", ago(days=2), likes=1)
    with commit():
        receive(account, "pc1", "Nul", post=post)
    alice = login(tenancy.alice)
    url = reverse("api_post_sentiment", kwargs={"org": tenancy.org_a.slug, "post_id": post.pk})
    assert alice.get(url).json()["messages"] == 1
    with commit():
        receive(account, "pc2", "Bravo", post=post)
    assert alice.get(url).json()["messages"] == 2


@pytest.mark.parametrize("write", ["hidden by the network", "deleted by the network", "moderated"])
def test_every_write_of_a_received_message_changes_the_version(tenancy, account, commit, write):
    before = factcache.texts_version(tenancy.org_a.pk)
    facts = factcache.facts_version(tenancy.org_a.pk)
    with commit(), scope(organization=tenancy.org_a):
        if write == "moderated":
            # The network accepts (the provider is the outside world).
            with mock.patch("inbox.services.threads.account_provider"):
                (done,) = messages_moderate(
                    messages=[message(account, "c1")],
                    action=ModerationAction.Action.HIDE,
                    reason="r",
                    actor=tenancy.alice,
                )
            assert done.ok
        else:
            verb = "hide" if write == "hidden by the network" else "remove"
            DatabaseInboxStore().webhook_change(
                account, "page", "feed", {"item": "comment", "comment_id": "c1", "verb": verb}
            )
    assert factcache.texts_version(tenancy.org_a.pk) not in (before, None)
    assert factcache.facts_version(tenancy.org_a.pk) == facts  # texts are not facts


def test_it_never_shares_an_entry_between_organisations(tenancy, login, account, commit):
    other = make_account(tenancy.b1, network="facebook", external_id="page-b")
    with commit():
        receive(other, "b1", "Bonjour")
    alice, charlie = login(tenancy.alice), login(tenancy.charlie)
    assert said(alice, account)[0] == 2
    assert said(charlie, other)[0] == 1
    a_version = factcache.texts_version(tenancy.org_a.pk)
    with commit():
        receive(other, "b2", "Encore bonjour")
    assert factcache.texts_version(tenancy.org_a.pk) == a_version  # B's write leaves A's entries
    assert (said(alice, account)[0], said(charlie, other)[0]) == (2, 2)
    keys = [key for key in factcache.cache._cache if ":og:facts:" in key]
    assert {key.split(":og:facts:")[1].split(":")[0] for key in keys} == {str(tenancy.org_a.pk), str(tenancy.org_b.pk)}


def test_it_changes_the_version_once_the_write_commits(tenancy, django_capture_on_commit_callbacks):
    before = factcache.texts_version(tenancy.org_a.pk)
    facts = factcache.facts_version(tenancy.org_a.pk)
    assert before not in (None, facts)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        factcache.texts_changed(tenancy.org_a.pk)
        assert factcache.texts_version(tenancy.org_a.pk) == before
    assert factcache.texts_version(tenancy.org_a.pk) == before
    for callback in callbacks:
        callback()
    assert factcache.texts_version(tenancy.org_a.pk) not in (before, None)
    assert factcache.facts_version(tenancy.org_a.pk) == facts


def test_it_reads_live_what_a_source_not_following_the_version_holds(tenancy, monkeypatch):
    from analytics.queries.sentiment import scoped_sentiment
    from analytics.text import sources as text_sources

    rows = []
    monkeypatch.setattr(text_sources, "_SCOPED", {})
    text_sources.register_scoped_text_source(
        text_sources.ScopedTextSource("test.account", "account", "Test", lambda *args: list(rows))
    )
    today = timezone.localdate()

    def total() -> int:
        return scoped_sentiment(organization=tenancy.org_a, scope="account", object_id=1, start=today, end=today).total

    assert total() == 0
    rows.append(text_sources.TextRow(day=today, text="t", sentiment="negative", score=-1.0))
    assert total() == 1  # nothing promised the version would follow: never cached


def test_it_serves_the_sentiment_when_the_cache_is_unreachable(tenancy, login, account, commit):
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (2, 2)
    with (
        mock.patch.object(factcache.cache, "get", side_effect=ConnectionError),
        mock.patch.object(factcache.cache, "set", side_effect=ConnectionError),
        mock.patch("analytics.templatetags.factcache.cache.get_many", side_effect=ConnectionError),
    ):
        with commit():
            receive(account, "c3", "Nul")
        assert said(alice, account)[:2] == (3, 3)
        assert api_messages(alice, account) == 3


def test_it_renders_the_sentiment_live_without_a_texts_version(tenancy, login, account, commit):
    """The facts version read, the texts version not (a cache blip between the two reads): the
    fragment is rendered live, never stored under a key that no write would change."""
    alice = login(tenancy.alice)
    assert said(alice, account)[:2] == (2, 2)
    with mock.patch.object(factcache, "texts_version", return_value=None):
        with commit():
            receive(account, "c3", "Nul")
        assert said(alice, account)[:2] == (3, 3)
        with commit():
            receive(account, "c4", "Nul")
        assert said(alice, account)[:2] == (4, 4)
    assert said(alice, account)[:2] == (4, 4)
