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

Key = tuple[str, str]  # (region code, period)


class Aggregator:
    """Reads observations and the region tree once per request."""

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
    ) -> dict[Key, float]:
        """{(region, period): value} for each region asked for.

        `clusters` None means figures not specific to a cluster (province-wide indicators);
        a list means the sum over those clusters.
        """
        indicator = self.indicators[indicator_code]
        if indicator.aggregation == "ratio":
            num = self.values(indicator.numerator_code, regions=regions, clusters=clusters, period_type=period_type, periods=periods)
            den = self.values(indicator.denominator_code, regions=regions, clusters=clusters, period_type=period_type, periods=periods)
            return {k: round(indicator.scale * num[k] / den[k], 9) for k in num if den.get(k)}
        rows = self._rows(indicator_code, clusters, period_type, periods)
        if indicator.aggregation == "none":
            if clusters is not None and len(clusters) != 1:
                return {}
            return {(r, p): round(v, 9) for (r, p), v in rows.items() if r in regions}
        # Float addition leaves noise in the last bits (21540.000000000004); the stored
        # values have at most a few decimals, so nine are plenty.
        return {k: round(v, 9) for region in regions for k, v in self._rolled_up(region, rows).items()}

    def _rows(self, code: str, clusters: list[int] | None, period_type: str, periods: list[str] | None) -> dict[Key, float]:
        query = select(Observation.region_code, Observation.period, Observation.value).where(
            Observation.indicator_code == code,
            Observation.period_type == period_type,
            Observation.value.is_not(None),
        )
        if clusters is None:
            query = query.where(Observation.cluster_id.is_(None))
        else:
            query = query.where(Observation.cluster_id.in_(clusters))
        if periods is not None:
            query = query.where(Observation.period.in_(periods))
        summed: dict[Key, float] = defaultdict(float)
        for region, period, value in self.session.execute(query):
            summed[(region, period)] += value
        return summed

    def _rolled_up(self, region: str, rows: dict[Key, float]) -> dict[Key, float]:
        own = {p: v for (r, p), v in rows.items() if r == region}
        below: dict[str, float] = defaultdict(float)
        for child in self.children.get(region, []):
            for (_, period), value in self._rolled_up(child, rows).items():
                below[period] += value
        result = dict(below)
        result.update(own)
        return {(region, p): v for p, v in result.items()}

    def series(self, indicator_code: str, *, region: str, clusters: list[int] | None, period_type: str = "A") -> dict[str, float]:
        """{period: value} for one region, oldest first."""
        values = self.values(indicator_code, regions=[region], clusters=clusters, period_type=period_type)
        return {p: values[(region, p)] for (_, p) in sorted(values)}
