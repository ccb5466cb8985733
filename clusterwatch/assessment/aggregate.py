"""Aggregate observations up the region tree and across clusters, by each indicator's rule.

- sum: a region's value is its own observation where one exists, else the sum of its
  children's values (so a city reported directly is not counted twice with its counties);
  across clusters, values add.
- ratio: scale × aggregate(numerator) / aggregate(denominator), never a mean of ratios.
- none: only the exact region and cluster reported; nothing is added up.
- flow indicators (revenue, value added: months add up to the year): a quarter not reported
  is the sum of its three months; a year with no annual figure stored is the sum of its
  twelve; in both cases only when every month is there.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db import driver_rows
from clusterwatch.plans.models import Indicator
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import Observation

# (region code, period), or (cluster id, region code, period) when asked per cluster.
Key = tuple
# Months that make up a quarter and a year, for flow indicators reported monthly.
MONTHS_IN = {"Q": 3, "A": 12}


class Aggregator:
    """Reads the region tree once, and each indicator's approved rows of a period type once.

    An Aggregator is made per request or per assessment run, so its cache never outlives the
    data it read (an approval between two runs is seen by the next).
    """

    def __init__(self, session: Session):
        self.session = session
        self._stored: dict[tuple[str, str], dict] = {}
        self._remembered: dict[str, object] = {}
        self.indicators = {i.code: i for i in session.scalars(select(Indicator))}
        self.children: dict[str, list[str]] = defaultdict(list)
        for code, parent in session.execute(select(Region.code, Region.parent_code)):
            if parent:
                self.children[parent].append(code)

    def remember(self, name: str, load):
        """A fact about the data (the years it covers, whether it is synthetic), read once
        per Aggregator like the rows themselves."""
        if name not in self._remembered:
            self._remembered[name] = load()
        return self._remembered[name]

    def values(
        self,
        indicator_code: str,
        *,
        regions: list[str],
        clusters: list[int] | None,
        period_type: str = "A",
        periods: list[str] | None = None,
        by_cluster: bool = False,
    ) -> dict[Key, float]:
        """{(region, period): value} for each region asked for.

        `clusters` None means figures not specific to a cluster (province-wide indicators);
        a list means the sum over those clusters, or each of them with `by_cluster`, keyed
        (cluster, region, period).
        """
        indicator: Indicator = self.indicators[indicator_code]
        if indicator.aggregation == "ratio":
            # A ratio indicator names both parts: the plan file is checked for them when read.
            assert indicator.numerator_code is not None and indicator.denominator_code is not None

            def part(code: str) -> dict[Key, float]:
                return self.values(code, regions=regions, clusters=clusters, period_type=period_type, periods=periods, by_cluster=by_cluster)

            num = part(indicator.numerator_code)
            den = part(indicator.denominator_code)
            return {k: round(indicator.scale * num[k] / den[k], 9) for k in num if den.get(k)}
        rows = self._rows(indicator_code, clusters, period_type, periods, by_cluster)
        if indicator.aggregation == "none":
            if clusters is not None and len(clusters) != 1 and not by_cluster:
                return {}
            wanted = set(regions)
            return {self._key(g, r, p, by_cluster): round(v, 9) for (g, r, p), v in rows.items() if r in wanted}
        by_region: dict[str, dict[tuple, float]] = defaultdict(dict)
        for (group, region, period), value in rows.items():
            by_region[region][(group, period)] = value
        result = {}
        for region in regions:
            for (group, period), value in self._rolled_up(region, by_region).items():
                # Float addition leaves noise in the last bits (21540.000000000004); the
                # stored values have at most a few decimals, so nine are plenty.
                result[self._key(group, region, period, by_cluster)] = round(value, 9)
        return result

    @staticmethod
    def _key(group, region: str, period: str, by_cluster: bool) -> Key:
        return (group, region, period) if by_cluster else (region, period)

    def _rows(self, code: str, clusters: list[int] | None, period_type: str, periods: list[str] | None,
              by_cluster: bool) -> dict[tuple, float]:
        """{(cluster or None, region, period): summed value} as stored."""
        stored = self._stored_rows(code, period_type)
        summed: dict[tuple, float] = defaultdict(float)
        for cluster in (None,) if clusters is None else set(clusters):
            by_period = stored.get(cluster)
            if not by_period:
                continue
            group = cluster if by_cluster else None
            # A period asked for twice must not be counted twice.
            for period in by_period if periods is None else dict.fromkeys(periods):
                for region, value in by_period.get(period, ()):
                    summed[(group, region, period)] += value
        return summed

    def _stored_rows(self, code: str, period_type: str) -> dict:
        """{cluster: {period: [(region, value)]}} of one indicator and period type: read in one
        query the first time it is asked for, and indexed so that a call touches only the
        clusters and periods it asks for."""
        key = (code, period_type)
        if key not in self._stored:
            self._stored[key] = self._read(code, period_type)
            indicator = self.indicators.get(code)
            if period_type in MONTHS_IN and indicator is not None and indicator.flow:
                self._add_from_months(code, period_type)
        return self._stored[key]

    def _read(self, code: str, period_type: str, years: set[int] | None = None) -> dict:
        query = select(Observation.cluster_id, Observation.region_code, Observation.period, Observation.value).where(
            Observation.indicator_code == code,
            Observation.period_type == period_type,
            Observation.value.is_not(None),
            Observation.approved.is_(True),
        )
        if years is not None:
            query = query.where(Observation.year.in_(sorted(years)))
        indexed: dict = {}
        for cluster, region, period, value in driver_rows(self.session.connection(), query):
            indexed.setdefault(cluster, {}).setdefault(period, []).append((region, value))
        return indexed

    def _add_from_months(self, code: str, period_type: str) -> None:
        """Quarters and years of a flow indicator summed from its months, where every month of
        the period is there. A quarter reported for a region and cluster wins over its months;
        a year is summed from months only when no annual figure of that year is stored for the
        indicator at all (the months of a year already reported are not read)."""
        stored = self._stored[(code, period_type)]
        if period_type == "A":
            reported = {int(p) for by_period in stored.values() for p in by_period}
            monthly_years = set(self.session.scalars(select(Observation.year).distinct().where(
                Observation.indicator_code == code, Observation.period_type == "M", Observation.approved.is_(True))))
            if not monthly_years - reported:
                return
            months = self._read(code, "M", years=monthly_years - reported)
        else:
            months = self._stored_rows(code, "M")
        needed = MONTHS_IN[period_type]
        sums: dict[tuple, list] = {}
        for cluster, by_period in months.items():
            for month, entries in by_period.items():
                year, number = month.split("-")
                period = year if period_type == "A" else f"{year}-Q{(int(number) - 1) // 3 + 1}"
                for region, value in entries:
                    total = sums.setdefault((cluster, region, period), [0.0, 0])
                    total[0] += value
                    total[1] += 1
        for (cluster, region, period), (value, count) in sums.items():
            if count != needed:
                continue
            entries = stored.setdefault(cluster, {}).setdefault(period, [])
            if all(r != region for r, _ in entries):
                entries.append((region, value))

    def _rolled_up(self, region: str, by_region: dict[str, dict[tuple, float]]) -> dict[tuple, float]:
        """{(group, period): value} for one region: its own rows, else its children's sum."""
        below: dict[tuple, float] = defaultdict(float)
        for child in self.children.get(region, []):
            for key, value in self._rolled_up(child, by_region).items():
                below[key] += value
        below.update(by_region.get(region, {}))
        return below

    def series(self, indicator_code: str, *, region: str, clusters: list[int] | None, period_type: str = "A") -> dict[str, float]:
        """{period: value} for one region, oldest first."""
        values = self.values(indicator_code, regions=[region], clusters=clusters, period_type=period_type)
        return {p: values[(region, p)] for (_, p) in sorted(values)}
