"""Connecting, disconnecting and deleting a social account are recorded in the audit log."""

from django_scopes import scope

from accounts.models import AuditEvent
from networks.models import AccountToken
from networks.services.accounts import NewToken, account_connect
from networks.tests.factories import make_account
from networks.tests.test_connect import url


def _actions(organization) -> list[tuple[str, str]]:
    with scope(organization=organization):
        return [
            (e.action, e.actor.email if e.actor else "")
            for e in AuditEvent.objects.filter(organization=organization).order_by("id")
        ]


def test_it_audits_a_connection(tenancy):
    with scope(organization=tenancy.org_a):
        account_connect(
            organization=tenancy.org_a,
            workspace=tenancy.a1,
            network="x",
            external_id="42",
            handle="ville",
            tokens=[NewToken(kind=AccountToken.Kind.ACCESS, value="t")],
            connected_by=tenancy.alice,
        )
    assert (AuditEvent.Action.ACCOUNT_CONNECTED, "alice@example.com") in _actions(tenancy.org_a)
    assert _actions(tenancy.org_b) == []


def test_it_audits_a_disconnection_and_a_deletion(tenancy, login):
    account = make_account(tenancy.a1)
    client = login(tenancy.alice)
    client.post(url("networks_account_disconnect", tenancy, account_id=account.pk))
    client.post(url("networks_account_delete", tenancy, account_id=account.pk))
    actions = _actions(tenancy.org_a)
    assert (AuditEvent.Action.ACCOUNT_DISCONNECTED, "alice@example.com") in actions
    assert (AuditEvent.Action.ACCOUNT_DELETED, "alice@example.com") in actions
