"""Collection through the real providers against the simulator: dedup, X budget metering."""

import pytest
from django_scopes import scope, scopes_disabled

from listening.models import Hit, WatchMatch, WatchUsage
from listening.quota import hashtag_quota_status
from listening.services import BudgetExhausted, collect_hashtag, watch_collect_now
from listening.tests.factories import make_watch
from networks.models import XReadBudget, XReadUsage
from networks.sync import limits


def hits_count() -> int:
    with scopes_disabled():
        return Hit.objects.count()


def test_it_collects_an_instagram_hashtag_without_authors(tenancy, city):
    with scope(organization=tenancy.org_a):
        hits = collect_hashtag(workspace=tenancy.a1, hashtag="#InstaBoulogne", network="instagram")
        assert hits, "the simulator feeds #InstaBoulogne"
        assert all(h.network == "instagram" and h.permalink and h.media_url for h in hits)
        # Instagram hashtag media carry no author (Meta's rule).
        assert {h.author_handle for h in hits} == {""}
        assert {h.author_source for h in hits} == {""}
        assert [tag for tag, _at in hashtag_quota_status(account=city["instagram"]).used] == ["instaboulogne"]


def test_it_stores_each_post_once(tenancy, city):
    with scope(organization=tenancy.org_a):
        first = collect_hashtag(workspace=tenancy.a1, hashtag="boulogne", network="instagram")
        count = hits_count()
        again = collect_hashtag(workspace=tenancy.a1, hashtag="Boulogne", network="instagram")
        assert hits_count() == count == len({h.external_id for h in first})
        assert {h.pk for h in again} == {h.pk for h in first}
        # A second watch finding the same posts shares the hits.
        watch_a = make_watch(tenancy.a1, "#Boulogne", networks=["instagram"])
        watch_b = make_watch(tenancy.a1, "#Boulogne OR #Boulbi", networks=["instagram"])
        watch_collect_now(watch=watch_a)
        watch_collect_now(watch=watch_b)
        assert WatchMatch.objects.filter(watch=watch_b).count() > WatchMatch.objects.filter(watch=watch_a).count()
        assert Hit.objects.filter(external_id__in=[h.external_id for h in first]).count() == len(first)


def test_it_collects_x_with_authors_and_meters_every_read(tenancy, city):
    watch = make_watch(tenancy.a1, "#Déménagement AND Boulogne", networks=["x"])
    with scope(organization=tenancy.org_a):
        collected = watch_collect_now(watch=watch)
        assert not collected.errors, collected.errors
        assert collected.hits, "the simulator's X stream has people moving to Boulogne"
        assert all(h.author_handle and h.author_source == Hit.AuthorSource.NETWORK for h in collected.hits)
        assert all("boulogne" in h.text.lower() for h in collected.hits)
        used, _cap = limits.x_budget(tenancy.org_a)
        assert used == collected.x_reads >= len(collected.hits)
        usage = WatchUsage.objects.get(watch=watch)
        assert (usage.x_reads, usage.x_calls) == (collected.x_reads, collected.x_calls)
        # The next run asks only for newer posts (since_id): nothing new, nothing billed.
        watch.save()
        again = watch_collect_now(watch=watch)
        assert again.x_reads == 0 and again.x_calls == 1


def test_it_reads_nothing_from_x_once_the_budget_is_spent(tenancy, city):
    with scopes_disabled():
        XReadBudget.objects.create(organization=tenancy.org_a, monthly_cap=100)
        limits.x_reads_add(organization_id=tenancy.org_a.pk, reads=100, calls=1)
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["x"])
    with scope(organization=tenancy.org_a):
        collected = watch_collect_now(watch=watch)
        assert collected.x_calls == 0 and "budget" in collected.errors[0]
        with pytest.raises(BudgetExhausted):
            collect_hashtag(workspace=tenancy.a1, hashtag="boulogne", network="x")
    with scopes_disabled():
        assert XReadUsage.objects.get(organization=tenancy.org_a).reads == 100


def test_it_finds_instagram_tags_with_their_author(tenancy, city):
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["instagram"])
    with scope(organization=tenancy.org_a):
        collected = watch_collect_now(watch=watch)
        tagged = [h for h in collected.hits if h.source == Hit.Source.IG_TAG]
        assert tagged, "the simulator tags the city in posts carrying #Boulogne"
        assert all(h.author_handle and h.author_source == Hit.AuthorSource.NETWORK for h in tagged)
        assert {h.author_handle for h in collected.hits if h.source != Hit.Source.IG_TAG} == {""}
