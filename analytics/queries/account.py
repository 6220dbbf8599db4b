"""Queries of one account's page (or, for series, of every filtered account summed per day):
audience, daily metrics, best time to post, a post's curve."""

import dataclasses
import datetime as dt

from django.db.models import Avg, Count, F, FloatField, IntegerField, Subquery, Sum, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Cast, ExtractHour, ExtractIsoWeekDay
from django.utils.translation import gettext as _

from analytics.models import DAILY_FIELDS, Post, PostKind, PostMetricsSnapshot
from analytics.queries.base import Query, engagement_expression
from analytics.queries.results import CurvePoint, DailyPoint, HeatCell, Heatmap, Number, PostCurve
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

    def __init__(self, *args, metrics: tuple[str, ...] = ("followers",), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unknown = [m for m in metrics if m not in DAILY_FIELDS]
        if unknown or not metrics:
            raise ValueError(
                _("Unknown metric %(metric)s: use %(metrics)s.")
                % {"metric": ", ".join(unknown) or "''", "metrics": ", ".join(DAILY_FIELDS)}
            )
        self.metrics = tuple(metrics)

    def run(self) -> dict[str, list[tuple[dt.date, Number]]]:
        rows = (
            self.daily_in(self.period)
            .values("date")
            .annotate(**{f"m_{m}": Sum(m) for m in self.metrics})
            .order_by("date")
        )
        by_date = {r["date"]: r for r in rows}
        return {
            m: [(day, by_date[day][f"m_{m}"] if day in by_date else None) for day in self.period.dates()]
            for m in self.metrics
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

    def run(self) -> Heatmap:
        # The account's last known followers, as a scalar subquery of the same statement (one
        # round trip instead of two); NULL when unknown, which makes the fallback rate NULL.
        followers = Subquery(
            self.daily().filter(date__lte=self.period.end, followers__gt=0).order_by("-date").values("followers")[:1],
            output_field=IntegerField(),
        )
        engagements = Cast(engagement_expression(), FloatField())
        rate = SqlCase(
            When(views__gt=0, then=engagements / Cast(F("views"), FloatField())),
            default=engagements / Cast(followers, FloatField()),
            output_field=FloatField(),
        )
        rows = (
            self.posts_in(self.period, own_only=True)
            .annotate(
                weekday=ExtractIsoWeekDay("published_at", tzinfo=self.tz),
                hour=ExtractHour("published_at", tzinfo=self.tz),
            )
            .values("weekday", "hour")
            .annotate(rate=Avg(rate), posts=Count("pk"))
            .order_by()
        )
        cells = [[HeatCell(None, 0) for _h in range(24)] for _d in range(7)]
        for r in rows:
            cells[r["weekday"] - 1][r["hour"]] = HeatCell(r["rate"], r["posts"])
        return Heatmap(time_zone=str(self.tz), cells=cells)


def _curve(post: Post, snapshots) -> list[CurvePoint]:
    return [
        CurvePoint(
            hours_since_publish=round((captured_at - post.published_at).total_seconds() / 3600, 3),
            engagements=engagements,
            views=views,
        )
        for captured_at, engagements, views in snapshots
    ]


class PostCurveQuery(Query):
    """A post's engagements and views at each snapshot, next to the account's median post of the
    same content type (by engagements). Reads served by snapshot_natural_key."""

    def __init__(self, *args, post: Post, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.post = post

    def _snapshots(self, *posts: Post) -> dict[int, list]:
        """Every snapshot of the given posts in one query, per post in capture order."""
        rows = (
            PostMetricsSnapshot.objects.filter(organization_id=self.organization.pk, post_id__in=[p.pk for p in posts])
            .annotate(eng=engagement_expression())
            .order_by("post_id", "captured_at")
            .values_list("post_id", "captured_at", "eng", "views")
        )
        by_post: dict[int, list] = {p.pk: [] for p in posts}
        for post_id, captured_at, eng, views in rows:
            by_post[post_id].append((captured_at, eng, views))
        return by_post

    def run(self) -> PostCurve:
        post = self.post
        siblings = (
            Post.objects.filter(
                organization_id=self.organization.pk,
                account_id=post.account_id,
                content_type=post.content_type,
            )
            .exclude(kind=PostKind.REPOST)
            .annotate(eng=engagement_expression())
            .filter(eng__isnull=False)
        )
        count = siblings.count()
        median = None
        if count:
            median = siblings.order_by("eng", "pk").only("pk", "published_at")[count // 2]
        snapshots = self._snapshots(post, median) if median else self._snapshots(post)
        return PostCurve(
            post_id=post.pk,
            points=_curve(post, snapshots[post.pk]),
            median_post_id=median.pk if median else None,
            median_points=_curve(median, snapshots[median.pk]) if median else [],
        )
