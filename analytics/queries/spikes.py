"""Reads of spike alerts (the alerts page and the API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Workspace
from analytics import spikes
from analytics.models import SpikeAlert


@dataclass(frozen=True)
class AlertRow:
    alert: SpikeAlert
    label: str  # the series' label ("Messages received"), or its key if its app is gone

    @property
    def ratio(self) -> float | None:
        return self.alert.observed / self.alert.expected if self.alert.expected > 0 else None


def workspace_alerts(*, workspace: Workspace, limit: int = 100) -> QuerySet[SpikeAlert]:
    return SpikeAlert.objects.filter(organization_id=workspace.organization_id, workspace=workspace).order_by(
        "-day", "source_key"
    )[:limit]


def alert_rows(*, workspace: Workspace, limit: int = 100) -> list[AlertRow]:
    labels = {s.key: s.label for s in spikes.series_sources()}
    return [
        AlertRow(a, str(labels.get(a.source_key, a.source_key)))
        for a in workspace_alerts(workspace=workspace, limit=limit)
    ]
