"""Fixtures of the accounts tests: an empty cache and a few tenant objects beyond the cast."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from accounts.tests.factories import make_invitation


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # allauth's login throttling and TOTP replay guard live in the cache: no test inherits counts.
    cache.clear()
    yield
    cache.clear()


@dataclass
class TenantObjects:
    """Ids of objects each route of the matrix addresses, in organisation A and in organisation B."""

    a_member: int  # bob's membership in A
    a_invitation: int
    b_member: int  # charlie's membership in B
    b_invitation: int


@pytest.fixture
def objects(tenancy) -> TenantObjects:
    from django_scopes import scopes_disabled

    from accounts.models import Membership

    with scopes_disabled():
        a_member = Membership.objects.get(organization=tenancy.org_a, user=tenancy.bob).pk
        b_member = Membership.objects.get(organization=tenancy.org_b, user=tenancy.charlie).pk
    a_invitation = make_invitation(tenancy.org_a, "newcomer-a@example.com", invited_by=tenancy.alice).pk
    b_invitation = make_invitation(tenancy.org_b, "newcomer-b@example.com", invited_by=tenancy.charlie).pk
    return TenantObjects(a_member, a_invitation, b_member, b_invitation)
