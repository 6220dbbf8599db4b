"""The networks reads of every request written as SQL (networks/selectors.py): one statement each,
the ORM's rows, the same 404s, and the workspace and organisation cached."""

import pytest
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from accounts.selectors import membership_for, workspace_for_member
from networks.models import SocialAccount
from networks.selectors import account_for_member, accounts_of_workspace
from networks.tests.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(tenancy):
    """Two accounts in A1 (made in reverse order of the list's), one in A2, one in B1."""
    return {
        "a1_x": make_account(tenancy.a1, network="x", external_id="11", name="Zed", access_token=None),
        "a1_fb": make_account(tenancy.a1, network="facebook", external_id="12", name="Ville", access_token=None),
        "a2": make_account(tenancy.a2, external_id="21", access_token=None),
        "b1": make_account(tenancy.b1, external_id="31", access_token=None),
    }


def test_it_reads_an_account_as_the_orm_does_with_its_workspace_and_organisation(
    tenancy, accounts, django_assert_num_queries
):
    alice = membership_for(tenancy.alice, "org-a")
    with scope(organization=tenancy.org_a):
        expected = SocialAccount.objects.select_related("workspace").get(pk=accounts["a2"].pk)
        with django_assert_num_queries(1):
            account = account_for_member(alice, str(accounts["a2"].pk))
    fields = SocialAccount._meta.concrete_fields
    assert [getattr(account, f.attname) for f in fields] == [getattr(expected, f.attname) for f in fields]
    assert timezone.is_aware(account.connected_at) and not account._state.adding
    with django_assert_num_queries(0):
        assert account.workspace.name == "A2" and account.workspace.created_at == tenancy.a2.created_at
        assert account.organization is alice.organization
        assert account.workspace.organization is alice.organization


def test_it_hides_accounts_of_other_tenants_missing_ones_and_odd_ids(tenancy, accounts):
    alice = membership_for(tenancy.alice, "org-a")
    for account_id in (accounts["b1"].pk, accounts["b1"].pk + 1000, "abc", None, 2**70):
        with pytest.raises(Http404):
            account_for_member(alice, account_id)
    charlie = membership_for(tenancy.charlie, "org-b")
    assert account_for_member(charlie, accounts["b1"].pk) == accounts["b1"]
    with pytest.raises(Http404):
        account_for_member(charlie, accounts["a1_x"].pk)


def test_it_hides_the_accounts_of_workspaces_a_client_was_not_granted(tenancy, accounts, django_assert_num_queries):
    dana = membership_for(tenancy.dana, "org-a")
    with django_assert_num_queries(1):
        assert account_for_member(dana, accounts["a1_x"].pk) == accounts["a1_x"]
    with pytest.raises(Http404):
        account_for_member(dana, accounts["a2"].pk)
    bob = membership_for(tenancy.bob, "org-a")
    assert account_for_member(bob, accounts["a2"].pk) == accounts["a2"]


def test_it_lists_a_workspace_s_accounts_by_network_and_name(tenancy, accounts, django_assert_num_queries):
    alice = membership_for(tenancy.alice, "org-a")
    with scope(organization=tenancy.org_a):
        expected = list(
            SocialAccount.objects.filter(organization=tenancy.org_a, workspace=tenancy.a1).order_by(
                "network", "name", "pk"
            )
        )
    assert [a.network for a in expected] == ["facebook", "x"]
    with scope(organization=tenancy.org_a):
        a1 = workspace_for_member(alice, tenancy.a1.pk)
        with django_assert_num_queries(1):
            listed = accounts_of_workspace(a1)
    assert listed == expected
    assert [a.last_synced_at for a in listed] == [a.last_synced_at for a in expected]
    with django_assert_num_queries(0):
        assert all(a.workspace is a1 and a.organization is alice.organization for a in listed)
    assert accounts_of_workspace(tenancy.b1) == [accounts["b1"]]
