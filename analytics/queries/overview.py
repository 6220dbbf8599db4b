"""Headline numbers of a workspace (or any filtered set of accounts) per network and in total,
for a period and the previous one of the same length: one statement over the visible accounts,
whatever the size of the tenant (plus the per-request lookup of those accounts)."""

from dataclasses import dataclass, field

from analytics.definitions import ENGAGEMENT_RATE_BASE
from analytics.queries.base import Query, aware, db_datetime, engagement_sql, fetch, in_list, sum_sql
from analytics.queries.params import Period
from analytics.queries.results import Delta, NetworkOverview, Number, Overview

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


@dataclass
class AccountTotals:
    """One visible account's numbers for a period ("c") and the previous one ("p"): own posts,
    reposts (counted apart), sums of the own posts' counters, and its last known followers on or
    before each cutoff day."""

    account_id: int
    status: str
    last_synced_at: object
    followers: dict[str, Number]
    numbers: dict[str, Number] = field(default_factory=dict)


_SUMS = (("engagements", None), ("views", "views"), ("reach", "reach"), ("clicks", "clicks"))


def account_totals(query: Query, current: Period, previous: Period, cutoffs: dict) -> dict[int, AccountTotals]:
    """Per visible account, in one statement: the posts of both periods by conditional
    aggregation (own posts, reposts, engagements, views, reach, clicks — read through
    post_org_account_published) joined to the account row, whose followers at each cutoff day are
    correlated lookups on daily_natural_key (the last known value on or before that day)."""
    cur_start, cur_end = query.bounds(current)
    prev_start, _prev_end = query.bounds(previous)
    cs = db_datetime(cur_start)
    posts_where, posts_params = query.post_where(start=prev_start, end=cur_end)
    columns, column_params = [], []
    for test in ("p.published_at >= %s", "p.published_at < %s"):
        columns += [
            f"SUM(CASE WHEN {test} AND p.kind <> 'repost' THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {test} AND p.kind = 'repost' THEN 1 ELSE 0 END)",
        ]
        column_params += [cs, cs]
        for _name, column in _SUMS:
            value = engagement_sql("p") if column is None else f"p.{column}"
            columns.append(sum_sql(f"CASE WHEN {test} AND p.kind <> 'repost' THEN {value} END"))
            column_params.append(cs)
    followers = [
        "(SELECT d.followers FROM analytics_accountdailymetrics d WHERE d.organization_id = a.organization_id"
        " AND d.account_id = a.id AND d.date <= %s AND d.followers IS NOT NULL ORDER BY d.date DESC LIMIT 1)"
        for _name in cutoffs
    ]
    accounts, account_params = in_list("a.id", query.account_ids)
    names = [f"n{i}" for i in range(len(columns))]
    sql = f"""
        SELECT a.id, a.status, a.last_synced_at, {", ".join(followers)}, {", ".join(f"g.{n}" for n in names)}
        FROM networks_socialaccount a
        LEFT JOIN (
            SELECT p.account_id, {", ".join(f"{c} AS {n}" for c, n in zip(columns, names, strict=True))}
            FROM analytics_post p WHERE {posts_where} GROUP BY p.account_id
        ) g ON g.account_id = a.id
        WHERE a.organization_id = %s AND {accounts}
        ORDER BY a.id
    """  # noqa: S608 (fixed SQL, values are parameters)
    params = [*cutoffs.values(), *column_params, *posts_params, query.organization.pk, *account_params]
    result = {}
    keys = []
    for bucket in ("c", "p"):
        keys += [f"posts_{bucket}", f"reposts_{bucket}", *(f"{name}_{bucket}" for name, _c in _SUMS)]
    n_followers = len(cutoffs)
    for row in fetch(sql, params):
        totals = AccountTotals(
            account_id=row[0],
            status=row[1],
            last_synced_at=aware(row[2]),
            followers=dict(zip(cutoffs, row[3 : 3 + n_followers], strict=True)),
        )
        for key, value in zip(keys, row[3 + n_followers :], strict=True):
            totals.numbers[key] = (value or 0) if key.startswith(("posts_", "reposts_")) else value
        result[totals.account_id] = totals
    return result


class OverviewQuery(Query):
    cacheable = True

    def run(self) -> Overview:
        current = self.period
        previous = current.previous()
        before_previous = previous.previous()
        cutoffs = {"end": current.end, "prev": previous.end, "prev2": before_previous.end}
        totals = account_totals(self, current, previous, cutoffs)
        per_network: dict[str, list[AccountTotals]] = {}
        for account_id, account in self.visible_accounts.items():
            if account_id in totals:
                per_network.setdefault(account.network, []).append(totals[account_id])
        by_network: dict[str, dict] = {}
        for network in sorted(per_network):
            rows = per_network[network]
            a = {key: add(*(r.followers[key] for r in rows)) for key in cutoffs}
            values: dict[str, dict[str, Number]] = {"c": {}, "p": {}}
            for suffix, followers_key, earlier_key in (("c", "end", "prev"), ("p", "prev", "prev2")):
                v = values[suffix]
                v["audience"] = a[followers_key]
                v["growth"] = (
                    a[followers_key] - a[earlier_key]
                    if a[followers_key] is not None and a[earlier_key] is not None
                    else None
                )
                v["posts"] = sum(r.numbers[f"posts_{suffix}"] for r in rows)
                v["reposts"] = sum(r.numbers[f"reposts_{suffix}"] for r in rows)
                for name in _POST_SUMS:
                    v[name] = add(*(r.numbers[f"{name}_{suffix}"] for r in rows))
                v["denominator"] = rate_denominator(network, v["views"], v["audience"])
                v["engagement_rate"] = ratio(v["engagements"], v["denominator"])
            by_network[network] = {"accounts": len(rows), **values}
        totals_all: dict[str, dict[str, Number]] = {"c": {}, "p": {}}
        for suffix in ("c", "p"):
            t = totals_all[suffix]
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
            total=overview(TOTAL, sum(n["accounts"] for n in by_network.values()), totals_all["c"], totals_all["p"]),
            by_network={name: overview(name, n["accounts"], n["c"], n["p"]) for name, n in by_network.items()},
        )
