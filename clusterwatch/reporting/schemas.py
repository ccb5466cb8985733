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
