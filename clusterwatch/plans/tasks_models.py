"""Tasks and major projects of a plan, with their departments, and the updates reported on them.

A task is a plan fact (cited like a goal) and is loaded with the plan; its updates are what
the departments report over the years, so a plan reload updates a task by its code and never
deletes one (docs/plan-format.md).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterwatch.plans.models import Cluster, Document
from clusterwatch.tables import Base

TASK_KINDS = ("task", "project")
TASK_STATUSES = ("not_started", "in_progress", "done", "delayed")


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("kind IN ('task', 'project')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default="task")
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[dt.date] = mapped_column(Date)
    # A task outlives the document it was cited from being dropped from a reloaded plan: its
    # updates are reported data (SET NULL, never CASCADE).
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), default=None)
    source_line: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)

    cluster: Mapped[Cluster | None] = relationship(lazy="joined")
    document: Mapped[Document | None] = relationship(lazy="joined")
    departments: Mapped[list[TaskDepartment]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="TaskDepartment.position")


class TaskDepartment(Base):
    """A department named for a task: the lead (牵头) or a co-operating one (按职责分工负责)."""

    __tablename__ = "task_departments"
    __table_args__ = (
        UniqueConstraint("task_id", "department"),
        CheckConstraint("role IN ('lead', 'cooperating')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer, default=0)


class TaskUpdate(Base):
    """A department's report on a task: its status, what was done, and the evidence."""

    __tablename__ = "task_updates"
    __table_args__ = (
        CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'delayed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text, default=None)
    department: Mapped[str | None] = mapped_column(String(100), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Demo updates are made up and say so.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
