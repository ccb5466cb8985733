"""Observations as the API returns them."""

from __future__ import annotations

from pydantic import BaseModel


class ObservationPublic(BaseModel):
    indicator: str
    region: str
    cluster: str | None
    period: str
    value: float | None
    status: str
    source: str
    synthetic: bool


class ObservationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ObservationPublic]


class FormIndicatorPublic(BaseModel):
    indicator: str
    min: float | None = None
    max: float | None = None
    unit: str | None = None  # the unit the form asks in, when not the indicator's own


class FormPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    period_type: str
    level: str
    disaggregation: str
    due_days: int
    expiry_days: int
    indicators: list[FormIndicatorPublic]


class ValueChangePublic(BaseModel):
    indicator: str
    region: str
    cluster: str | None
    period: str
    old_value: float | None
    new_value: float | None
    user: str | None
    changed_at: str
    reason: str
