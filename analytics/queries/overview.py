"""Headline numbers of a workspace (or any filtered set of accounts) per network and in total,
for a period and the previous one of the same length: two aggregate queries, whatever the size
of the tenant."""

from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Sum, Value, When

from analytics.definitions import ENGAGEMENT_RATE_BASE
from analytics.models import AccountDailyMetrics, PostKind
from analytics.queries.base import Query, engagement_expression
from analytics.queries.params import Period
from analytics.queries.results import Delta, NetworkOverview, Number, Overview
from networks import selectors as network_selectors

TOTAL = "total"
_POST_SUMS = ("engagements", "views", "reach", "clicks")


def add(*values: Number) -> Number:
    """Sum of what is available; None when nothing is (never 0 for "not reported")."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def ratio(numerator: Number, denominator: Number) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def rate_denominator(network: str, views: Number, followers: Number) -> Number:
    """analytics.definitions "engagement-rate": views when the posts report them, else followers."""
    if ENGAGEMENT_RATE_BASE.get(network, "views") == "views" and views:
        return views
    return followers


def followers_at(query: Query, cutoffs: dict[str, object], group_by: str = "network"):
    """Per network: the sum over accounts of each account's last known followers on or before each
    cutoff date (one correlated index lookup per account and cutoff on daily_natural_key)."""
    annotations = {
        name: Subquery(
            AccountDailyMetrics.objects.filter(
                organization_id=query.organization.pk,
                account_id=OuterRef("pk"),
                date__lte=cutoff,
                followers__isnull=False,
            )
            .order_by("-date")
            .values("followers")[:1],
            output_field=IntegerField(),
        )
        for name, cutoff in cutoffs.items()
    }
    # The visible accounts are already resolved (query.account_ids): no need to compile the
    # membership's workspace subquery again here.
    accounts = (
        network_selectors.accounts_for(query.organization)
        .filter(pk__in=query.account_ids)
        .annotate(**annotations)
        .order_by()
    )
    return accounts.values(group_by).annotate(accounts=Count("pk"), **{f"sum_{name}": Sum(name) for name in cutoffs})


class OverviewQuery(Query):
    def _post_aggregates(self, current: Period, previous: Period) -> dict[str, dict]:
        """Per network and period ("c" current, "p" previous): posts, reposts and sums of the own
        posts' counters. Grouped by (network, period, kind) in SQL (at most 24 rows), rather than
        one filtered aggregate per number: the same work for the database, a quarter of the
        query-building for Django."""
        cur_start, cur_end = self.bounds(current)
        prev_start, _prev_end = self.bounds(previous)
        rows = (
            self.posts()
            .filter(published_at__gte=prev_start, published_at__lt=cur_end)
            .annotate(
                bucket=Case(When(published_at__gte=cur_start, then=Value("c")), default=Value("p")),
            )
            .values("bucket", "kind", network=F("account__network"))
            .annotate(
                count=Count("pk"),
                engagements=Sum(engagement_expression()),
                views=Sum("views"),
                reach=Sum("reach"),
                clicks=Sum("clicks"),
            )
            .order_by()
        )
        result: dict[str, dict] = {}
        for row in rows:
            totals = result.setdefault(row["network"], {})
            suffix = row["bucket"]
            if row["kind"] == PostKind.REPOST:
                totals[f"reposts_{suffix}"] = totals.get(f"reposts_{suffix}", 0) + row["count"]
                continue
            totals[f"posts_{suffix}"] = totals.get(f"posts_{suffix}", 0) + row["count"]
            for name in _POST_SUMS:
                totals[f"{name}_{suffix}"] = add(totals.get(f"{name}_{suffix}"), row[name])
        return result

    def run(self) -> Overview:
        current = self.period
        previous = current.previous()
        before_previous = previous.previous()
        posts = self._post_aggregates(current, previous)
        audience = {
            row["network"]: row
            for row in followers_at(self, {"end": current.end, "prev": previous.end, "prev2": before_previous.end})
        }
        by_network: dict[str, dict[str, dict[str, Number]]] = {}
        for network in sorted(audience):
            p = posts.get(network, {})
            a = audience[network]
            values: dict[str, dict[str, Number]] = {"c": {}, "p": {}}
            for suffix, followers_key, earlier_key in (("c", "sum_end", "sum_prev"), ("p", "sum_prev", "sum_prev2")):
                v = values[suffix]
                v["audience"] = a[followers_key]
                v["growth"] = (
                    a[followers_key] - a[earlier_key]
                    if a[followers_key] is not None and a[earlier_key] is not None
                    else None
                )
                v["posts"] = p.get(f"posts_{suffix}", 0)
                v["reposts"] = p.get(f"reposts_{suffix}", 0)
                for name in _POST_SUMS:
                    v[name] = p.get(f"{name}_{suffix}")
                v["denominator"] = rate_denominator(network, v["views"], v["audience"])
                v["engagement_rate"] = ratio(v["engagements"], v["denominator"])
            by_network[network] = {"accounts": a["accounts"], **values}
        totals: dict[str, dict[str, Number]] = {"c": {}, "p": {}}
        for suffix in ("c", "p"):
            t = totals[suffix]
            for name in ("audience", "growth", "posts", "reposts", "denominator", *_POST_SUMS):
                t[name] = add(*(n[suffix][name] for n in by_network.values()))
            t["posts"] = t["posts"] or 0
            t["reposts"] = t["reposts"] or 0
            t["engagement_rate"] = ratio(t["engagements"], t["denominator"])

        def overview(network: str, accounts: int, c: dict, p: dict) -> NetworkOverview:
            return NetworkOverview(
                network=network,
                accounts=accounts,
                **{
                    name: Delta.of(c[name], p[name])
                    for name in (
                        "audience",
                        "growth",
                        "posts",
                        "reposts",
                        "engagements",
                        "engagement_rate",
                        "views",
                        "reach",
                        "clicks",
                    )
                },
            )

        return Overview(
            period_start=current.start,
            period_end=current.end,
            previous_start=previous.start,
            previous_end=previous.end,
            total=overview(TOTAL, sum(n["accounts"] for n in by_network.values()), totals["c"], totals["p"]),
            by_network={name: overview(name, n["accounts"], n["c"], n["p"]) for name, n in by_network.items()},
        )
