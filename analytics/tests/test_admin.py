"""Platform admins read the stored facts in Django admin; nobody types facts in."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from analytics.models import AccountDailyMetrics, Post, PostMetricsSnapshot
from analytics.tests.factories import NOW, make_post
from conftest import make_user
from networks.providers.base import DailyMetrics, PostKind, PostMetrics


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", [Post, PostMetricsSnapshot, AccountDailyMetrics])
def test_it_lists_and_shows_facts_read_only(admin_client, accounts, store, model):
    store.save_posts(accounts.a, [make_post("1", likes=3), make_post("2", kind=PostKind.REPOST)], NOW)
    store.save_post_metrics(accounts.a, {"1": PostMetrics(likes=4)}, NOW + dt.timedelta(hours=1))
    store.save_daily(accounts.a, [DailyMetrics(day=dt.date(2026, 11, 29), followers=10)])
    name = f"admin:analytics_{model._meta.model_name}"
    with scopes_disabled():
        row = model.objects.first()

    listing = admin_client.get(reverse(f"{name}_changelist"), {"q": "1"})
    page = admin_client.get(reverse(f"{name}_change", args=[row.pk]))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert b'type="submit"' not in page.content or b"_save" not in page.content
    assert admin_client.get(reverse(f"{name}_add")).status_code == 403
