"""Fixtures of the analytics tests: three accounts, two organisations (the cast of STYLE.md)."""

from dataclasses import dataclass

import pytest

from analytics.factstore import DatabaseFactStore
from analytics.tests.factories import make_account
from analytics.tests.matrix import matrix_objects
from networks.models import SocialAccount


@pytest.fixture
def objects(tenancy) -> dict[str, dict[str, int]]:
    """The tenancy matrices' account, post and theme in A1, A2 and B (analytics.tests.matrix)."""
    return matrix_objects(tenancy)


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
