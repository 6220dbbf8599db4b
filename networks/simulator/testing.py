"""pytest fixtures: one simulator per test session, on a free port, with a frozen clock.

* ``simulator`` (session): a ``SimulatorHandle`` with ``.url``, ``.set_now(dt)``, ``.advance(s)``,
  ``.set_faults(**switches)``, ``.reset()`` and token helpers for tests that skip the OAuth screens.
* ``sim`` (function): the same handle, reset before and after the test.
* ``simulated_networks`` (function): Django settings pointed at the simulator, dummy credentials.

Any test using one of them gets faults, rate limits and the clock reset when it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from csp.constants import SELF

from networks.simulator.clock import parse_instant
from networks.simulator.server import Simulator, SimulatorServer, start_in_thread
from networks.simulator.world import DEFAULT_NOW, DEFAULT_SEED, FACEBOOK_USERS, Persona, facebook_user, persona_by_key

TEST_CLIENT_ID = "sim-client-id"
TEST_CLIENT_SECRET = "sim-client-secret"  # noqa: S105 — a dummy for the simulator
FAR_FUTURE = 4102444800  # 2100-01-01: test tokens that never expire on the simulated clock


def _persona(key: str) -> Persona:
    persona = persona_by_key(key)
    if persona is None:
        raise KeyError(key)
    return persona


class SimulatorHandle:
    def __init__(self, sim: Simulator, server: SimulatorServer, now: datetime) -> None:
        self.sim, self.server, self.initial_now = sim, server, now

    @property
    def url(self) -> str:
        return self.sim.base_url

    @property
    def now(self) -> datetime:
        return self.sim.clock.now()

    def set_now(self, moment: datetime | str) -> None:
        self.sim.clock.set(parse_instant(moment) if isinstance(moment, str) else moment)

    def advance(self, seconds: float) -> None:
        self.sim.clock.advance(seconds)

    def set_faults(self, **switches: Any) -> None:
        self.sim.faults.update(switches)

    def delete_tweets(self, *tweet_ids: str | int) -> None:
        """Tweets deleted on X from now on (until the next reset): X compliance tests."""
        self.sim.deleted_tweets |= {int(value) for value in tweet_ids}

    def reset(self) -> None:
        self.sim.reset()
        self.sim.clock.running = False
        self.sim.clock.set(self.initial_now)

    # Tokens as the OAuth flows would issue them, for tests that are not about OAuth.
    def x_token(self, persona_key: str = "boulogne") -> str:
        return self.sim.vault.mint("xat", _persona(persona_key).key, FAR_FUTURE)

    def page_token(self, persona_key: str = "boulogne") -> str:
        return self.sim.vault.mint("fbp", _persona(persona_key).key)

    def user_token(self, user_id: str = next(iter(FACEBOOK_USERS))) -> str:
        user = facebook_user(user_id)
        if user is None:
            raise KeyError(user_id)
        return self.sim.vault.mint("fbu", user.id, FAR_FUTURE)


@pytest.fixture(scope="session")
def simulator() -> Iterator[SimulatorHandle]:
    now = parse_instant(DEFAULT_NOW)
    sim = Simulator(seed=DEFAULT_SEED, now=now)
    server, _ = start_in_thread(sim)
    yield SimulatorHandle(sim, server, now)
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _simulator_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    # Only tests that asked for the simulator pay for it (and get it reset afterwards).
    yield
    if {"simulator", "sim", "simulated_networks"} & set(request.fixturenames):
        request.getfixturevalue("simulator").reset()


@pytest.fixture
def sim(simulator: SimulatorHandle) -> SimulatorHandle:
    simulator.reset()
    return simulator


@pytest.fixture
def simulated_networks(settings: Any, sim: SimulatorHandle) -> SimulatorHandle:
    url = sim.url
    settings.SIMULATOR_URL = url
    settings.X_API_BASE_URL = url
    settings.X_AUTHORIZE_URL = f"{url}/i/oauth2/authorize"
    settings.X_TOKEN_URL = f"{url}/2/oauth2/token"
    settings.GRAPH_API_BASE_URL = f"{url}/"
    settings.GRAPH_API_VERSION = "v25.0"
    settings.FACEBOOK_DIALOG_URL = url
    # Their consent screens, where the connect buttons' redirects lead (as settings.py derives it).
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [SELF, url]}}
    settings.X_CLIENT_ID, settings.X_CLIENT_SECRET = TEST_CLIENT_ID, TEST_CLIENT_SECRET
    settings.META_APP_ID, settings.META_APP_SECRET = "100000000000999", TEST_CLIENT_SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = "sim-verify-token"  # noqa: S105
    settings.X_ENABLED = settings.FACEBOOK_ENABLED = settings.INSTAGRAM_ENABLED = True
    return sim
