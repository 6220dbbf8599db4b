"""Platform admins see every reports model in Django admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts.models import User

MODELS = list(apps.get_app_config("reports").get_models())


def test_it_registers_every_model():
    assert [m._meta.label for m in MODELS if m not in admin.site._registry] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_it_renders_every_changelist(model, client, tenancy):
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x" * 12))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
