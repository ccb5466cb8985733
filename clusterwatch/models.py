"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from clusterwatch.accounts.models import LoginSession, SignInAttempt, User
from clusterwatch.audit.models import AuditEntry
from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster, ListMembership
from clusterwatch.plans.models import Cluster, Document, Indicator, LayoutPlacement, Plan, PlanVersion, StatedFigure, Target
from clusterwatch.plans.review.models import ExtractedItem, ExtractionRun
from clusterwatch.plans.tasks_models import Task, TaskDepartment, TaskUpdate
from clusterwatch.regions.models import Region, Zone
from clusterwatch.reporting.models import (
    DataSource,
    EnterpriseValueChange,
    EnterpriseValues,
    Form,
    FormIndicator,
    ImportBatch,
    Observation,
    ObservationChange,
    ReturnEvent,
    ReturnRecord,
    ValidationRule,
    ValueFlag,
)
from clusterwatch.tables import Base

metadata = Base.metadata

__all__ = [
    "AuditEntry",
    "Cluster",
    "DataSource",
    "Enterprise",
    "EnterpriseCluster",
    "EnterpriseValueChange",
    "EnterpriseValues",
    "EvaluationResult",
    "EvaluationRun",
    "EvaluationScheme",
    "ExtractedItem",
    "ExtractionRun",
    "Form",
    "FormIndicator",
    "ImportBatch",
    "ListMembership",
    "LoginSession",
    "Document",
    "Indicator",
    "LayoutPlacement",
    "Observation",
    "ObservationChange",
    "Plan",
    "PlanVersion",
    "Region",
    "SignInAttempt",
    "ReturnEvent",
    "ReturnRecord",
    "StatedFigure",
    "Task",
    "TaskDepartment",
    "TaskUpdate",
    "Target",
    "User",
    "ValidationRule",
    "ValueFlag",
    "Zone",
    "metadata",
]
