"""What the monitoring pages and their JSON twins return (named by direction: *Public)."""

from __future__ import annotations

from pydantic import BaseModel

from clusterwatch.assessment.methods import Progress


class CitationPublic(BaseModel):
    document: str
    title: str
    number: str | None
    file: str
    line: int
    text: str


class BaselinePublic(BaseModel):
    year: int
    value: float
    unit: str
    citation: CitationPublic


class TargetPublic(BaseModel):
    code: str
    region: str
    cluster: str | None
    cluster_name_zh: str | None
    cluster_name_en: str | None
    cluster_group: str | None
    indicator: str
    indicator_name_zh: str
    indicator_name_en: str
    indicator_text: str | None
    measure: str
    base_year: int | None
    comparator: str
    value: float | None
    value_max: float | None
    unit: str
    year: int
    aspirational: bool
    headline: bool
    baseline: BaselinePublic | None
    citation: CitationPublic
    progress: Progress
    # The goal is the plan's; the progress is computed from these data, synthetic or not.
    data_synthetic: bool


class ClusterPublic(BaseModel):
    slug: str
    name_zh: str
    name_en: str
    kind: str
    order: int


class ClusterCardPublic(ClusterPublic):
    cities: int
    headline: TargetPublic | None


class LayoutPlacementPublic(BaseModel):
    cluster: str
    cluster_name_zh: str
    region: str
    region_name_zh: str
    region_name_en: str
    tier: str
    citation: CitationPublic


class RegionPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    zone: str | None
    zone_name_zh: str | None
    zone_name_en: str | None


class CityValuePublic(BaseModel):
    region: str
    name_zh: str
    name_en: str
    value: float | None
    tier: str | None = None


class PointPublic(BaseModel):
    period: str
    value: float


class DataNoticePublic(BaseModel):
    synthetic: bool
    zh: str
    en: str


class PlanPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    region: str
    horizon: int


class IndicatorPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    aggregation: str


class OverviewPublic(BaseModel):
    plan: PlanPublic
    data: DataNoticePublic
    year: int | None
    years: list[int]
    indicator: IndicatorPublic
    indicators: list[IndicatorPublic]
    cluster: ClusterPublic | None
    map: list[CityValuePublic]
    clusters: list[ClusterCardPublic]


class ClusterCityPublic(BaseModel):
    region: str
    name_zh: str
    name_en: str
    tier: str
    revenue: float | None
    share: float | None
    growth: float | None
    value_added: float | None
    rd_intensity: float | None
    employment: float | None


class ClusterDetailPublic(BaseModel):
    plan: PlanPublic
    data: DataNoticePublic
    cluster: ClusterPublic
    year: int | None
    years: list[int]
    headline: TargetPublic | None
    targets: list[TargetPublic]
    indicator: IndicatorPublic
    series: list[PointPublic]
    monthly: list[PointPublic]
    cities: list[ClusterCityPublic]


class CityClusterPublic(BaseModel):
    cluster: ClusterPublic
    tier: str
    revenue: float | None
    growth: float | None
    value_added: float | None
    rd_intensity: float | None
    employment: float | None
    share_of_province: float | None


class CityDetailPublic(BaseModel):
    plan: PlanPublic
    data: DataNoticePublic
    region: RegionPublic
    year: int | None
    years: list[int]
    clusters: list[CityClusterPublic]
    total_revenue: float | None
