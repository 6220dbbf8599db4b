"""``Formatter`` (analytics/templatetags/analytics.py) writes numbers and dates itself, with the
separators looked up once per table: it must give exactly Django's text in both languages."""

import datetime as dt
import random
import zoneinfo

import pytest
from django.utils import dateformat, formats, translation

from analytics.queries.results import Delta
from analytics.templatetags.analytics import Formatter, change, metric, percent

NUMBERS = [0, 1, -1, 7, 999, 1000, -1000, 1234567, 10**12, 0.0, -0.04, 0.05, 0.25, 1.5, 2.675, 1234.56, -98765.4321]


def _numbers():
    rng = random.Random(5)
    return NUMBERS + [rng.randint(-(10**9), 10**9) for _ in range(200)] + [rng.uniform(-1e7, 1e7) for _ in range(200)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_formats_numbers_as_django_does(language):
    with translation.override(language):
        f = Formatter()
        for value in _numbers():
            if isinstance(value, float) and not value.is_integer():
                expected = formats.number_format(round(value, 1), 1, use_l10n=True, force_grouping=True)
            else:
                expected = formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)
            assert f.number(value) == expected == metric(value), value
            ratio = value / 10**6
            assert f.percent(ratio) == f"{formats.number_format(round(ratio * 100, 2), 2, use_l10n=True)} %"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_formats_dates_as_django_does(language):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    moments = [dt.datetime(2026, 1, 2, 3, 4, tzinfo=paris), dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC)]
    with translation.override(language):
        f = Formatter()
        for name in ("SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT"):
            for moment in moments:
                value = moment if "TIME" in name else moment.date()
                assert f.date(value, name) == dateformat.format(value, formats.get_format(name)), (name, value)
        assert f.cell(dt.date(2026, 11, 7)) == formats.date_format(dt.date(2026, 11, 7), "SHORT_DATE_FORMAT")


def test_it_writes_changes_in_french():
    with translation.override("fr"):
        html = str(change(Delta.of(12350, 10000)))
        assert "+2\xa0350 (+23,5 %)" in html and "change-up" in html
        assert "+1,50 pts" in str(change(Delta.of(0.035, 0.02), rate=True))
        assert "change-none" in str(change(None))
        assert percent(0.0523) == "5,23 %"
        assert 'class="na"' in str(metric(None))


def test_it_escapes_text_cells():
    assert Formatter().cell("<b>#sport</b>") == "&lt;b&gt;#sport&lt;/b&gt;"
