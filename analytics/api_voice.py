"""What people say about a workspace (sentiment over time, topics, most negative messages)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from accounts.selectors import workspace_for_member
from analytics.api import ERRORS
from analytics.api_sentiment import points_json
from analytics.queries.voice import PERIODS, workspace_voice
from analytics.text import sources as text_sources
from analytics.views.base import local_today


class VoiceQuerySerializer(serializers.Serializer):
    days = serializers.ChoiceField(choices=PERIODS, default=28)
    source = serializers.CharField(required=False, allow_blank=True)

    def validate_source(self, value: str) -> str:
        if value and text_sources.text_source(value) is None:
            known = ", ".join(s.key for s in text_sources.text_sources()) or "none"
            raise serializers.ValidationError(f"unknown source (known: {known})")
        return value


def _row(row: text_sources.TextRow) -> dict:
    return {
        "day": row.day,
        "text": row.text,
        "sentiment": row.sentiment,
        "score": row.score,
        "author": row.author,
        "url": row.url,
    }


class WorkspaceVoice(OrganizationAPIView):
    """Sentiment per day (or week), negative share, topics with example messages and the most
    negative messages of a workspace over the last ``days`` days."""

    serializer_class = VoiceQuerySerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("days", OpenApiTypes.INT, enum=list(PERIODS)),
            OpenApiParameter("source", OpenApiTypes.STR),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, org, workspace_id):
        workspace = workspace_for_member(self.membership, workspace_id)
        query = VoiceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        voice = workspace_voice(
            organization=self.organization,
            workspace=workspace,
            end=local_today(self.organization),
            days=query.validated_data["days"],
            source_key=query.validated_data.get("source") or None,
        )
        return Response(
            {
                "start": voice.start,
                "end": voice.end,
                "by": voice.by,
                "messages": voice.total,
                "analysed": voice.analysed,
                "negative_share": voice.negative_share,
                "truncated": voice.truncated,
                "sentiment": points_json(voice.points),
                "topics": [
                    {
                        "label": t.label,
                        "keywords": t.keywords,
                        "messages": t.size,
                        "negative_share": t.negative_share,
                        "examples": [_row(r) for r in t.examples],
                    }
                    for t in voice.topics
                ],
                "most_negative": [_row(r) for r in voice.most_negative],
            }
        )
