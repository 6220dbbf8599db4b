"""The statistics API: same numbers as the query layer, clear 400s, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.tests.query_fixtures import at, make_post, seed

pytestmark = pytest.mark.django_db
CUSTOM = {"period": "custom", "start": "2026-11-01", "end": "2026-11-10"}


def test_it_serves_the_overview_of_the_query_layer(tenancy, login, accounts):
    seed(accounts)
    url = reverse("api_overview", kwargs={"org": tenancy.org_a.slug})
    body = login(tenancy.alice).get(url, CUSTOM).json()
    assert body["total"]["engagements"]["current"] == 50
    assert body["by_network"]["x"]["reach"]["current"] is None
    assert body["by_network"]["x"]["engagements"] == {"current": 20, "previous": 5, "change": 15, "change_pct": 300.0}
    dana = login(tenancy.dana).get(url, CUSTOM).json()
    assert dana["total"]["engagements"]["current"] == 20


@pytest.mark.parametrize(
    "params",
    [
        {"period": "forever"},
        {"period": "custom", "start": "2026-02-30", "end": "2026-03-01"},
        {"period": "custom", "start": "2026-11-10", "end": "2026-11-01"},
        {"account": "abc"},
        {"network": "myspace"},
        {"ordering": "password"},
        {"page": "0"},
        {"page_size": "100000"},
    ],
)
def test_it_rejects_bad_parameters_with_400(params, tenancy, login, accounts):
    response = login(tenancy.alice).get(reverse("api_post_list", kwargs={"org": tenancy.org_a.slug}), params)
    assert response.status_code == 400
    assert response.json()


def test_it_rejects_unknown_daily_metrics(tenancy, login, accounts):
    url = reverse("api_account_daily", kwargs={"org": tenancy.org_a.slug, "account_id": accounts.a.pk})
    response = login(tenancy.alice).get(url, {"metric": "impressions"})
    assert response.status_code == 400 and "impressions" in response.json()["metric"]
    body = login(tenancy.alice).get(url, {**CUSTOM, "metric": ["followers", "views"]}).json()
    assert body["days"][0] == {"date": "2026-11-01", "followers": None, "views": None}


def test_it_filters_posts(tenancy, login, accounts):
    posts = seed(accounts)
    url = reverse("api_post_list", kwargs={"org": tenancy.org_a.slug})
    alice = login(tenancy.alice)
    ids = [
        p["id"] for p in alice.get(url, {**CUSTOM, "hashtag": "sport", "ordering": "-engagements"}).json()["results"]
    ]
    assert ids == [posts["o1"].pk, posts["r1"].pk]
    ids = [p["id"] for p in alice.get(url, {**CUSTOM, "network": "facebook"}).json()["results"]]
    assert ids == [posts["f1"].pk]
    ids = [p["id"] for p in alice.get(url, {**CUSTOM, "kind": "repost"}).json()["results"]]
    assert ids == [posts["rt"].pk]


def test_it_lists_posts_in_constant_queries(tenancy, login, accounts):
    url = reverse("api_post_list", kwargs={"org": tenancy.org_a.slug})
    alice = login(tenancy.alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice.get(url, CUSTOM).status_code == 200
        return len(queries)

    make_post(accounts.a, "one", at(3), likes=1)
    few = count()
    for n in range(20):
        make_post(accounts.a, f"more{n}", at(4), likes=n, views=10)
    assert count() == few


def test_it_serves_a_posts_snapshots_and_curve(tenancy, login, accounts):
    from analytics.tests.query_fixtures import make_snapshot

    posts = seed(accounts)
    make_snapshot(posts["o1"], at(3, 10), likes=3, views=50)
    url = reverse("api_post_snapshots", kwargs={"org": tenancy.org_a.slug, "post_id": posts["o1"].pk})
    body = login(tenancy.alice).get(url).json()
    assert body["snapshots"][0]["likes"] == 3
    assert body["curve"]["points"][0] == {"hours_since_publish": 1.0, "engagements": 3, "views": 50}


def test_it_creates_themes_with_rules_and_filters_by_them(tenancy, login, accounts):
    posts = seed(accounts)
    alice = login(tenancy.alice)
    created = alice.post(
        reverse("api_theme_list", kwargs={"org": tenancy.org_a.slug}),
        {"name": "Sport", "hashtags": ["#SPORT"], "color": "#ff0000"},
        content_type="application/json",
    )
    assert created.status_code == 201
    from django_scopes import scope

    from analytics.services.themes import themes_apply

    with scope(organization=tenancy.org_a):
        assert themes_apply(organization=tenancy.org_a) == 2
    url = reverse("api_post_list", kwargs={"org": tenancy.org_a.slug})
    ids = {p["id"] for p in alice.get(url, {**CUSTOM, "theme": created.json()["id"]}).json()["results"]}
    assert ids == {posts["o1"].pk, posts["r1"].pk}
    bad = alice.post(
        reverse("api_theme_list", kwargs={"org": tenancy.org_a.slug}),
        {"name": "X", "color": "red"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_it_documents_every_endpoint(client):
    schema = client.get(reverse("api_schema")).content.decode()
    for path in ("/overview/", "/posts/", "/best-times/", "/themes/", "/themes/breakdown/", "/snapshots/", "/daily/"):
        assert path in schema


def _label(themes: dict, posts: dict, tenancy) -> None:
    from django_scopes import scope

    from analytics.models import PostTheme

    with scope(organization=tenancy.org_a):
        for theme, names in themes.items():
            for name in names:
                PostTheme.objects.create(organization_id=tenancy.org_a.pk, post=posts[name], theme=theme)


def test_it_breaks_the_statistics_down_by_theme(tenancy, login, accounts):
    """Hand-computed on ``seed``: Sport labels o1, r1 and the repost rt (never counted), Boulogne
    labels o1, f1 and o0 (last period), Ville (A2's own theme) labels f1."""
    from django_scopes import scope

    from analytics.models import Theme

    posts = seed(accounts)
    with scope(organization=tenancy.org_a):
        sport = Theme.objects.create(organization=tenancy.org_a, name="Sport", color="#ff0000")
        boulogne = Theme.objects.create(organization=tenancy.org_a, name="Boulogne")
        ville = Theme.objects.create(organization=tenancy.org_a, workspace=tenancy.a2, name="Ville")
    _label({sport: ["o1", "r1", "rt"], boulogne: ["o1", "f1", "o0"], ville: ["f1"]}, posts, tenancy)
    url = reverse("api_theme_breakdown", kwargs={"org": tenancy.org_a.slug})
    alice = login(tenancy.alice)

    def rows(client, **params):
        body = client.get(url, {**CUSTOM, **params}).json()
        return [(r["name"], r["posts"], r["engagements"], r["engagement_rate"]) for r in body["themes"]]

    assert rows(alice) == [
        ("Boulogne", 2, 16 + 30, 46 / 1300),  # o1 (views 1,000) and f1 (views 300)
        ("Sport", 2, 16 + 4, 20 / 1000),  # r1 reports no views: the rate is over o1's alone
        ("Ville", 1, 30, 30 / 300),
    ]
    assert alice.get(url, CUSTOM).json()["period"] == {"start": "2026-11-01", "end": "2026-11-10"}
    assert rows(alice, network="x") == [("Boulogne", 1, 16, 0.016), ("Sport", 2, 20, 0.02)]
    # Filtered by a theme: the posts carrying it, broken down by every theme they carry.
    assert rows(alice, theme=sport.pk) == [("Boulogne", 1, 16, 0.016), ("Sport", 2, 20, 0.02)]
    assert rows(alice, period="custom", start="2026-10-22", end="2026-10-31") == [("Boulogne", 1, 5, 0.01)]
    # dana sees A1 only: neither f1 nor A2's theme.
    assert rows(login(tenancy.dana)) == [("Boulogne", 1, 16, 0.016), ("Sport", 2, 20, 0.02)]
    assert alice.get(url, {"period": "forever"}).status_code == 400


def test_it_breaks_down_by_theme_as_the_dashboard_does(tenancy, login, accounts):
    from django_scopes import scope

    from analytics.models import Theme

    posts = seed(accounts)
    with scope(organization=tenancy.org_a):
        sport = Theme.objects.create(organization=tenancy.org_a, name="Sport")
    _label({sport: ["o1", "r1"]}, posts, tenancy)
    alice = login(tenancy.alice)
    api = alice.get(
        reverse("api_theme_breakdown", kwargs={"org": tenancy.org_a.slug}), {**CUSTOM, "workspace": tenancy.a1.pk}
    )
    dashboard = alice.get(
        reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}),
        {**CUSTOM, "download": "themes", "format": "csv"},
    )
    csv_rows = b"".join(dashboard.streaming_content).decode("utf-8-sig").splitlines()
    (row,) = api.json()["themes"]
    assert (
        csv_rows[1].split(",")[:3] == [row["name"], str(row["posts"]), str(row["engagements"])] == ["Sport", "2", "20"]
    )


def test_it_narrows_the_best_times_by_theme_as_the_account_page_does(tenancy, login, accounts):
    """Sport labels r1 only (a reply, Wednesday 4 November 18:00 UTC = 19:00 in Paris): one cell."""
    from django_scopes import scope

    from analytics.models import Theme

    posts = seed(accounts)
    with scope(organization=tenancy.org_a):
        sport = Theme.objects.create(organization=tenancy.org_a, name="Sport")
    _label({sport: ["r1"]}, posts, tenancy)
    url = reverse("api_account_best_times", kwargs={"org": tenancy.org_a.slug, "account_id": accounts.a.pk})
    alice = login(tenancy.alice)
    cells = alice.get(url, {**CUSTOM, "theme": sport.pk}).json()["cells"]
    filled = [
        (day, hour, cell["posts"]) for day, row in enumerate(cells) for hour, cell in enumerate(row) if cell["posts"]
    ]
    assert filled == [(2, 19, 1)]
    everything = alice.get(url, CUSTOM).json()["cells"]
    assert sum(cell["posts"] for row in everything for cell in row) == 3  # o1, r1, e1 (the repost apart)
