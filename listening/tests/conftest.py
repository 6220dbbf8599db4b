import pytest
from django.utils import translation

from listening.tests.factories import ig_account, x_account


@pytest.fixture(autouse=True)
def _english():
    """Services speak the active language (French by default): these tests read English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def city(tenancy, simulated_networks):
    """Workspace A1 with the city's X and Instagram accounts on the simulator."""
    return {
        "x": x_account(tenancy.a1, simulated_networks),
        "instagram": ig_account(tenancy.a1, simulated_networks),
    }
