"""Analytics queries: objects built from ``(organization, membership, period, filters)`` that
return typed results (STYLE.md rule 12). Pages, charts, exports and the API all read these, so
they show the same numbers."""

from analytics.queries.account import (
    AudienceSeriesQuery,
    BestTimeQuery,
    DailyMetricsSeriesQuery,
    PostCurveQuery,
)
from analytics.queries.agency import AgencyOverviewQuery
from analytics.queries.overview import OverviewQuery
from analytics.queries.params import Filters, Period, period_from_request
from analytics.queries.posts import (
    ActivityMixQuery,
    ContentTypeQuery,
    HashtagQuery,
    PostTableQuery,
    ThemeQuery,
    TopPostsQuery,
    post_for_member,
)

__all__ = [
    "ActivityMixQuery",
    "AgencyOverviewQuery",
    "AudienceSeriesQuery",
    "BestTimeQuery",
    "ContentTypeQuery",
    "DailyMetricsSeriesQuery",
    "Filters",
    "HashtagQuery",
    "OverviewQuery",
    "Period",
    "PostCurveQuery",
    "PostTableQuery",
    "ThemeQuery",
    "TopPostsQuery",
    "period_from_request",
    "post_for_member",
]
