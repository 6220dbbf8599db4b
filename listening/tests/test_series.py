"""The "listening.hits" series the spike detector reads (contract C2)."""

import datetime as dt

from django_scopes import scope

from analytics.spikes import SeriesSource
from listening import series
from listening.models import WatchMatch
from listening.tests.factories import NOW, make_hit, make_watch


def test_it_counts_matching_posts_per_local_day_and_names_the_drivers(tenancy):
    watch = make_watch(tenancy.a1, "#Boulogne", networks=["x"])
    other = make_watch(tenancy.a1, "#Boulogne OR #Boulbi", networks=["x"])
    with scope(organization=tenancy.org_a):
        for number, hours in enumerate((3, 4, 30)):
            hit = make_hit(
                tenancy.a1,
                f"t{number}",
                published_at=NOW - dt.timedelta(hours=hours),
                author_handle="lea",
                likes=number,
            )
            for w in (watch, other):  # two watches, one post: counted once
                WatchMatch.objects.create(organization=tenancy.org_a, watch=w, hit=hit, published_at=hit.published_at)
        day = NOW.date()
        counts = series.daily(tenancy.org_a, tenancy.a1, day - dt.timedelta(days=2), day)
        assert counts == {day - dt.timedelta(days=2): 0.0, day - dt.timedelta(days=1): 1.0, day: 2.0}
        assert series.daily(tenancy.org_a, tenancy.a2, day, day) == {day: 0.0}
        drivers = series.drivers(tenancy.org_a, tenancy.a1, day)
        assert {"kind": "author", "label": "@lea", "url": "", "count": 2} in drivers
        assert drivers[0]["kind"] == "post" and drivers[0]["count"] == 1


def test_it_is_registered_for_spike_alerts():
    from analytics import spikes

    source = spikes._SOURCES[series.SERIES_KEY]
    assert isinstance(source, SeriesSource) and source.daily is series.daily
