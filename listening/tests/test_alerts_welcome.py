"""Alerts (notifications, at once or daily) and the "to welcome" queue, replies sent through the
simulator's X API."""

import datetime as dt

import pytest
from django_scopes import scope, scopes_disabled

from accounts.models import Notification
from listening.models import Hit, Watch, WatchMatch, WelcomeItem
from listening.services.alerts import suggested_reply, watch_digest_send
from listening.services.collect import watch_collect_now
from listening.services.welcome import WelcomeError, hit_author_fill, welcome_mark, welcome_reply
from listening.tests.factories import make_watch

TEMPLATES = {"fr": "Bienvenue à Boulogne-Billancourt {author} !", "en": "Welcome to Boulogne-Billancourt {author}!"}
NEWCOMERS = '#Déménagement AND (Boulogne OR "Boulogne-Billancourt")'


def notifications(user) -> list[Notification]:
    with scopes_disabled():
        return list(Notification.objects.filter(user=user, kind="listening.match"))


def test_it_alerts_the_team_at_once(tenancy, city):
    watch = make_watch(tenancy.a1, NEWCOMERS, networks=["x"], alerts=Watch.Alerts.IMMEDIATE)
    with scope(organization=tenancy.org_a):
        collected = watch_collect_now(watch=watch)
        assert collected.hits
        [alert] = notifications(tenancy.alice)
        assert str(len(collected.hits)) in alert.title and watch.name in alert.title
        assert alert.url.endswith(f"/listening/watches/{watch.pk}/")
        assert notifications(tenancy.bob) == []  # analysts read, they do not run listening
        assert not WatchMatch.objects.filter(watch=watch, alerted=False).exists()
        # Nothing new next time: no new alert.
        watch_collect_now(watch=watch)
        assert len(notifications(tenancy.alice)) == 1


def test_it_sends_one_daily_digest_per_watch(tenancy, city):
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["instagram"], alerts=Watch.Alerts.DAILY)
    with scope(organization=tenancy.org_a):
        collected = watch_collect_now(watch=watch)
    assert collected.hits and notifications(tenancy.alice) == []  # nothing at once
    now = dt.datetime.now(dt.UTC)
    assert watch_digest_send(watch_id=watch.pk, organization_id=tenancy.org_a.pk, now=now) == len(collected.hits)
    assert len(notifications(tenancy.alice)) == 1
    # A duplicate delivery the same day sends nothing.
    assert watch_digest_send(watch_id=watch.pk, organization_id=tenancy.org_a.pk, now=now) == 0
    assert len(notifications(tenancy.alice)) == 1


def test_it_queues_matches_with_a_reply_in_their_language(tenancy, city):
    watch = make_watch(tenancy.a1, NEWCOMERS, networks=["x", "instagram"], welcome=True, reply_templates=TEMPLATES)
    with scope(organization=tenancy.org_a):
        watch_collect_now(watch=watch)
        items = list(WelcomeItem.objects.filter(watch=watch).select_related("hit"))
        assert items
        for item in items:
            hit = item.hit
            if hit.network == "instagram":
                # Instagram hashtag media cannot be commented on: copy and open on the network.
                assert item.how == WelcomeItem.How.MANUAL
            elif "@ville_boulogneb" in hit.text.lower():
                assert item.how == WelcomeItem.How.REPLY
            else:  # X refuses replies to posts that did not mention the account
                assert item.how == WelcomeItem.How.MANUAL
            # The hit's language, else the organisation's (organisation A speaks English).
            expected = TEMPLATES.get(hit.language) or TEMPLATES["en"]
            author = f"@{hit.author_handle}" if hit.author_handle else ""
            assert item.suggested_reply == " ".join(expected.replace("{author}", author).split())
        assert {i.how for i in items} == {WelcomeItem.How.REPLY, WelcomeItem.How.MANUAL}


def test_it_replies_on_x_through_the_simulator_then_marks_done(tenancy, city, sim):
    watch = make_watch(tenancy.a1, NEWCOMERS, networks=["x"], welcome=True, reply_templates=TEMPLATES)
    with scope(organization=tenancy.org_a):
        watch_collect_now(watch=watch)
        item = WelcomeItem.objects.filter(watch=watch, how=WelcomeItem.How.REPLY).select_related("hit", "watch").first()
        done = welcome_reply(item=item, text=item.suggested_reply, actor=tenancy.alice)
        assert done.status == WelcomeItem.Status.DONE and done.done_by == tenancy.alice
        assert done.reply_external_id and done.replied_from == city["x"]
        [sent] = sim.sim.inbox.replies_to(item.hit.external_id)
        assert sent.text == item.suggested_reply
        with pytest.raises(WelcomeError, match="already been handled"):
            welcome_reply(item=done, text="again", actor=tenancy.alice)


def test_it_turns_a_reply_x_refuses_into_a_manual_one(tenancy, city):
    watch = make_watch(tenancy.a1, NEWCOMERS, networks=["x"], welcome=True, reply_templates=TEMPLATES)
    with scope(organization=tenancy.org_a):
        watch_collect_now(watch=watch)
        item = (
            WelcomeItem.objects.filter(watch=watch, how=WelcomeItem.How.MANUAL).select_related("hit", "watch").first()
        )
        with pytest.raises(WelcomeError, match="copy the reply"):
            welcome_reply(item=item, text="Bienvenue !", actor=tenancy.alice)
        # Even when it was thought possible, X's 403 makes it manual, and nothing is lost.
        WelcomeItem.objects.filter(pk=item.pk).update(how=WelcomeItem.How.REPLY)
        item.refresh_from_db()
        with pytest.raises(WelcomeError, match="X refused the reply"):
            welcome_reply(item=item, text="Bienvenue !", actor=tenancy.alice)
        item.refresh_from_db()
        assert (item.how, item.status) == (WelcomeItem.How.MANUAL, WelcomeItem.Status.PENDING)
        # Posted by hand on X, then marked done.
        assert welcome_mark(item=item, status="done", actor=tenancy.alice).status == WelcomeItem.Status.DONE


def test_it_lets_the_team_fill_in_an_instagram_author(tenancy, city):
    watch = make_watch(
        tenancy.a1, "#Déménagement AND Boulogne", networks=["instagram"], welcome=True, reply_templates=TEMPLATES
    )
    with scope(organization=tenancy.org_a):
        watch_collect_now(watch=watch)
        item = WelcomeItem.objects.filter(watch=watch).select_related("hit", "watch").first()
        hit = hit_author_fill(hit=item.hit, handle="@lea_mar42", actor=tenancy.alice)
        assert (hit.author_handle, hit.author_source) == ("lea_mar42", Hit.AuthorSource.MANUAL)
        item.refresh_from_db()
        assert "@lea_mar42" in item.suggested_reply
        x_hit = Hit(organization=tenancy.org_a, author_source=Hit.AuthorSource.NETWORK)
        with pytest.raises(WelcomeError):
            hit_author_fill(hit=x_hit, handle="someone", actor=tenancy.alice)
        assert suggested_reply(watch=watch, hit=hit) == item.suggested_reply
