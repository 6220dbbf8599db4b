"""Read endpoints of listening: watches and their hits (the same access rules as the pages)."""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from analytics.api import ERRORS
from analytics.api_sentiment import summary_json
from analytics.views.base import local_today
from listening import selectors
from listening.models import Hit, Watch
from listening.texts import watch_sentiment

SENTIMENT_PERIODS = (7, 28, 90)


class WatchSerializer(serializers.ModelSerializer):
    workspace = serializers.IntegerField(source="workspace_id", read_only=True)

    class Meta:
        model = Watch
        fields = [
            "id",
            "workspace",
            "name",
            "rule",
            "networks",
            "instagram_top",
            "instagram_recent",
            "active",
            "alerts",
            "welcome",
            "reply_templates",
            "created_at",
            "last_collected_at",
            "last_error",
        ]
        read_only_fields = fields


class HitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hit
        fields = [
            "id",
            "network",
            "external_id",
            "source",
            "published_at",
            "collected_at",
            "text",
            "permalink",
            "media_url",
            "content_type",
            "hashtags",
            "author_id",
            "author_handle",
            "author_name",
            "author_source",
            "language",
            "sentiment",
            "likes",
            "comments",
            "shares",
            "quotes",
            "views",
        ]
        read_only_fields = fields


class WatchList(OrganizationAPIView):
    """Watches of the workspaces the member may read."""

    serializer_class = WatchSerializer

    @extend_schema(
        parameters=[OpenApiParameter("workspace", int, required=False)],
        responses={200: WatchSerializer(many=True), **ERRORS},
    )
    def get(self, request, org):
        watches = selectors.watches_of(self.membership)
        workspace = request.query_params.get("workspace")
        if workspace and workspace.isdigit():
            watches = watches.filter(workspace_id=int(workspace))
        page = self.paginate_queryset(watches)
        return self.get_paginated_response(WatchSerializer(page, many=True).data)


class WatchDetail(OrganizationAPIView):
    serializer_class = WatchSerializer

    @extend_schema(responses={200: WatchSerializer, **ERRORS})
    def get(self, request, org, watch_id):
        return Response(WatchSerializer(selectors.watch_for_member(self.membership, watch_id)).data)


class WatchHitList(OrganizationAPIView):
    """The watch's hits, newest first (limit/offset pages of 50)."""

    serializer_class = HitSerializer

    @extend_schema(responses={200: HitSerializer(many=True), **ERRORS})
    def get(self, request, org, watch_id):
        watch = selectors.watch_for_member(self.membership, watch_id)
        page = self.paginate_queryset(selectors.watch_hits(watch))
        return self.get_paginated_response(HitSerializer(page, many=True).data)


class WatchSentimentQuery(serializers.Serializer):
    days = serializers.ChoiceField(choices=SENTIMENT_PERIODS, default=28)


class WatchSentiment(OrganizationAPIView):
    """Sentiment of the watch's hits over the last ``days`` days (today included): per day (per
    week beyond 31 days), negative share (null: nothing analysed)."""

    serializer_class = WatchSentimentQuery
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("days", int, enum=list(SENTIMENT_PERIODS))],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org, watch_id):
        watch = selectors.watch_for_member(self.membership, watch_id)
        query = WatchSentimentQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = local_today(self.organization)
        summary = watch_sentiment(watch, today - dt.timedelta(days=query.validated_data["days"] - 1), today)
        body = summary_json(summary)
        body.pop("most_negative")  # hits carry no score and no conversation
        return Response({"watch": watch.pk, **body})
