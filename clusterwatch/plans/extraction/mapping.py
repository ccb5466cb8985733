"""Suggest how an extracted goal maps onto a plan's vocabulary: which cluster, which indicator.

The extractor names things as the documents do; a plan file needs codes. Suggestions come
from the base plan's own names (clusters by name, alias or spelling variant; indicators by
family, then by how much of the indicator's Chinese name the quoted sentence contains). A
reviewer confirms or corrects each one.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from clusterwatch.plans.extraction.reconcile import family
from clusterwatch.plans.extraction.scope import canonical, variants
from clusterwatch.plans.planfile import PlanFile

FAMILY_CODES = {"revenue": "revenue", "output": "gross_output", "value_added": "value_added"}
GROUPS = {"战略性支柱产业集群": "pillar", "战略性新兴产业集群": "emerging"}


class Vocabulary:
    def __init__(self, base: PlanFile):
        self.base = base
        self.clusters: dict[str, str] = {}
        for cluster in base.clusters:
            for name in [cluster.name_zh, *cluster.aliases]:
                for variant in variants(name):
                    self.clusters.setdefault(variant, cluster.slug)
        self.indicators = {i.code: i for i in base.indicators}

    def scope(self, scope: str) -> dict | None:
        """{} for the plan's region, {cluster: slug}, {cluster_group: kind}; None if unknown."""
        if scope in ("全省", "全市", ""):
            return {}
        if scope in GROUPS:
            return {"cluster_group": GROUPS[scope]}
        slug = self.clusters.get(canonical(scope)) or self.clusters.get(scope)
        return {"cluster": slug} if slug else None

    def indicator(self, item: dict, scope: dict | None = None) -> str | None:
        """The base indicator that fits the goal's unit and wording best.

        Revenue, output and value added by their family; a growth goal (年均增长) is a goal
        of its indicator's growth. Otherwise indicators of the same unit compete on how much
        of their Chinese name the quote (for a count: what it counts) contains; province-wide
        goals prefer province-only indicators, cluster goals those that add up.
        """
        unit = item["unit"]
        code = FAMILY_CODES.get(family(item.get("indicator") or ""))
        if code in self.indicators and (self.indicators[code].unit == unit or item.get("qualifier") == "年均增长"):
            return code
        same_unit = [i for i in self.indicators.values() if i.unit == unit]
        if len(same_unit) == 1 and unit not in ("%", "亿元", "个", "家", "件", "人"):
            return same_unit[0].code
        text = (item.get("counted") or item["source"]["text"]).replace(" ", "")
        province = scope == {}
        scored = []
        for candidate in same_unit:
            matcher = SequenceMatcher(None, candidate.name_zh, text)
            score = sum(block.size for block in matcher.get_matching_blocks()) / len(candidate.name_zh)
            fits_level = (candidate.aggregation == "none") == province
            scored.append((score >= 0.6, fits_level, round(score, 2), len(candidate.name_zh), candidate.code))
        best = max(scored, default=None)
        return best[4] if best and best[0] else None
