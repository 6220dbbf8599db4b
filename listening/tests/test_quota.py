"""The Instagram hashtag quota: 30 unique hashtags per account per rolling 7 days."""

import datetime as dt

import pytest
from django_scopes import scope

from listening.quota import (
    NoInstagramAccount,
    QuotaExceeded,
    hashtag_quota_reserve,
    hashtag_quota_status,
    hashtags_reserve,
    pick_instagram_account,
    quotas_by_workspace,
)
from listening.tests.factories import NOW
from networks.tests.factories import make_account


def ig(workspace, external_id="17841400000000001", handle="ville"):
    return make_account(workspace, network="instagram", external_id=external_id, handle=handle)


def fill(account, count, now=NOW, prefix="tag"):
    for number in range(count):
        hashtag_quota_reserve(account=account, hashtag=f"{prefix}{number}", searching=True, now=now)


def test_it_refuses_the_31st_unique_hashtag_with_a_clear_message(tenancy):
    account = ig(tenancy.a1)
    with scope(organization=tenancy.org_a):
        fill(account, 30)
        with pytest.raises(QuotaExceeded) as refused:
            hashtag_quota_reserve(account=account, hashtag="#Encore", now=NOW + dt.timedelta(hours=1))
        assert "30 different hashtags" in refused.value.message and "#encore" in refused.value.message
        assert refused.value.free_at == NOW + dt.timedelta(days=7)
        status = hashtag_quota_status(account=account, now=NOW + dt.timedelta(hours=1))
        assert (status.remaining, len(status.used), status.free_at) == (0, 30, NOW + dt.timedelta(days=7))


def test_it_does_not_count_a_hashtag_searched_again(tenancy):
    account = ig(tenancy.a1)
    with scope(organization=tenancy.org_a):
        fill(account, 30)
        # Same tag, different spelling, later the same week: free, and its timer is not reset.
        hashtag_quota_reserve(account=account, hashtag="#TAG3", searching=True, now=NOW + dt.timedelta(days=3))
        status = hashtag_quota_status(account=account, now=NOW + dt.timedelta(days=3))
        assert status.frees_at("tag3") == NOW + dt.timedelta(days=7)


def test_it_frees_a_slot_seven_days_after_the_first_search(tenancy):
    account = ig(tenancy.a1)
    with scope(organization=tenancy.org_a):
        fill(account, 29)
        hashtag_quota_reserve(account=account, hashtag="late", searching=True, now=NOW + dt.timedelta(days=2))
        just_before = NOW + dt.timedelta(days=7) - dt.timedelta(seconds=1)
        with pytest.raises(QuotaExceeded):
            hashtag_quota_reserve(account=account, hashtag="new", now=just_before)
        after = NOW + dt.timedelta(days=7, seconds=1)
        hashtag_quota_reserve(account=account, hashtag="new", now=after)
        status = hashtag_quota_status(account=account, now=after)
        # The 29 tags of day 0 left the window together; "late" (day 2) and "new" remain.
        assert status.remaining == 28 and [tag for tag, _start in status.used] == ["late", "new"]
        # A tag whose window ended counts as new again, with a new window.
        assert status.frees_at("tag0") is None


def test_it_starts_the_window_at_the_first_real_search(tenancy):
    account = ig(tenancy.a1)
    with scope(organization=tenancy.org_a):
        hashtag_quota_reserve(account=account, hashtag="boulogne", now=NOW)  # a watch saved
        hashtag_quota_reserve(account=account, hashtag="boulogne", searching=True, now=NOW + dt.timedelta(minutes=5))
        status = hashtag_quota_status(account=account, now=NOW + dt.timedelta(hours=1))
        assert status.used == [("boulogne", NOW + dt.timedelta(minutes=5))]


def test_it_spreads_searches_across_the_workspace_accounts(tenancy):
    first = ig(tenancy.a1)
    second = ig(tenancy.a1, "17841400000000002", "second")
    ig(tenancy.a2, "17841400000000004", "elsewhere")  # another workspace's account is never used
    with scope(organization=tenancy.org_a):
        chosen = hashtags_reserve(workspace=tenancy.a1, hashtags=[f"t{n}" for n in range(40)])
        used = {account.pk: 0 for account in (first, second)}
        for account in chosen.values():
            used[account.pk] += 1
        assert used == {first.pk: 20, second.pk: 20}
        # A tag already searched by one account stays with it (it costs nothing there).
        assert pick_instagram_account(workspace=tenancy.a1, hashtag="#T39") == chosen["t39"]
        hashtags_reserve(workspace=tenancy.a1, hashtags=[f"u{n}" for n in range(20)])
        with pytest.raises(QuotaExceeded) as refused:
            hashtags_reserve(workspace=tenancy.a1, hashtags=["one_more"])
        assert "the 2 Instagram accounts of this workspace" in refused.value.message


def test_it_reserves_all_or_nothing(tenancy):
    account = ig(tenancy.a1)
    with scope(organization=tenancy.org_a):
        fill(account, 28, now=dt.datetime.now(dt.UTC))
        with pytest.raises(QuotaExceeded):
            hashtags_reserve(workspace=tenancy.a1, hashtags=["a", "b", "c"])
        assert hashtag_quota_status(account=account).remaining == 2


def test_it_says_when_the_workspace_has_no_instagram_account(tenancy):
    with scope(organization=tenancy.org_a), pytest.raises(NoInstagramAccount) as refused:
        pick_instagram_account(workspace=tenancy.a1, hashtag="boulogne")
    assert "Connect an Instagram" in refused.value.message


def test_it_reads_every_workspace_quota_in_two_queries(tenancy, django_assert_num_queries):
    first, second = ig(tenancy.a1), ig(tenancy.a2, "17841400000000002", "second")
    with scope(organization=tenancy.org_a):
        fill(first, 3, now=dt.datetime.now(dt.UTC))
        fill(second, 1, now=dt.datetime.now(dt.UTC), prefix="other")
        expected = {a.pk: hashtag_quota_status(account=a) for a in (first, second)}
        with django_assert_num_queries(2):
            found = quotas_by_workspace([tenancy.a1, tenancy.a2])
        assert [
            (s.account.pk, s.used, s.remaining, s.free_at) for s in found[tenancy.a1.pk] + found[tenancy.a2.pk]
        ] == [(pk, e.used, e.remaining, e.free_at) for pk, e in expected.items()]
