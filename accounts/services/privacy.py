"""Access and erasure requests about a person, and the retention of people's data.

The sources are the apps' registrations (accounts/privacy.py). Every export and erasure leaves an
audit row naming the request (not the data); retention runs daily and records what it deleted.
"""

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEvent, Organization, User
from accounts.privacy import Person, PersonDataSource, person_data_sources
from accounts.services.audit import audit_record
from overgraph.exports import csv_chunks


@dataclass(frozen=True)
class Found:
    source: PersonDataSource
    rows: list[dict]


def person_find(*, organization: Organization, person: Person) -> list[Found]:
    """What every source holds about the person in this organisation (sources with nothing too)."""
    with scope(organization=organization):
        return [Found(source, source.find(organization, person)) for source in person_data_sources()]


def _csv_bytes(rows: list[dict], tz: str) -> bytes:
    header = list(rows[0])
    body = [[row.get(column) for column in header] for row in rows]
    # The safe writer: a message starting with "=" or "+" is text in a spreadsheet, never a formula.
    return b"".join(csv_chunks(header, body, tz=tz))


def person_export(
    *, organization: Organization, person: Person, actor: User, request=None
) -> tuple[bytes, list[Found]]:
    """A ZIP answering an access request: one CSV per source with rows, the same as JSON, and a
    note saying what each file is. Audited."""
    found = person_find(organization=organization, person=person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        summary = {
            "organization": organization.name,
            "person": person.identifier,
            "network": person.network or "any",
            "exported_at": timezone.now().isoformat(),
            "sources": {f.source.key: {"label": str(f.source.label), "rows": len(f.rows)} for f in found},
        }
        archive.writestr("README.json", json.dumps(summary, indent=2, ensure_ascii=False))
        for item in found:
            if item.rows:
                archive.writestr(f"{item.source.key}.csv", _csv_bytes(item.rows, organization.time_zone))
                archive.writestr(
                    f"{item.source.key}.json", json.dumps(item.rows, indent=2, ensure_ascii=False, default=str)
                )
    audit_record(
        organization=organization,
        action=AuditEvent.Action.PERSON_DATA_EXPORTED,
        actor=actor,
        target=person.identifier,
        details={"network": person.network, "rows": {f.source.key: len(f.rows) for f in found}},
        request=request,
    )
    return buffer.getvalue(), found


@transaction.atomic
def person_erase(*, organization: Organization, person: Person, actor: User, request=None) -> dict[str, int]:
    """Delete everything the sources hold about the person here, in one transaction. Audited with
    the counts (the audit row keeps the identifier the request named, which is the request's own
    record, not the data)."""
    with scope(organization=organization):
        deleted = {source.key: source.erase(organization, person) for source in person_data_sources()}
    audit_record(
        organization=organization,
        action=AuditEvent.Action.PERSON_DATA_ERASED,
        actor=actor,
        target=person.identifier,
        details={"network": person.network, "deleted": deleted},
        request=request,
    )
    return deleted


def retention_set(*, organization: Organization, days: int | None, actor: User, request=None) -> None:
    before = organization.people_data_retention_days
    organization.people_data_retention_days = days
    organization.save(update_fields=["people_data_retention_days"])
    audit_record(
        organization=organization,
        action=AuditEvent.Action.RETENTION_CHANGED,
        actor=actor,
        details={"from": before, "to": days},
        request=request,
    )


@transaction.atomic
def retention_apply(*, organization: Organization, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete people's data older than the organisation's retention period (none set: nothing)."""
    days = organization.people_data_retention_days
    if not days:
        return {}
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with scope(organization=organization):
        deleted = {s.key: s.expire(organization, cutoff) for s in person_data_sources() if s.expire is not None}
    if any(deleted.values()):
        audit_record(
            organization=organization,
            action=AuditEvent.Action.RETENTION_APPLIED,
            details={"days": days, "before": cutoff.isoformat(), "deleted": deleted},
        )
    return deleted
