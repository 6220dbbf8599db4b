"""Platform admins manage every model of the product through Django admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts.models import User

PRODUCT_APPS = ("accounts", "networks", "analytics")


def _product_models():
    return [m for m in apps.get_models() if m._meta.app_label in PRODUCT_APPS]


def test_it_registers_every_product_model():
    missing = [m._meta.label for m in _product_models() if m not in admin.site._registry]
    assert not missing, f"models without a Django admin: {missing}"


@pytest.mark.parametrize("model", _product_models(), ids=lambda m: m._meta.label)
def test_it_renders_every_changelist(model, client, tenancy):
    superuser = User.objects.create_superuser(email="root@example.com", password="x" * 12)
    client.force_login(superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
