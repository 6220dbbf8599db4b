"""Spike alerts API: a workspace's alerts (everyone who reads it) and its sensitivity (managers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from accounts.roles import Capability
from accounts.selectors import workspace_for_member
from analytics.api import ERRORS
from analytics.models import SpikeSensitivity
from analytics.queries.spikes import alert_rows
from analytics.services import spikes as spike_services
from analytics.spikes_measured import FALSE_ALARMS


class SpikeAlertSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="alert.pk")
    series = serializers.CharField(source="alert.source_key")
    label = serializers.CharField()
    day = serializers.DateField(source="alert.day")
    observed = serializers.FloatField(source="alert.observed")
    expected = serializers.FloatField(source="alert.expected")
    score = serializers.FloatField(source="alert.score")
    sensitivity = serializers.CharField(source="alert.sensitivity")
    drivers = serializers.JSONField(source="alert.drivers")


class SpikeSettingsSerializer(serializers.Serializer):
    sensitivity = serializers.ChoiceField(choices=SpikeSensitivity.choices)


class WorkspaceSpikeAlerts(OrganizationAPIView):
    """Spike alerts of a workspace, newest first, with the measured false-alarm rate of its
    sensitivity; PATCH changes the sensitivity (managers and above)."""

    serializer_class = SpikeSettingsSerializer
    pagination_class = None
    write_capability = Capability.OPERATE

    def payload(self, workspace) -> dict:
        sensitivity = spike_services.workspace_sensitivity(workspace=workspace)
        return {
            "sensitivity": sensitivity,
            "false_alarms": FALSE_ALARMS.get(sensitivity),
            "alerts": SpikeAlertSerializer(alert_rows(workspace=workspace), many=True).data,
        }

    @extend_schema(responses={200: SpikeAlertSerializer(many=True), **ERRORS})
    def get(self, request, org, workspace_id):
        workspace = workspace_for_member(self.membership, workspace_id)
        return Response(self.payload(workspace))

    @extend_schema(request=SpikeSettingsSerializer, responses={200: SpikeSettingsSerializer, **ERRORS})
    def patch(self, request, org, workspace_id):
        workspace = workspace_for_member(self.membership, workspace_id)
        serializer = SpikeSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        spike_services.spike_settings_update(
            workspace=workspace,
            sensitivity=serializer.validated_data["sensitivity"],
            actor=request.user,
            request=request,
        )
        return Response(self.payload(workspace))
