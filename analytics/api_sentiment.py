"""Sentiment of what people wrote to an account or under a post: per day (or week), the negative
share and the most negative conversations. Listening's watch endpoint answers the same shape."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from analytics.api import ERRORS, PERIOD_PARAMETERS, StatisticsAPIView
from analytics.queries.posts import post_for_member
from analytics.queries.sentiment import SentimentSummary, scoped_sentiment
from analytics.views.base import organization_tz
from networks import selectors as network_selectors


def points_json(points) -> list[dict]:
    """The API shape of sentiment counts over time (one entry per day or week)."""
    return [
        {
            "start": p.start,
            "negative": p.negative,
            "neutral": p.neutral,
            "positive": p.positive,
            "not_analysed": p.not_analysed,
            "negative_share": p.negative_share,
        }
        for p in points
    ]


def summary_json(summary: SentimentSummary) -> dict:
    """The API shape of a sentiment summary (negative_share null: not available)."""
    return {
        "available": summary.available,
        "start": summary.start,
        "end": summary.end,
        "by": summary.by,
        "messages": summary.total,
        "analysed": summary.analysed,
        "negative_share": summary.negative_share,
        "truncated": summary.truncated,
        "sentiment": points_json(summary.points),
        "most_negative": [
            {
                "day": t.day,
                "text": t.text,
                "author": t.author,
                "score": t.score,
                "negative_messages": t.messages,
                "url": t.url,
            }
            for t in summary.most_negative
        ],
    }


class AccountSentiment(StatisticsAPIView):
    """Comments, mentions and private messages the account received over the period: sentiment
    per day (per week beyond 31 days), negative share, most negative conversations."""

    serializer_class = None
    pagination_class = None

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, org, account_id):
        account = network_selectors.account_for_member(self.membership, account_id)
        period = self.period()
        summary = scoped_sentiment(
            organization=self.organization, scope="account", object_id=account.pk, start=period.start, end=period.end
        )
        return Response({"account": account.pk, **summary_json(summary)})


class PostSentiment(StatisticsAPIView):
    """The comments on a post (and their replies) since it was published: sentiment per day (per
    week beyond 31 days), negative share, most negative conversations."""

    serializer_class = None
    pagination_class = None

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request, org, post_id):
        post = post_for_member(self.membership, post_id)
        today = self.local_today()
        published = post.published_at.astimezone(organization_tz(self.organization)).date()
        summary = scoped_sentiment(
            organization=self.organization, scope="post", object_id=post.pk, start=min(published, today), end=today
        )
        return Response({"post": post.pk, **summary_json(summary)})
