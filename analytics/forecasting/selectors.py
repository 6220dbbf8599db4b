"""Reads for forecasts: the daily histories the engine is fed, and the stored forecasts the page and
the API serve (they never compute one)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from analytics.forecasting.models import Forecast, ForecastMetric
from analytics.forecasting.slots import SlotTable
from analytics.models import AccountDailyMetrics, Post, PostKind
from analytics.queries.base import ENGAGEMENT_FIELDS
from networks.models import SocialAccount

# The engine sees at most this much history (it fits on the last year, and on three years for the
# annual cycle).
HISTORY_DAYS = 3 * 365 + 28
DAILY_METRICS = (ForecastMetric.FOLLOWERS, ForecastMetric.ENGAGEMENTS, ForecastMetric.VIEWS, ForecastMetric.REACH)


@dataclass(frozen=True)
class History:
    """One value a day from ``start`` (None: the network did not report that day)."""

    start: dt.date | None
    values: list[float | None]

    @property
    def end(self) -> dt.date | None:
        if self.start is None:
            return None
        return self.start + dt.timedelta(days=len(self.values) - 1)

    @property
    def reported(self) -> bool:
        return any(v is not None for v in self.values)


def _on_grid(rows: list[tuple[dt.date, float | None]], fill: float | None) -> History:
    rows = [(day, value) for day, value in rows if value is not None]
    if not rows:
        return History(None, [])
    rows.sort()
    start, end = rows[0][0], rows[-1][0]
    values: list[float | None] = [fill] * ((end - start).days + 1)
    for day, value in rows:
        values[(day - start).days] = float(value)
    return History(start, values)


def daily_histories(account: SocialAccount, *, today: dt.date, days: int = HISTORY_DAYS) -> dict[str, History]:
    """Every forecast metric's daily history of ``account`` over the ``days`` before ``today`` (a
    day still running is not a full day), in two queries."""
    since = today - dt.timedelta(days=days)
    rows = list(
        AccountDailyMetrics.objects.filter(
            organization_id=account.organization_id, account_id=account.pk, date__gte=since, date__lt=today
        ).values_list("date", *DAILY_METRICS)
    )
    histories = {
        metric: _on_grid([(row[0], row[index + 1]) for row in rows], fill=None)
        for index, metric in enumerate(DAILY_METRICS)
    }
    # Posts' engagement: the account's own posts (reposts carry the original's counts), summed by
    # the UTC day they were published; a day without a post earned 0 from that day's posts.
    engagement = sum((Coalesce(F(name), Value(0)) for name in ENGAGEMENT_FIELDS[1:]), Coalesce(F("likes"), Value(0)))
    per_day = (
        Post.objects.filter(
            organization_id=account.organization_id,
            account_id=account.pk,
            published_at__date__gte=since,
            published_at__date__lt=today,
        )
        .exclude(kind=PostKind.REPOST)
        .annotate(day=TruncDate("published_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(total=Sum(engagement))
        .values_list("day", "total")
    )
    histories[ForecastMetric.POST_ENGAGEMENT] = _on_grid(list(per_day), fill=0.0)
    return histories


def account_forecasts(account: SocialAccount) -> list[Forecast]:
    """The stored forecasts of an account, in the metrics' order (one query)."""
    order = {metric: index for index, metric in enumerate(ForecastMetric.values)}
    rows = list(Forecast.objects.filter(organization_id=account.organization_id, account_id=account.pk))
    return sorted(rows, key=lambda f: order.get(f.metric, len(order)))


def _engagement(values) -> float | None:
    """The sum of the engagement counters reported (analytics.definitions "engagement"), None when
    none is."""
    reported = [v for v in values if v is not None]
    return float(sum(reported)) if reported else None


def slot_rows(account: SocialAccount, *, tz, since: dt.datetime) -> list[tuple[int, int, str, float]]:
    """(weekday, hour in ``tz``, content type, engagements) of the account's own posts published
    since ``since`` (one query)."""
    rows = (
        Post.objects.filter(organization_id=account.organization_id, account_id=account.pk, published_at__gte=since)
        .exclude(kind=PostKind.REPOST)
        .values_list("published_at", "content_type", *ENGAGEMENT_FIELDS)
    )
    out = []
    for published_at, content_type, *counters in rows:
        engagement = _engagement(counters)
        if engagement is not None:
            local = published_at.astimezone(tz)
            out.append((local.weekday(), local.hour, content_type, engagement))
    return out


def engagement_curves(account: SocialAccount, *, since: dt.datetime) -> dict[int, tuple]:
    """Post id → (post, Curve of its engagements over its first eight days) for the account's own
    posts published since ``since`` (two queries)."""
    from analytics.forecasting.nowcast import FINAL_AGE, Curve
    from analytics.models import PostMetricsSnapshot

    posts = {
        post.pk: post
        for post in Post.objects.filter(
            organization_id=account.organization_id, account_id=account.pk, published_at__gte=since
        ).exclude(kind=PostKind.REPOST)
    }
    points: dict[int, list[tuple[float, float]]] = {pk: [] for pk in posts}
    snapshots = (
        PostMetricsSnapshot.objects.filter(organization_id=account.organization_id, post_id__in=list(posts))
        .order_by("post_id", "captured_at")
        .values_list("post_id", "captured_at", *ENGAGEMENT_FIELDS)
    )
    limit = FINAL_AGE + dt.timedelta(days=1)
    for post_id, captured_at, *counters in snapshots:
        age = captured_at - posts[post_id].published_at
        engagement = _engagement(counters)
        if engagement is not None and dt.timedelta(0) <= age <= limit:
            points[post_id].append((age.total_seconds() / 3600, engagement))
    return {pk: (post, Curve(post.published_at, points[pk])) for pk, post in posts.items() if points[pk]}


# Posts the slots and the nowcast learn from.
OUTLOOK_DAYS = 365


@dataclass(frozen=True)
class PostOutlook:
    slots: SlotTable
    ages: list  # nowcast.AgeModel, by age
    nowcasts: list  # (post, nowcast.Nowcast) of the posts still young


def post_outlook(account: SocialAccount, *, tz, now: dt.datetime) -> PostOutlook:
    """Expected engagement by slot and the nowcast of the account's young posts (three queries)."""
    from analytics.forecasting import nowcast, slots

    since = now - dt.timedelta(days=OUTLOOK_DAYS)
    table = slots.expected_by_slot(slot_rows(account, tz=tz, since=since))
    curves = engagement_curves(account, since=since)
    models = nowcast.fit([curve for _post, curve in curves.values()])
    young = []
    for post, curve in sorted(curves.values(), key=lambda pc: pc[0].published_at, reverse=True):
        predicted = nowcast.nowcast(curve, models, now)
        if predicted is not None:
            young.append((post, predicted))
    return PostOutlook(table, [models[age] for age in sorted(models)], young)
