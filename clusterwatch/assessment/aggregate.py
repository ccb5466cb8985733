"""Aggregate observations up the region tree and across clusters, by each indicator's rule.

- sum: a region's value is its own observation where one exists, else the sum of its
  children's values (so a city reported directly is not counted twice with its counties);
  across clusters, values add.
- ratio: scale × aggregate(numerator) / aggregate(denominator), never a mean of ratios.
- none: only the exact region and cluster reported; nothing is added up.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.plans.models import Indicator
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import Observation

# (region code, period), or (cluster id, region code, period) when asked per cluster.
Key = tuple


class Aggregator:
    """Reads the region tree once, and each indicator's rows once per call."""

    def __init__(self, session: Session):
        self.session = session
        self.indicators = {i.code: i for i in session.scalars(select(Indicator))}
        self.children: dict[str, list[str]] = defaultdict(list)
        for code, parent in session.execute(select(Region.code, Region.parent_code)):
            if parent:
                self.children[parent].append(code)

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
            kwargs = dict(regions=regions, clusters=clusters, period_type=period_type, periods=periods, by_cluster=by_cluster)
            num = self.values(indicator.numerator_code, **kwargs)
            den = self.values(indicator.denominator_code, **kwargs)
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
        query = select(Observation.cluster_id, Observation.region_code, Observation.period, Observation.value).where(
            Observation.indicator_code == code,
            Observation.period_type == period_type,
            Observation.value.is_not(None),
            Observation.approved.is_(True),
        )
        if clusters is None:
            query = query.where(Observation.cluster_id.is_(None))
        else:
            query = query.where(Observation.cluster_id.in_(clusters))
        if periods is not None:
            query = query.where(Observation.period.in_(periods))
        summed: dict[tuple, float] = defaultdict(float)
        for cluster, region, period, value in self.session.execute(query):
            summed[(cluster if by_cluster else None, region, period)] += value
        return summed

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
