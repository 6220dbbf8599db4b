"""Listening pages and API: forms with clear refusals, the dashboard and its downloads, query
counts of lists and dashboards, and the collection schedule as the X budget runs out."""

import datetime as dt

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from listening.models import HashtagSearch, Watch, WelcomeItem
from listening.quota import hashtag_quota_reserve
from listening.services.collect import watch_collect_now
from listening.services.watches import X_INTERVAL, watch_next_due, watches_due
from listening.tests.factories import make_watch
from networks.models import XReadBudget
from networks.sync import limits

FORM = {
    "name": "Nouveaux habitants",
    "rule": "#Déménagement AND Boulogne",
    "networks": ["x", "instagram"],
    "instagram_top": "on",
    "instagram_recent": "on",
    "alerts": "immediate",
    "welcome": "on",
    "reply_fr": "Bienvenue à Boulogne-Billancourt {author} !",
    "reply_en": "Welcome to Boulogne-Billancourt {author}!",
    "active": "on",
}


def create_url(tenancy) -> str:
    return reverse("listening_watch_create", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})


def test_it_creates_a_watch_and_reserves_its_instagram_hashtags(tenancy, login, city):
    response = login(tenancy.alice).post(create_url(tenancy), FORM)
    assert response.status_code == 302
    with scopes_disabled():
        watch = Watch.objects.get(name="Nouveaux habitants")
        assert watch.reply_templates["fr"].startswith("Bienvenue") and watch.networks == ["x", "instagram"]
        assert list(HashtagSearch.objects.values_list("hashtag", "account_id")) == [
            ("déménagement", city["instagram"].pk)
        ]
        event = AuditEvent.objects.get(action=AuditEvent.Action.WATCH_CREATED)
        assert (event.organization, event.actor, event.target) == (tenancy.org_a, tenancy.alice, "Nouveaux habitants")
    login(tenancy.alice).post(
        reverse("listening_watch_delete", kwargs={"org": tenancy.org_a.slug, "watch_id": watch.pk})
    )
    with scopes_disabled():
        assert AuditEvent.objects.filter(action=AuditEvent.Action.WATCH_DELETED, target="Nouveaux habitants").exists()
        assert not Watch.objects.exists()


def test_it_refuses_a_watch_beyond_the_instagram_quota_and_keeps_the_input(tenancy, login, city):
    with scope(organization=tenancy.org_a):
        for number in range(30):
            hashtag_quota_reserve(account=city["instagram"], hashtag=f"tag{number}", searching=True)
    response = login(tenancy.alice).post(create_url(tenancy), FORM)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Instagram allows 30 different hashtags per account in 7 days" in html
    assert "A slot frees up on" in html
    assert "Bienvenue à Boulogne-Billancourt" in html  # what was typed is still there
    with scopes_disabled():
        assert not Watch.objects.exists()
    # On X alone, the same watch is fine.
    assert login(tenancy.alice).post(create_url(tenancy), {**FORM, "networks": ["x"]}).status_code == 302


def test_it_explains_a_bad_rule(tenancy, login, city):
    response = login(tenancy.alice).post(create_url(tenancy), {**FORM, "rule": "#Déménagement AND (Boulogne"})
    assert response.status_code == 400
    assert "A parenthesis is not closed" in response.content.decode()


def test_it_says_facebook_has_no_public_search(tenancy, login):
    html = login(tenancy.alice).get(reverse("listening_home", kwargs={"org": tenancy.org_a.slug})).content.decode()
    assert "Facebook has no public search" in html


def collected_watches(tenancy):
    watches = [
        make_watch(tenancy.a1, "#Boulogne", networks=["x", "instagram"]),
        make_watch(tenancy.a1, "#Déménagement AND Boulogne", networks=["x", "instagram"], welcome=True),
    ]
    with scope(organization=tenancy.org_a):
        for watch in watches:
            watch_collect_now(watch=watch)
    return watches


def test_it_shows_the_dashboard_in_a_fixed_number_of_queries(tenancy, login, city, django_assert_max_num_queries):
    collected_watches(tenancy)
    alice = login(tenancy.alice)
    url = reverse("listening_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    alice.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(13):
        response = alice.get(url + "?period=28d")
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Volume over time", "Share of voice between watches", "Languages", "Top authors", "Top posts"):
        assert title in html
    csv = alice.get(url + "?download=authors&format=csv")
    assert csv.status_code == 200 and b"Author" in b"".join(csv.streaming_content)
    xlsx = alice.get(url + "?download=volume&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_lists_hits_and_the_queue_in_a_fixed_number_of_queries(tenancy, login, city, django_assert_max_num_queries):
    boulogne, _newcomers = collected_watches(tenancy)
    alice = login(tenancy.alice)
    org = tenancy.org_a.slug
    watch_url = reverse("listening_watch", kwargs={"org": org, "watch_id": boulogne.pk})
    queue_url = reverse("listening_welcome", kwargs={"org": org})
    home_url = reverse("listening_home", kwargs={"org": org})
    api_url = reverse("api_listening_watch_hits", kwargs={"org": org, "watch_id": boulogne.pk})
    for url in (watch_url, queue_url, home_url, api_url):
        alice.get(url)
    with django_assert_max_num_queries(15):  # 14 + the sentiment of the watch's hits (one query)
        assert alice.get(watch_url).status_code == 200
    with django_assert_max_num_queries(8):
        assert alice.get(queue_url).status_code == 200
    with django_assert_max_num_queries(11):
        assert alice.get(home_url).status_code == 200
    with django_assert_max_num_queries(6):
        body = alice.get(api_url).json()
    assert body["count"] > 0 and {"author_handle", "language", "permalink"} <= set(body["results"][0])
    with scopes_disabled():
        assert WelcomeItem.objects.exists()


def test_it_shows_what_a_watch_costs(tenancy, login, city):
    boulogne, _newcomers = collected_watches(tenancy)
    html = (
        login(tenancy.alice)
        .get(reverse("listening_watch", kwargs={"org": tenancy.org_a.slug, "watch_id": boulogne.pk}))
        .content.decode()
    )
    with scopes_disabled():
        used, _cap = limits.x_budget(tenancy.org_a)
    assert "X posts read today" in html and "a month at this pace" in html
    assert f"has used {used:,}" in html or f"has used {used}" in html


def test_it_slows_listening_down_as_the_x_budget_runs_out_alerts_last(tenancy):
    now = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
    with scopes_disabled():
        XReadBudget.objects.create(organization=tenancy.org_a, monthly_cap=1000)
    plain = make_watch(tenancy.a1, "#Boulogne", networks=["x"])
    alerting = make_watch(tenancy.a1, "#Déménagement", networks=["x"], alerts=Watch.Alerts.IMMEDIATE)
    with scopes_disabled():
        limits.x_reads_add(organization_id=tenancy.org_a.pk, reads=600, calls=6, moment=now)
        assert watch_next_due(plain, now) == now + 2 * X_INTERVAL
        assert watch_next_due(alerting, now) == now + X_INTERVAL
        limits.x_reads_add(organization_id=tenancy.org_a.pk, reads=350, calls=3, moment=now)
        assert watch_next_due(plain, now) == now + 8 * X_INTERVAL
        assert watch_next_due(alerting, now) == now + 2 * X_INTERVAL
        limits.x_reads_add(organization_id=tenancy.org_a.pk, reads=50, calls=1, moment=now)
        # Spent: X is not read again before the next month.
        assert watch_next_due(plain, now) == watch_next_due(alerting, now) == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_it_claims_each_due_watch_once(tenancy):
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["x"])
    paused = make_watch(tenancy.a1, "#Boulbi", networks=["x"], active=False)
    assert watches_due() == [(tenancy.org_a.pk, watch.pk)]
    assert watches_due() == []  # claimed: a duplicate dispatch finds nothing
    assert paused.pk not in [pk for _org, pk in watches_due(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))]


def test_it_speaks_french(tenancy, login, city):
    collected_watches(tenancy)
    client = login(tenancy.alice)
    client.cookies["og_language"] = "fr"
    org = tenancy.org_a.slug
    home = client.get(reverse("listening_home", kwargs={"org": org}), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Facebook n'a pas de recherche publique" in home.replace("&#x27;", "'")
    assert "Quota de hashtags Instagram" in home
    queue = client.get(reverse("listening_welcome", kwargs={"org": org})).content.decode()
    assert "À accueillir" in queue
