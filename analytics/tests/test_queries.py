"""Each statistic of the query layer against hand-computed expectations (analytics.tests.
query_fixtures.seed says what is stored)."""

import datetime as dt

import pytest
from django.utils import translation
from django_scopes import scope

from analytics.queries import (
    ActivityMixQuery,
    AgencyOverviewQuery,
    AudienceSeriesQuery,
    BestTimeQuery,
    ContentTypeQuery,
    DailyMetricsSeriesQuery,
    Filters,
    HashtagQuery,
    OverviewQuery,
    Period,
    PostCurveQuery,
    PostTableQuery,
    ThemeQuery,
    TopPostsQuery,
    period_from_request,
)
from analytics.queries.results import Delta
from analytics.tests.query_fixtures import PERIOD, make_daily, make_post, make_snapshot, membership, seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Error messages are translated; these tests read the English msgids.
    with translation.override("en"):
        yield


def run(query_class, tenancy, user=None, period=PERIOD, filters=None, **kwargs):
    user = user or tenancy.alice
    with scope(organization=tenancy.org_a):
        return query_class(
            tenancy.org_a, membership=membership(user, tenancy.org_a), period=period, filters=filters, **kwargs
        ).run()


def test_it_computes_the_overview_per_network_and_in_total(tenancy, accounts):
    seed(accounts)
    overview = run(OverviewQuery, tenancy)
    x, fb, total = overview.by_network["x"], overview.by_network["facebook"], overview.total
    assert x.posts == Delta(3, 1, 2, 200.0)  # o1, r1 and e1 (reporting nothing, still published)
    assert x.reposts.current == 1
    assert x.engagements.current == 16 + 4  # rt and e1 add nothing, b1 is another tenant's
    assert x.engagements.previous == 5
    assert x.views.current == 1000 and x.views.previous == 500
    assert x.reach.current is None  # X reports no reach: not available, not 0
    assert x.clicks.current is None
    assert x.engagement_rate.current == pytest.approx(20 / 1000)
    assert x.engagement_rate.previous == pytest.approx(5 / 500)
    assert x.audience == Delta(1150, 1100, 50, pytest.approx(50 / 1100 * 100))
    assert x.growth == Delta(50, 100, -50, -50.0)
    assert fb.engagements.current == 30 and fb.engagements.previous is None
    assert fb.audience.current == 530  # last known on or before the period's end
    assert (fb.reach.current, fb.clicks.current) == (200, 7)
    assert total.engagements.current == 50
    assert total.audience.current == 1680
    assert total.engagement_rate.current == pytest.approx(50 / 1300)
    assert total.accounts == 2


def test_it_counts_posts_without_reposts(tenancy, accounts):
    seed(accounts)
    x = run(OverviewQuery, tenancy).by_network["x"]
    # Own posts of the period: o1, r1, e1 (an original reporting nothing is still published).
    assert x.posts.current == 3


def test_it_shows_a_client_only_her_workspaces_numbers(tenancy, accounts):
    seed(accounts)
    overview = run(OverviewQuery, tenancy, user=tenancy.dana)
    assert set(overview.by_network) == {"x"}
    assert overview.total.engagements.current == 20
    assert overview.total.audience.current == 1150
    # Even asking for A2's workspace by filter gives her nothing of it.
    hidden = run(OverviewQuery, tenancy, user=tenancy.dana, filters=Filters(workspace_id=tenancy.a2.pk))
    assert hidden.by_network == {} and hidden.total.engagements.current is None


def test_it_places_posts_on_local_days(tenancy, accounts):
    # 31 Oct 23:30 UTC is 1 Nov 00:30 in Paris: in the period, not in the previous one.
    make_post(accounts.a, "late", dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC), likes=1)
    # 10 Nov 23:30 UTC is 11 Nov in Paris: after the period.
    make_post(accounts.a, "after", dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC), likes=100)
    x = run(OverviewQuery, tenancy).by_network["x"]
    assert (x.posts.current, x.posts.previous) == (1, 0)
    assert x.engagements.current == 1


def test_it_handles_daylight_saving_days(tenancy, accounts):
    # Paris moved to summer time on 29 March 2026: that day is 23 hours long (23:00 UTC on the
    # 28th to 22:00 UTC on the 29th).
    make_post(accounts.a, "p0", dt.datetime(2026, 3, 28, 22, 30, tzinfo=dt.UTC), likes=8, views=10)
    make_post(accounts.a, "p1", dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), likes=1, views=10)
    make_post(accounts.a, "p2", dt.datetime(2026, 3, 29, 21, 30, tzinfo=dt.UTC), likes=2, views=10)
    make_post(accounts.a, "p3", dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC), likes=4, views=10)
    day = Period(dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert run(OverviewQuery, tenancy, period=day).by_network["x"].engagements.current == 3
    heatmap = run(BestTimeQuery, tenancy, period=day, account=accounts.a)
    # p1 at 00:30 and p2 at 23:30 local, Sunday.
    assert heatmap.cells[6][0].posts == 1 and heatmap.cells[6][23].posts == 1
    assert heatmap.cells[6][23].avg_engagement_rate == pytest.approx(0.2)


def test_it_reads_meta_daily_rows_on_their_stored_date(tenancy, accounts):
    # The provider already mapped Meta's end_time (08:00 UTC on 2 Nov) to the Pacific day 1 Nov.
    make_daily(accounts.a2, dt.date(2026, 11, 1), followers=10, follows=4)
    series = run(
        AudienceSeriesQuery, tenancy, period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 2)), account=accounts.a2
    )
    assert [(p.date, p.followers, p.follows, p.unfollows) for p in series] == [
        (dt.date(2026, 11, 1), 10, 4, None),
        (dt.date(2026, 11, 2), None, None, None),
    ]


def test_it_sums_daily_metrics_per_day(tenancy, accounts):
    seed(accounts)
    series = run(DailyMetricsSeriesQuery, tenancy, metrics=("followers", "views"))
    assert dict(series["followers"])[dt.date(2026, 11, 9)] == 530
    assert dict(series["followers"])[dt.date(2026, 11, 10)] == 1150
    assert dict(series["views"])[dt.date(2026, 11, 9)] == 900
    assert dict(series["views"])[dt.date(2026, 11, 1)] is None
    with pytest.raises(ValueError, match="Unknown metric"):
        run(DailyMetricsSeriesQuery, tenancy, metrics=("impressions",))


def test_it_computes_the_activity_mix(tenancy, accounts):
    seed(accounts)
    rows = {r.network: r for r in run(ActivityMixQuery, tenancy)}
    assert (rows["x"].originals, rows["x"].replies, rows["x"].quotes, rows["x"].reposts) == (2, 1, 0, 1)
    assert rows["facebook"].originals == 1


def test_it_pages_and_sorts_the_posts_table(tenancy, accounts):
    posts = seed(accounts)
    page = run(PostTableQuery, tenancy, sort="-engagements", page=1, page_size=2)
    assert page.total == 5 and page.pages == 3 and page.has_next
    assert [r.external_id for r in page.items] == ["f1", "o1"]
    last = run(PostTableQuery, tenancy, sort="-engagements", page=3, page_size=2)
    # NULL engagements (the repost, the empty post) sort last.
    assert {r.external_id for r in last.items} <= {"rt", "e1"}
    o1 = next(r for r in page.items if r.external_id == "o1")
    assert o1.engagements == 16 and o1.engagement_rate == pytest.approx(0.016)
    rt = run(PostTableQuery, tenancy, filters=Filters(kinds=("repost",))).items[0]
    assert rt.id == posts["rt"].pk and rt.engagements is None
    with pytest.raises(ValueError, match="Unknown ordering"):
        run(PostTableQuery, tenancy, sort="password")


def test_it_falls_back_to_followers_for_a_post_without_views(tenancy, accounts):
    seed(accounts)
    r1 = run(PostTableQuery, tenancy, filters=Filters(kinds=("reply",))).items[0]
    assert r1.engagement_rate == pytest.approx(4 / 1150)


def test_it_lists_top_posts_without_reposts(tenancy, accounts):
    seed(accounts)
    assert [r.external_id for r in run(TopPostsQuery, tenancy, limit=3)] == ["f1", "o1", "r1"]


def test_it_breaks_down_by_content_type(tenancy, accounts):
    seed(accounts)
    rows = {r.content_type: r for r in run(ContentTypeQuery, tenancy)}
    assert (rows["text"].posts, rows["text"].engagements) == (2, 20)
    assert rows["text"].engagement_rate == pytest.approx(20 / 1000)
    assert (rows["photo"].posts, rows["photo"].engagements) == (2, 30)


def test_it_ranks_hashtags_case_insensitively(tenancy, accounts):
    seed(accounts)
    rows = {r.tag: r for r in run(HashtagQuery, tenancy)}
    assert (rows["boulogne"].posts, rows["boulogne"].engagements) == (2, 46)
    assert (rows["sport"].posts, rows["sport"].engagements) == (2, 20)
    assert rows["sport"].avg_engagement == pytest.approx(10)


def test_it_filters_by_hashtag(tenancy, accounts):
    seed(accounts)
    x = run(OverviewQuery, tenancy, filters=Filters(hashtag="#SPORT")).total
    assert x.engagements.current == 20


def test_it_matches_a_hashtag_literally(tenancy, accounts):
    seed(accounts)
    # "_" and "%" are LIKE wildcards in SQL: here they are only characters of the tag.
    for tag in ("spo_t", "sp%", "%"):
        total = run(OverviewQuery, tenancy, filters=Filters(hashtag=tag)).total
        assert (total.posts.current, total.engagements.current) == (0, None), tag


def test_it_breaks_down_and_filters_by_theme(tenancy, accounts):
    from analytics.services import themes

    posts = seed(accounts)
    with scope(organization=tenancy.org_a):
        sport = themes.theme_create(organization=tenancy.org_a, name="Sport")
        events = themes.theme_create(organization=tenancy.org_a, name="Events", workspace=tenancy.a2)
        for post in (posts["o1"], posts["f1"], posts["rt"]):
            themes.post_theme_set(post=post, theme=sport)
        themes.post_theme_set(post=posts["f1"], theme=events)
    rows = {r.name: r for r in run(ThemeQuery, tenancy)}
    # Own posts only (the repost is labelled but never counted): o1 (16, 1,000 views), f1 (30, 300).
    assert (rows["Sport"].posts, rows["Sport"].engagements) == (2, 46)
    assert rows["Sport"].engagement_rate == pytest.approx(46 / 1300)
    assert (rows["Events"].posts, rows["Events"].engagements) == (1, 30)
    # A client granted A1 only: A2's theme and A2's post are not hers.
    assert [(r.name, r.posts, r.engagements) for r in run(ThemeQuery, tenancy, user=tenancy.dana)] == [("Sport", 1, 16)]
    total = run(OverviewQuery, tenancy, filters=Filters(theme_ids=(sport.pk,))).total
    assert (total.posts.current, total.reposts.current, total.engagements.current) == (2, 1, 46)


def test_it_draws_a_posts_curve_next_to_the_median_post(tenancy, accounts):
    posts = seed(accounts)
    o1 = posts["o1"]
    make_snapshot(o1, o1.published_at + dt.timedelta(hours=1), likes=2, views=100)
    make_snapshot(o1, o1.published_at + dt.timedelta(hours=24), likes=10, comments=2, views=900)
    curve = run(PostCurveQuery, tenancy, post=o1)
    assert [(p.hours_since_publish, p.engagements, p.views) for p in curve.points] == [(1.0, 2, 100), (24.0, 12, 900)]
    # Text posts of a with engagements: r1 (4) and o1 (16), o0 (5): the median is o0.
    assert curve.median_post_id == posts["o0"].pk


def test_it_draws_a_post_that_is_its_own_median_once(tenancy, accounts):
    posts = seed(accounts)
    f1 = posts["f1"]  # a2's only post with engagements
    make_snapshot(f1, f1.published_at + dt.timedelta(hours=2), likes=3, views=40)
    curve = run(PostCurveQuery, tenancy, post=f1)
    assert curve.median_post_id == f1.pk
    assert [(p.hours_since_publish, p.engagements, p.views) for p in curve.points] == [(2.0, 3, 40)]
    assert curve.median_points == curve.points


def test_it_draws_a_curve_without_a_median_when_no_post_has_engagements(tenancy, accounts):
    posts = seed(accounts)
    curve = run(PostCurveQuery, tenancy, post=posts["e1"])  # a's only photo: every counter NULL
    assert (curve.median_post_id, curve.median_points, curve.points) == (None, [], [])


def test_it_rolls_up_the_agency(tenancy, accounts):
    seed(accounts)
    rows = {r.workspace: r for r in run(AgencyOverviewQuery, tenancy)}
    assert rows["A1"].engagements == Delta(20, 5, 15, 300.0)
    assert rows["A2"].audience.current == 530
    assert [r.workspace for r in run(AgencyOverviewQuery, tenancy, user=tenancy.dana)] == ["A1"]


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("7d", Period(dt.date(2026, 11, 23), dt.date(2026, 11, 29))),
        ("28d", Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29))),
        ("this_month", Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        ("last_month", Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))),
    ],
)
def test_it_reads_period_presets(preset, expected):
    assert period_from_request(preset, today=dt.date(2026, 11, 30)) == expected


def test_it_rejects_bad_periods():
    today = dt.date(2026, 11, 30)
    with pytest.raises(ValueError, match="Unknown period"):
        period_from_request("forever", today=today)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        period_from_request("custom", "2026-13-01", "2026-11-01", today=today)
    with pytest.raises(ValueError, match="starts after"):
        period_from_request("custom", "2026-11-02", "2026-11-01", today=today)
    assert Period(dt.date(2026, 11, 1), dt.date(2026, 11, 10)).previous() == Period(
        dt.date(2026, 10, 22), dt.date(2026, 10, 31)
    )
