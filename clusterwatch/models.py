"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from clusterwatch.accounts.models import LoginSession, User
from clusterwatch.db import Base
from clusterwatch.plans.models import Cluster, Document, Indicator, LayoutPlacement, Plan, StatedFigure, Target
from clusterwatch.plans.review.models import ExtractedItem, ExtractionRun
from clusterwatch.regions.models import Region, Zone
from clusterwatch.reporting.models import (
    DataSource,
    Form,
    FormIndicator,
    Observation,
    ObservationChange,
    ReturnEvent,
    ReturnRecord,
    ValidationRule,
)

metadata = Base.metadata

__all__ = [
    "Cluster",
    "DataSource",
    "ExtractedItem",
    "ExtractionRun",
    "Form",
    "FormIndicator",
    "LoginSession",
    "Document",
    "Indicator",
    "LayoutPlacement",
    "Observation",
    "ObservationChange",
    "Plan",
    "Region",
    "ReturnEvent",
    "ReturnRecord",
    "StatedFigure",
    "Target",
    "User",
    "ValidationRule",
    "Zone",
    "metadata",
]
