"""Spike alerts: run the detector over every registered series of a workspace, store the alerts,
notify the people who watch the workspace; and the workspace's sensitivity setting."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Membership, Organization, Role, User, Workspace
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from analytics import spikes
from analytics.models import SpikeAlert, SpikeSensitivity, SpikeSettings

logger = logging.getLogger(__name__)

# Who is told: the people who act on a storm (clients and analysts read the alerts page).
NOTIFIED_ROLES = (Role.OWNER, Role.ADMIN, Role.MANAGER)
MAX_DRIVERS = 10


def workspace_sensitivity(*, workspace: Workspace) -> str:
    row = SpikeSettings.objects.filter(organization_id=workspace.organization_id, workspace=workspace).first()
    return row.sensitivity if row else SpikeSensitivity.MEDIUM


@transaction.atomic
def spike_settings_update(*, workspace: Workspace, sensitivity: str, actor: User | None, request=None) -> SpikeSettings:
    if sensitivity not in SpikeSensitivity.values:
        raise ValueError(f"unknown sensitivity {sensitivity!r}")
    row, _created = SpikeSettings.objects.update_or_create(
        organization_id=workspace.organization_id, workspace=workspace, defaults={"sensitivity": sensitivity}
    )
    audit_record(
        organization=workspace.organization,
        action="analytics.spike_sensitivity",
        actor=actor,
        target=workspace.name,
        details={"sensitivity": sensitivity},
        request=request,
    )
    return row


def local_yesterday(organization: Organization, now: dt.datetime | None = None) -> dt.date:
    """The last complete day in the organisation's time zone."""
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(organization.time_zone)).date() - dt.timedelta(days=1)


def _recipients(workspace: Workspace) -> list[User]:
    memberships = Membership.objects.filter(organization_id=workspace.organization_id, role__in=NOTIFIED_ROLES)
    return [m.user for m in memberships.select_related("user")]


def _title_text(workspace_name: str, label) -> str:
    return _("Unusual activity in %(workspace)s: %(series)s") % {"workspace": workspace_name, "series": str(label)}


def _body_text(observed: float, day: dt.date, expected: float) -> str:
    return _("%(observed)s on %(day)s where about %(expected)s was expected.") % {
        "observed": f"{observed:g}",
        "day": day.isoformat(),
        "expected": f"{expected:.3g}",
    }


# Rendered in each recipient's language by notify() (which str()s them under their locale).
_title = lazy(_title_text, str)
_body = lazy(_body_text, str)


def _enough_volume(source: spikes.SeriesSource, organization, workspace, day: dt.date) -> bool:
    volume_source = spikes.series_source(source.volume_key) if source.volume_key else None
    if volume_source is None:
        return True
    return volume_source.daily(organization, workspace, day, day).get(day, 0.0) >= spikes.MIN_SHARE_VOLUME


def spikes_detect(*, organization: Organization, workspace: Workspace, day: dt.date) -> list[SpikeAlert]:
    """Check ``day`` on every registered series of ``workspace``; store and announce new alerts.

    Idempotent: an alert already stored for a series and day is neither duplicated nor announced
    again. A source that fails is logged and skipped: one app's bug must not silence the others.
    """
    sensitivity = workspace_sensitivity(workspace=workspace)
    start = day - dt.timedelta(days=spikes.HISTORY_DAYS)
    created: list[SpikeAlert] = []
    for source in spikes.series_sources():
        try:
            series = source.daily(organization, workspace, start, day)
            detection = spikes.detect(series, day, sensitivity=sensitivity, kind=source.kind)
            if detection is None or not detection.is_spike or not _enough_volume(source, organization, workspace, day):
                continue
            drivers = list(source.drivers(organization, workspace, day) or [])[:MAX_DRIVERS]
        except Exception:
            logger.exception("spike source %s failed for workspace %s", source.key, workspace.pk)
            continue
        with transaction.atomic():
            alert, was_created = SpikeAlert.objects.get_or_create(
                organization=organization,
                workspace=workspace,
                source_key=source.key,
                day=day,
                defaults={
                    "observed": detection.observed,
                    "expected": detection.expected,
                    "spread": detection.spread,
                    "score": detection.score,
                    "sensitivity": sensitivity,
                    "drivers": drivers,
                },
            )
            ongoing = SpikeAlert.objects.filter(
                organization=organization, workspace=workspace, source_key=source.key, day=day - dt.timedelta(days=1)
            ).exists()
            if was_created:
                created.append(alert)
            if was_created and not ongoing:  # a storm lasting several days is announced once
                url = reverse("analytics_spikes", args=[organization.slug, workspace.pk])
                notify(
                    organization=organization,
                    users=_recipients(workspace),
                    kind="spike",
                    title=_title(workspace.name, source.label),
                    body=_body(detection.observed, day, detection.expected),
                    url=url,
                )
    return created


def spikes_detect_organization(*, organization: Organization, day: dt.date | None = None) -> int:
    day = day or local_yesterday(organization)
    count = 0
    with scope(organization=organization):
        for workspace in Workspace.objects.filter(organization=organization):
            count += len(spikes_detect(organization=organization, workspace=workspace, day=day))
    return count
