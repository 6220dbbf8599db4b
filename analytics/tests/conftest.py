"""Fixtures of the analytics tests: three accounts, two organisations (the cast of STYLE.md)."""

from dataclasses import dataclass

import pytest

from analytics.factstore import DatabaseFactStore
from analytics.tests.factories import make_account
from networks.models import SocialAccount


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The production hasher costs ~0.4 s for each of the four people the tenancy cast creates."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Accounts:
    a: SocialAccount  # organisation A, workspace A1, X
    a2: SocialAccount  # organisation A, workspace A2, Facebook
    b: SocialAccount  # organisation B, X, with the same id on the network as ``a``


@pytest.fixture
def accounts(tenancy) -> Accounts:
    return Accounts(
        a=make_account(tenancy.a1, network="x", external_id="100"),
        a2=make_account(tenancy.a2, network="facebook", external_id="200"),
        b=make_account(tenancy.b1, network="x", external_id="100"),
    )


@pytest.fixture
def store() -> DatabaseFactStore:
    return DatabaseFactStore()
