"""No token or secret ever reaches the logs (issue 11, "Security").

The demo's city is connected through the simulator's OAuth screens and a few days of syncs are
replayed through the engine, with the production logging configuration at its most talkative
(``LOG_LEVEL=DEBUG``), then an X token refresh is forced. Then every credential that took part is
looked for in what was logged: the simulator's tokens and codes all start with ``sim-<kind>-``,
the stored ones are decrypted from the vault, and the app's own secrets come from settings.
"""

import datetime as dt
import io
import logging
import logging.config
import re
from copy import deepcopy

import pytest
from django.conf import settings
from django.core.management import call_command
from django_scopes import scopes_disabled

from networks.management.commands.seed_demo_networks import CITY
from networks.models import AccountToken, SocialAccount, SyncKind
from networks.sync.demo import Simulator, demo_connect, demo_replay
from networks.sync.engine import account_sync
from networks.vault import decrypt

# Every token and authorisation code the simulator mints (networks/simulator/tokens.py).
SIMULATOR_CREDENTIAL = re.compile(r"sim-(?:xat|xrt|fbu|fbp|xcode|fbcode)-")


@pytest.fixture
def debug_logs():
    """The production LOGGING with LOG_LEVEL=DEBUG, everything also written to a buffer."""
    buffer = io.StringIO()
    config = deepcopy(settings.LOGGING)
    config["root"]["level"] = "DEBUG"
    config["handlers"]["buffer"] = {"class": "logging.StreamHandler", "stream": buffer, "formatter": "plain"}
    config["root"]["handlers"] = [*config["root"]["handlers"], "buffer"]
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_token_to_the_logs(simulated_networks, debug_logs, monkeypatch):
    # SQLite's shared in-memory test database locks whole tables: one replay thread at a time.
    monkeypatch.setattr("networks.sync.demo.REPLAY_THREADS", 1)
    call_command("seed_demo", stdout=io.StringIO())
    sim = Simulator(simulated_networks.url)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sim.set_now(now)
    accounts = demo_connect(sim=sim, plan=CITY)
    assert {a.network for a in accounts} == {"facebook", "instagram", "x"}
    assert demo_replay(sim=sim, accounts=accounts, days=3, until=now) > 0
    # X access tokens live two hours and X rotates refresh tokens: expire the X account's token
    # and sync it once more, so a refresh runs through the production code path too.
    sim.set_now(now)
    x_account = next(a for a in accounts if a.network == "x")
    with scopes_disabled():
        AccountToken.objects.filter(account=x_account, kind=AccountToken.Kind.ACCESS).update(expires_at=now)
        refresh_before = AccountToken.objects.get(account=x_account, kind=AccountToken.Kind.REFRESH).ciphertext
    account_sync(organization_id=x_account.organization_id, account_id=x_account.pk, kinds=[SyncKind.DAILY])
    with scopes_disabled():
        refresh_after = AccountToken.objects.get(account=x_account, kind=AccountToken.Kind.REFRESH).ciphertext
    assert bytes(refresh_after) != bytes(refresh_before), "the X token was not refreshed"

    logged = debug_logs.getvalue()
    assert logged.count("\n") > 20, "nothing was logged: the test would prove nothing"
    leaked = SIMULATOR_CREDENTIAL.findall(logged)
    assert not leaked, f"{len(leaked)} simulator credentials in the logs"
    with scopes_disabled():
        stored = [decrypt(t.ciphertext) for t in AccountToken.objects.all()]
        states = list(SocialAccount.objects.values_list("network", "status", "last_error"))
    assert all(status == SocialAccount.Status.ACTIVE for _, status, _ in states), states
    assert stored
    secrets = [
        *stored,
        settings.SECRET_KEY,
        settings.X_CLIENT_SECRET,
        settings.META_APP_SECRET,
        settings.META_WEBHOOK_VERIFY_TOKEN,
        *[key for key in settings.TOKEN_ENCRYPTION_KEYS if key],
    ]
    assert not [s for s in secrets if s and s in logged], "a secret was written to the logs"
