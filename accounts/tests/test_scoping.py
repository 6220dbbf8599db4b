"""Scoping fails closed: a tenant model queried outside an organisation's scope raises."""

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError, scope

from accounts.models import (
    AuditEvent,
    Invitation,
    InvitationGrant,
    Membership,
    Notification,
    Workspace,
    WorkspaceGrant,
)

TENANT_MODELS = [Workspace, Membership, WorkspaceGrant, Invitation, InvitationGrant, AuditEvent, Notification]


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_it_refuses_a_query_outside_a_scope(model, tenancy):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_it_filters_by_the_active_organisation(model, tenancy):
    with scope(organization=tenancy.org_b):
        assert all(row.organization_id == tenancy.org_b.pk for row in model.objects.all())
        query = str(model.objects.all().query)
    assert "organization_id" in query


def test_it_keeps_a_workspace_of_another_organisation_out_of_reach(tenancy):
    with scope(organization=tenancy.org_b):
        assert not Workspace.objects.filter(pk=tenancy.a1.pk).exists()
        assert list(Workspace.objects.values_list("name", flat=True)) == ["B1"]


def _organization_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(f.name == "organization" and f.is_relation for f in model._meta.get_fields())
    ]


def test_it_scopes_every_model_with_an_organisation():
    """A future tenant model (any app) cannot forget its ScopedManager: every manager it has must
    refuse to query without an organisation's scope."""
    tenant_models = _organization_models()
    assert set(TENANT_MODELS) <= set(tenant_models)
    unscoped = []
    for model in tenant_models:
        for manager in model._meta.managers:
            try:
                manager.all().exists()
            except ScopeError:
                continue
            unscoped.append(f"{model._meta.label}.{manager.name}")
    assert unscoped == [], 'use ScopedManager(organization="organization") on these'
