"""The header's reads written as SQL (accounts/selectors.py) return what the ORM returns."""

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, Notification, Role
from accounts.selectors import memberships_of, unread_notification_count
from accounts.tests.factories import make_notification
from conftest import make_organization

pytestmark = pytest.mark.django_db


def test_it_reads_a_person_s_memberships_as_the_orm_does(tenancy):
    make_organization("Aardvark", tenancy.alice, require_mfa=True)
    with scopes_disabled():
        expected = list(Membership.objects.filter(user=tenancy.alice).select_related("organization"))
    expected.sort(key=lambda m: m.organization.name)
    memberships = memberships_of(tenancy.alice)
    assert [m.organization.name for m in memberships] == ["Aardvark", "Org A"]
    for ours, theirs in zip(memberships, expected, strict=True):
        for model_ours, model_theirs in ((ours, theirs), (ours.organization, theirs.organization)):
            fields = type(model_ours)._meta.concrete_fields
            values = [(getattr(model_ours, f.attname), getattr(model_theirs, f.attname)) for f in fields]
            assert all(a == b for a, b in values), values
        assert timezone.is_aware(ours.created_at)
    assert memberships_of(tenancy.dana)[0].role == Role.CLIENT


def test_it_counts_the_unread_notifications_of_one_organisation(tenancy):
    make_notification(tenancy.org_a, tenancy.alice)
    make_notification(tenancy.org_a, tenancy.alice, read_at=timezone.now())
    make_notification(tenancy.org_a, tenancy.bob)
    make_notification(tenancy.org_b, tenancy.alice)
    assert unread_notification_count(tenancy.alice, tenancy.org_a) == 1
    with scope(organization=tenancy.org_a):
        assert Notification.objects.filter(user=tenancy.alice, read_at__isnull=True).count() == 1
