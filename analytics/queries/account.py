"""Queries of one account's page (or, for series, of every filtered account summed per day):
audience, daily metrics, best time to post, a post's curve."""

import dataclasses
import datetime as dt

from django.utils.translation import gettext as _

from analytics.models import DAILY_FIELDS, Post, PostKind
from analytics.queries.base import Query, as_date, aware, engagement_sql, fetch, float_sql, sum_sql
from analytics.queries.results import CurvePoint, DailyPoint, HeatCell, Heatmap, Number, PostCurve, PostRow
from networks.models import SocialAccount


class AccountQuery(Query):
    """A query narrowed to one account (which must be one the member may see: resolve it with
    ``networks.selectors.account_for_member`` first)."""

    def __init__(self, *args, account: SocialAccount | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            self.filters = dataclasses.replace(self.filters, account_ids=(account.pk,))


class DailyMetricsSeriesQuery(AccountQuery):
    """Daily values of the chosen metrics over the period, one point per day (None: no value)."""

    cacheable = True

    def __init__(self, *args, metrics: tuple[str, ...] = ("followers",), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unknown = [m for m in metrics if m not in DAILY_FIELDS]
        if unknown or not metrics:
            raise ValueError(
                _("Unknown metric %(metric)s: use %(metrics)s.")
                % {"metric": ", ".join(unknown) or "''", "metrics": ", ".join(DAILY_FIELDS)}
            )
        self.metrics = tuple(metrics)

    def cache_parts(self) -> tuple:
        return self.metrics

    def run(self) -> dict[str, list[tuple[dt.date, Number]]]:
        # The metric names are checked against DAILY_FIELDS above: only known column names reach the SQL.
        where, params = self.daily_where("d", self.period)
        sums = ", ".join(sum_sql(f"d.{m}") for m in self.metrics)
        sql = f"SELECT d.date, {sums} FROM analytics_accountdailymetrics d WHERE {where} GROUP BY d.date"  # noqa: S608
        rows = fetch(sql, params)
        by_date = {as_date(r[0]): r[1:] for r in rows}
        return {
            m: [(day, by_date[day][i] if day in by_date else None) for day in self.period.dates()]
            for i, m in enumerate(self.metrics)
        }


AUDIENCE_METRICS = ("followers", "follows", "unfollows")


def audience_points(series: dict[str, list[tuple[dt.date, Number]]]) -> list[DailyPoint]:
    """The audience points of a daily series that holds at least ``AUDIENCE_METRICS`` (a page
    that also draws other daily metrics reads them all in one query and builds both from it)."""
    return [
        DailyPoint(day, followers, follows, unfollows)
        for (day, followers), (_d1, follows), (_d2, unfollows) in zip(
            series["followers"], series["follows"], series["unfollows"], strict=True
        )
    ]


class AudienceSeriesQuery(AccountQuery):
    def run(self) -> list[DailyPoint]:
        series = DailyMetricsSeriesQuery(
            self.organization,
            membership=self.membership,
            period=self.period,
            filters=self.filters,
            shared=self.shared,
            metrics=AUDIENCE_METRICS,
        ).run()
        return audience_points(series)


class BestTimeQuery(AccountQuery):
    """Weekday by hour (local time) of the account's own posts: average engagement rate and the
    number of posts behind each cell."""

    cacheable = True

    def run(self) -> Heatmap:
        # The account's last known followers (on or before the period's last day) is a scalar
        # subquery of the same statement; NULL when unknown, which makes the fallback rate NULL.
        daily_where, daily_params = self.daily_where("d")
        followers = (
            f"(SELECT d.followers FROM analytics_accountdailymetrics d WHERE {daily_where}"  # noqa: S608
            " AND d.date <= %s AND d.followers > 0 ORDER BY d.date DESC LIMIT 1)"
        )
        engagements = float_sql(engagement_sql("p"))
        weekday, weekday_params = self.local_part_sql("iso_week_day", "p.published_at")
        hour, hour_params = self.local_part_sql("hour", "p.published_at")
        where, params = self.post_where_in(self.period, own_only=True)
        sql = f"""
            SELECT {weekday}, {hour},
                   AVG(CASE WHEN p.views > 0 THEN {engagements} / {float_sql("p.views")}
                            ELSE {engagements} / {float_sql(followers)} END),
                   COUNT(*)
            FROM analytics_post p WHERE {where}
            GROUP BY 1, 2
        """  # noqa: S608 (fixed SQL, values are parameters)
        rows = fetch(sql, [*weekday_params, *hour_params, *daily_params, self.period.end, *params])
        cells = [[HeatCell(None, 0) for _h in range(24)] for _d in range(7)]
        for weekday_value, hour_value, rate, posts in rows:
            cells[int(weekday_value) - 1][int(hour_value)] = HeatCell(rate, posts)
        return Heatmap(time_zone=str(self.tz), cells=cells)


def _curve(published_at: dt.datetime, snapshots) -> list[CurvePoint]:
    return [
        CurvePoint(
            hours_since_publish=round((captured_at - published_at).total_seconds() / 3600, 3),
            engagements=engagements,
            views=views,
        )
        for captured_at, engagements, views in snapshots
    ]


class PostCurveQuery(Query):
    """A post's engagements and views at each snapshot, next to the account's median post of the
    same content type (by engagements). Reads served by snapshot_natural_key."""

    def __init__(self, *args, post: Post | PostRow, **kwargs) -> None:
        """``post``: the post (read with ``post_for_member``), or its row from another query of
        the page (a top post): only its id, account, content type and publication time are read."""
        super().__init__(*args, **kwargs)
        self.post = post

    def run(self) -> PostCurve:
        """One statement: the account's median own post of the same content type by engagements
        (ties by id: the row at offset count // 2), then every snapshot of the post and of that
        median post in capture order (snapshot_natural_key)."""
        post = self.post
        eng = engagement_sql("m")
        same = (
            "m.organization_id = %s AND m.account_id = %s AND m.content_type = %s AND m.kind <> %s"
            f" AND {eng} IS NOT NULL"
        )
        values = [self.organization.pk, post.account_id, post.content_type, PostKind.REPOST]
        sql = f"""
            WITH median AS (
                SELECT m.id, m.published_at FROM analytics_post m WHERE {same} ORDER BY {eng}, m.id
                LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM analytics_post m WHERE {same})
            )
            SELECT 0, id, published_at, NULL, NULL FROM median
            UNION ALL
            SELECT 1, s.post_id, s.captured_at, {engagement_sql("s")}, s.views
            FROM analytics_postmetricssnapshot s WHERE s.organization_id = %s AND s.post_id = %s
            UNION ALL
            SELECT 1, s.post_id, s.captured_at, {engagement_sql("s")}, s.views
            FROM analytics_postmetricssnapshot s JOIN median ON s.post_id = median.id
            WHERE s.organization_id = %s AND s.post_id <> %s
            ORDER BY 1, 2, 3
        """  # noqa: S608 (fixed SQL, values are parameters)
        median_id, median_published_at = None, None
        snapshots: dict[int, list] = {post.id: []}
        for kind, post_id, moment, engagements, views in fetch(
            sql, [*values, *values, self.organization.pk, post.id, self.organization.pk, post.id]
        ):
            if kind == 0:
                median_id, median_published_at = post_id, aware(moment)
                snapshots.setdefault(median_id, [])
            else:
                snapshots[post_id].append((aware(moment), engagements, views))
        return PostCurve(
            post_id=post.id,
            points=_curve(post.published_at, snapshots[post.id]),
            median_post_id=median_id,
            median_points=_curve(median_published_at, snapshots[median_id]) if median_id is not None else [],
        )
