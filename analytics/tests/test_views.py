"""The statistics pages render the query layer's numbers, say "not available" instead of 0, stay
within a flat query budget, and download every chart's table as CSV and XLSX."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from analytics.models import AccountDailyMetrics, Post, PostMetricsSnapshot, PostTheme, Theme
from networks.models import SocialAccount
from networks.tests.factories import make_account

PARIS = dt.timezone(dt.timedelta(hours=1))  # Paris in November (CET), for readable fixtures
# A fixed custom period (in the past whatever day the tests run) and its previous week.
PERIOD = {"period": "custom", "start": "2026-11-01", "end": "2026-11-07"}


def at(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=PARIS)


def make_post(account: SocialAccount, external_id: str, published_at: dt.datetime, **fields) -> Post:
    with scope(organization=account.organization):
        return Post.objects.create(
            organization_id=account.organization_id,
            account=account,
            external_id=external_id,
            published_at=published_at,
            **fields,
        )


def make_daily(account: SocialAccount, date: dt.date, **fields) -> AccountDailyMetrics:
    with scope(organization=account.organization):
        return AccountDailyMetrics.objects.create(
            organization_id=account.organization_id, account=account, date=date, **fields
        )


@dataclass
class Facts:
    account: SocialAccount
    original: Post
    other: Post
    repost: Post
    earlier: Post


@pytest.fixture
def facts(tenancy) -> Facts:
    return make_facts(tenancy)


def make_facts(tenancy) -> Facts:
    """Workspace A1's X account: two originals and a repost this week, one original last week.

    Hand-computed: this week 2 posts (15 + 5 = 20 engagements), 1 repost apart, 500 views, reach
    and clicks not reported by X; last week 1 post, 4 engagements. Followers 1,000 → 1,100.
    """
    account = make_account(tenancy.a1, network="x", external_id="100", name="Ville X", handle="villex")
    make_daily(account, dt.date(2026, 10, 31), followers=1000)
    make_daily(account, dt.date(2026, 11, 7), followers=1100, views=700)
    original = make_post(
        account,
        "1",
        at(2, 9),
        likes=10,
        comments=2,
        shares=3,
        views=500,
        hashtags=["Boulogne"],
        text="Fête de la ville #Boulogne",
        content_type="photo",
    )
    other = make_post(account, "2", at(3, 18), likes=5, text="Travaux", content_type="text")
    repost = make_post(account, "3", at(4), kind="repost", original_metrics={"likes": 999}, text="RT")
    earlier = make_post(account, "0", at(27, month=10), likes=4, views=100, content_type="text")
    with scope(organization=account.organization):
        for hours, likes in ((1, 2), (24, 8), (72, 10)):
            PostMetricsSnapshot.objects.create(
                organization_id=account.organization_id,
                post=original,
                captured_at=original.published_at + dt.timedelta(hours=hours),
                likes=likes,
                views=hours * 5,
            )
    return Facts(account, original, other, repost, earlier)


def dashboard_url(tenancy, workspace=None) -> str:
    workspace = workspace or tenancy.a1
    return reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": workspace.pk})


def account_url(tenancy, account) -> str:
    return reverse("analytics_account", kwargs={"org": tenancy.org_a.slug, "account_id": account.pk})


def kpi(html: str, name: str) -> str:
    """The text of one KPI card."""
    start = html.index(f'data-kpi="{name}"')
    return html[start : html.index("</li>", start)]


# --- Dashboard ----------------------------------------------------------------------------------


def test_it_shows_the_hand_computed_headline_numbers(tenancy, login, facts):
    html = login(tenancy.alice).get(dashboard_url(tenancy), PERIOD).content.decode()
    assert ">20<" in kpi(html, "engagements")
    assert "Previous period: 4" in kpi(html, "engagements")
    assert "+16 (+400.0 %)" in kpi(html, "engagements")
    assert ">2<" in kpi(html, "posts")
    assert "1,100" in kpi(html, "audience")
    assert "+100" in kpi(html, "growth")
    assert ">500<" in kpi(html, "views")
    assert "1 repost in the period, counted apart" in html


def test_it_says_not_available_instead_of_zero(tenancy, login, facts):
    html = login(tenancy.alice).get(dashboard_url(tenancy), PERIOD).content.decode()
    for name in ("reach", "clicks"):
        card = kpi(html, name)
        assert "not available" in card
        assert ">0<" not in card


def test_it_links_every_headline_number_to_its_definition(tenancy, login, facts):
    html = login(tenancy.alice).get(dashboard_url(tenancy), PERIOD).content.decode()
    for name, slug in (("engagements", "engagement"), ("engagement_rate", "engagement-rate"), ("reach", "reach")):
        assert f'href="/glossary/#{slug}"' in kpi(html, name)


def test_it_keeps_reposts_apart_in_the_activity_mix(tenancy, login, facts):
    response = login(tenancy.alice).get(dashboard_url(tenancy), {**PERIOD, "download": "activity", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1] == "Ville X,X,2,0,0,1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_downloads_the_headline_numbers(tenancy, login, facts, fmt):
    response = login(tenancy.alice).get(dashboard_url(tenancy), {**PERIOD, "download": "kpis", "format": fmt})
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        lines = [line.split(",") for line in body.decode("utf-8-sig").splitlines()]
        rows = {r[0]: [float(v) if v else None for v in r[1:]] for r in lines[1:]}
    else:
        rows = {r[0]: list(r[1:]) for r in list(load_workbook(io.BytesIO(body)).active.values)[1:]}
    assert rows["Engagements"] == [20, 4, 16, 400]
    assert rows["Reach"] == [None, None, None, None]  # not available: empty cells, never 0
    assert rows["Reposts"][:3] == [1, 0, 1]


def test_it_falls_back_to_the_default_period_and_says_why(tenancy, login, facts):
    response = login(tenancy.alice).get(dashboard_url(tenancy), {"period": "custom", "start": "2026-11-07"})
    assert response.status_code == 200
    assert "A custom period needs end" in response.content.decode()


def test_it_sends_only_the_body_to_htmx(tenancy, login, facts):
    response = login(tenancy.alice).get(dashboard_url(tenancy), PERIOD, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="stats-body"')
    assert "<html" not in html


def test_it_filters_the_dashboard_by_theme(tenancy, login, facts):
    with scope(organization=tenancy.org_a):
        theme = Theme.objects.create(organization=tenancy.org_a, name="Fêtes")
        PostTheme.objects.create(organization=tenancy.org_a, post=facts.original, theme=theme)
    html = login(tenancy.alice).get(dashboard_url(tenancy), {**PERIOD, "theme": theme.pk}).content.decode()
    assert ">15<" in kpi(html, "engagements")
    assert ">1<" in kpi(html, "posts")


# --- Account page -------------------------------------------------------------------------------


def test_it_shows_the_account_page(tenancy, login, facts):
    html = login(tenancy.alice).get(account_url(tenancy, facts.account), PERIOD).content.decode()
    assert "Fête de la ville" in html
    assert "repost: not counted" in html
    assert 'id="audience-figure"' in html  # followers drawn
    assert "Best slot: Mon at 09h" in html  # 2 Nov 2026 was a Monday, 09:00 in Paris
    assert "#boulogne" in html  # hashtag performance


def test_it_filters_and_sorts_the_posts_table(tenancy, login, facts):
    client = login(tenancy.alice)
    html = client.get(account_url(tenancy, facts.account), {**PERIOD, "type": "photo"}).content.decode()
    table = html[html.index('id="posts"') : html.index('id="top-posts"')]
    assert "Fête de la ville" in table and "Travaux" not in table
    html = client.get(account_url(tenancy, facts.account), {**PERIOD, "hashtag": "#boulogne"}).content.decode()
    table = html[html.index('id="posts"') : html.index('id="top-posts"')]
    assert "Fête de la ville" in table and "Travaux" not in table
    html = client.get(account_url(tenancy, facts.account), {**PERIOD, "sort": "-engagements"}).content.decode()
    table = html[html.index('id="posts"') : html.index('id="top-posts"')]
    assert table.index("Fête de la ville") < table.index("Travaux")


def test_it_downloads_the_posts_table_as_xlsx(tenancy, login, facts):
    response = login(tenancy.alice).get(
        account_url(tenancy, facts.account), {**PERIOD, "download": "posts", "format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Published"
    texts = {row[3]: row for row in rows[1:]}
    assert texts["Fête de la ville #Boulogne"][5] == 15
    assert texts["RT"][5] is None  # a repost has no engagement of its own: empty, not 0


@pytest.mark.parametrize("chart", ["audience", "daily", "content-types", "hashtags", "best-time", "top-posts"])
def test_it_downloads_every_account_chart_as_csv(tenancy, login, facts, chart):
    response = login(tenancy.alice).get(
        account_url(tenancy, facts.account), {**PERIOD, "download": chart, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) >= 2


def test_it_refuses_an_unknown_download(tenancy, login, facts):
    response = login(tenancy.alice).get(account_url(tenancy, facts.account), {"download": "secrets", "format": "csv"})
    assert response.status_code == 400


# --- Post page ----------------------------------------------------------------------------------


def test_it_shows_a_posts_metrics_and_curve(tenancy, login, facts):
    url = reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": facts.original.pk})
    client = login(tenancy.alice)
    html = client.get(url).content.decode()
    assert 'id="curve-figure"' in html
    assert "Reach" in html and "not available" in html
    headline = html[html.index('class="metrics headline"') :]
    assert ">15<" in headline[: headline.index("</dl>")]  # 10 likes + 2 comments + 3 shares
    assert "3.00 %" in headline[: headline.index("</dl>")]  # 15 engagements / 500 views
    csv = b"".join(client.get(url, {"download": "curve", "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "This post,1.0,2,5" in csv
    assert "This post,72.0,10,360" in csv


def test_it_shows_a_reposts_original_numbers_apart(tenancy, login, facts):
    url = reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": facts.repost.pk})
    html = login(tenancy.alice).get(url).content.decode()
    assert "The original post&#x27;s numbers" in html or "The original post's numbers" in html
    assert "999" in html


# --- Agency overview and glossary ---------------------------------------------------------------


def test_it_shows_every_workspace_with_its_health(tenancy, login, facts):
    make_account(tenancy.a2, network="facebook", external_id="200", status=SocialAccount.Status.NEEDS_REAUTH)
    html = (
        login(tenancy.alice)
        .get(reverse("analytics_agency_overview", kwargs={"org": tenancy.org_a.slug}), PERIOD)
        .content.decode()
    )
    assert "A1" in html and "A2" in html
    assert "1 account needs reconnecting" in html


def test_it_shows_a_client_only_its_workspaces(tenancy, login, facts):
    html = (
        login(tenancy.dana)
        .get(reverse("analytics_agency_overview", kwargs={"org": tenancy.org_a.slug}), PERIOD)
        .content.decode()
    )
    assert ">A1<" in html and ">A2<" not in html


def test_it_renders_the_glossary_for_anyone(client, db):
    html = client.get(reverse("glossary")).content.decode()
    for slug in ("engagement", "engagement-rate", "views", "reach", "impressions"):
        assert f'id="{slug}"' in html


# --- Query budgets ------------------------------------------------------------------------------


def _grow(account: SocialAccount, n: int) -> None:
    for i in range(n):
        make_post(account, f"g{i}", at(5, i % 24), likes=i, views=10 * i, hashtags=[f"tag{i}"])
        make_daily(account, dt.date(2026, 11, 1) + dt.timedelta(days=i % 6), views=i) if i < 5 else None


# Session, user, membership (which also fills the header's organisation switcher) and the
# header's unread count: 4 (5 before the switcher reused the membership list); the rest is the
# page's own reads, one statement per chart or table at most (the visible accounts are looked up
# once per page), whatever the number of posts or accounts.
# The account and post pages add one statement each for the sentiment of the messages received
# (the inbox's registered text source).
PAGES = {"dashboard": 10, "account": 15, "overview": 7, "post": 11}


def _page_url(name: str, tenancy, facts) -> str:
    org = tenancy.org_a.slug
    return {
        "dashboard": dashboard_url(tenancy),
        "account": account_url(tenancy, facts.account),
        "overview": reverse("analytics_agency_overview", kwargs={"org": org}),
        "post": reverse("analytics_post", kwargs={"org": org, "post_id": facts.original.pk}),
    }[name]


@pytest.mark.parametrize("name", PAGES)
def test_it_keeps_the_query_count_flat(name, tenancy, login, facts, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(tenancy.alice)
    url = _page_url(name, tenancy, facts)
    client.get(url, PERIOD)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, PERIOD).status_code == 200
    _grow(facts.account, 40)
    make_account(tenancy.a1, network="facebook", external_id="300")
    with django_assert_max_num_queries(PAGES[name]):
        assert client.get(url, PERIOD).status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(url, PERIOD)
    assert len(few) == len(many), f"{name}: {len(few)} queries before, {len(many)} with more rows"


def test_it_speaks_the_organisations_language(tenancy, login, facts):
    tenancy.org_a.language = "fr"
    tenancy.org_a.save(update_fields=["language"])
    client = login(tenancy.alice)
    client.cookies.pop("og_language")
    html = client.get(dashboard_url(tenancy), PERIOD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in html
    audience = kpi(html, "audience")
    assert "1,100" not in audience and "1\xa0100" in audience  # French digit grouping
