"""Deleting an organisation or a workspace deletes all of its data (issue 11, "Privacy"): every
table, checked generically, and the files its rows held — nothing of anyone else.

The world (tests/tenant_world.py) puts rows in A1, A2 and B across every app; the checks walk
every model of the project rather than a list, so a new table is checked the day it is added.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django_scopes import scopes_disabled

from accounts.models import Organization, Workspace
from accounts.services.organizations import organization_delete, workspace_delete
from tests.tenant_world import build_world

pytestmark = pytest.mark.django_db(transaction=True)  # files go once the deletion has committed


def _tenant_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if any(f.name == "organization" for f in m._meta.fields)]


def _rows_of(organization_id: int) -> dict[str, int]:
    with scopes_disabled():
        counts = {m._meta.label: m.objects.filter(organization_id=organization_id).count() for m in _tenant_models()}
    return {label: n for label, n in counts.items() if n}


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _dangling() -> list[str]:
    """Rows pointing at a row that no longer exists (a foreign key without a database constraint
    is kept by the ORM's cascade only)."""
    found = []
    with scopes_disabled():
        for model in apps.get_models():
            for field in model._meta.fields:
                if isinstance(field, models.ForeignKey):
                    target = field.related_model
                    orphans = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).exclude(
                        **{f"{field.attname}__in": target._base_manager.values("pk")}
                    )
                    if orphans.exists():
                        found.append(f"{model._meta.label}.{field.name}")
    return found


def _enrich(tenancy, world) -> None:
    """Rows the URL recipes don't need but an organisation accumulates: readings, daily metrics,
    sync runs, audit events, notifications, departments and internal notes."""
    import datetime as dt

    from django_scopes import scope

    from accounts.services.audit import audit_record
    from accounts.services.notifications import notify
    from analytics.models import AccountDailyMetrics, PostMetricsSnapshot
    from inbox.models import Department, InternalNote
    from networks.models import SyncRun

    for key, workspace, owner in (
        ("a1", tenancy.a1, tenancy.alice),
        ("a2", tenancy.a2, tenancy.alice),
        ("b", tenancy.b1, tenancy.charlie),
    ):
        organization, ids = workspace.organization, world[key]
        with scope(organization=organization):
            PostMetricsSnapshot.objects.create(organization=organization, post_id=ids["post_id"], likes=3)
            AccountDailyMetrics.objects.create(
                organization=organization, account_id=ids["account_id"], date=dt.date(2026, 11, 1), followers=10
            )
            SyncRun.objects.create(
                organization=organization, account_id=ids["account_id"], kind="daily", trigger="schedule"
            )
            Department.objects.create(organization=organization, workspace=workspace, name=f"Sport {key}")
            InternalNote.objects.create(
                organization=organization, thread_id=ids["thread_id"], author=owner, text="note"
            )
        audit_record(organization=organization, action="settings_changed", actor=owner, target=key)
        notify(organization=organization, users=[owner], kind="test", title="Hello", url="/")


def test_it_deletes_every_row_and_file_of_an_organisation_and_nothing_else(tenancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _enrich(tenancy, build_world(tenancy))
    a_before, b_before = _rows_of(tenancy.org_a.pk), _rows_of(tenancy.org_b.pk)
    assert len(a_before) >= 25, f"the world should fill most tables, it filled {sorted(a_before)}"
    files_before = _files(tmp_path)
    assert files_before, "the world should hold files (reports, photos)"

    organization_delete(organization=tenancy.org_a)

    assert _rows_of(tenancy.org_a.pk) == {}
    assert _rows_of(tenancy.org_b.pk) == b_before
    assert not Organization.objects.filter(pk=tenancy.org_a.pk).exists()
    assert _dangling() == []
    left = _files(tmp_path)
    assert left and left < files_before, "B's files stay, A's go"
    with scopes_disabled():
        # What is left on disk is exactly what B's rows still reference.
        referenced = {
            getattr(row, f.name).name
            for model in _tenant_models()
            for f in model._meta.fields
            if isinstance(f, models.FileField)
            for row in model.objects.all()
            if getattr(row, f.name)
        }
    assert left == referenced


def test_it_deletes_every_row_and_file_of_a_workspace_and_nothing_else(tenancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _enrich(tenancy, build_world(tenancy))
    with scopes_disabled():
        in_a1_before = {
            m._meta.label: m.objects.filter(workspace=tenancy.a1).count()
            for m in _tenant_models()
            if any(f.name == "workspace" for f in m._meta.fields)
        }
    org_rows_before = _rows_of(tenancy.org_a.pk)
    files_before = _files(tmp_path)

    workspace_delete(workspace=tenancy.a2, actor=tenancy.alice)

    with scopes_disabled():
        assert not Workspace.objects.filter(pk=tenancy.a2.pk).exists()
        for model in _tenant_models():
            if any(f.name == "workspace" for f in model._meta.fields):
                assert not model.objects.filter(workspace_id=tenancy.a2.pk).exists(), model._meta.label
                assert model.objects.filter(workspace=tenancy.a1).count() == in_a1_before[model._meta.label]
    assert _dangling() == []
    after = _rows_of(tenancy.org_a.pk)
    assert sum(after.values()) < sum(org_rows_before.values())
    assert _files(tmp_path) < files_before
