"""Observations: one value per indicator, region, cluster and period, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from clusterwatch.db import transaction
from clusterwatch.plans.models import Indicator
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import DataSource, Observation
from clusterwatch.reporting.periods import Period


def test_a_province_wide_figure_cannot_be_stored_twice(database):
    with transaction(database.sessions) as s:
        s.add(Region(code="990000", name_zh="省", name_en="P", level="province"))
        s.add(Indicator(code="share", name_zh="比重", name_en="Share", unit="%", direction="higher", aggregation="none"))
        s.add(DataSource(code="t", name_zh="t", name_en="t", synthetic=True, created_at=dt.datetime.now(dt.UTC)))
    with transaction(database.sessions) as s:
        source = s.query(DataSource).one()
        s.add(Observation(indicator_code="share", region_code="990000", period="2024", period_type="A", year=2024,
                          value=30.0, source_id=source.id))
    # NULL cluster ids are distinct in a plain unique constraint; the partial index catches it.
    with pytest.raises(IntegrityError):
        with transaction(database.sessions) as s:
            s.add(Observation(indicator_code="share", region_code="990000", period="2024", period_type="A", year=2024,
                              value=31.0, source_id=source.id))


@pytest.mark.parametrize(("key", "kind", "year", "index"), [("2025", "A", 2025, 1), ("2025-Q3", "Q", 2025, 3), ("2025-03", "M", 2025, 3)])
def test_sdmx_period_keys(key, kind, year, index):
    period = Period.parse(key)
    assert (period.type, period.year, period.index) == (kind, year, index)


@pytest.mark.parametrize("key", ["2025-13", "2025Q1", "25", "2025-Q5", ""])
def test_bad_period_keys_say_what_is_expected(key):
    with pytest.raises(ValueError, match="write 2025, 2025-Q1 or 2025-03"):
        Period.parse(key)


def test_period_bounds_due_dates_and_expiry():
    import datetime as dt

    q = Period.parse("2024-Q1")
    assert (q.first_day, q.last_day) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert Period.parse("2024-02").last_day == dt.date(2024, 2, 29)  # a leap year
    assert Period.parse("2025").due(30) == dt.date(2026, 1, 30)
    march = Period.parse("2025-03")
    assert march.due(10) == dt.date(2025, 4, 10)
    assert not march.is_open(dt.date(2025, 3, 31), 30)  # the month has not ended
    assert march.is_open(dt.date(2025, 4, 1), 30) and march.is_open(dt.date(2025, 4, 30), 30)
    assert not march.is_open(dt.date(2025, 5, 1), 30)  # expired: locked unless reopened


def test_all_periods_of_a_year():
    assert [p.key for p in Period.all_of("Q", 2025)] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert len(Period.all_of("M", 2025)) == 12 and Period.all_of("A", 2025)[0].key == "2025"
    with pytest.raises(ValueError, match="not a period type"):
        Period.all_of("W", 2025)
