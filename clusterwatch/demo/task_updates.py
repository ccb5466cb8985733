"""Synthetic reports on the plan's tasks for the demo, marked synthetic wherever shown.

Each task gets one to three seeded updates from its lead department between 2021 and 2025,
ending done (45%), in progress (35%), delayed (10%) or not started (10%): a plausible mix for
the end of a plan period, so that the tasks page shows what it is for. Every note says it is
made up.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clusterwatch.plans.tasks_models import Task, TaskUpdate

ENDINGS = [("done", 0.45), ("in_progress", 0.35), ("delayed", 0.10), ("not_started", 0.10)]
NOTE = {"in_progress": "演示数据（合成）：已部署推进，正在实施。", "done": "演示数据（合成）：已按计划完成。",
        "delayed": "演示数据（合成）：进度滞后，原因待说明。", "not_started": "演示数据（合成）：尚未启动。"}


def generate_task_updates(session: Session, plan, *, seed: int = 2020) -> int:
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)))
    ids = [t.id for t in tasks]
    if ids:
        session.execute(delete(TaskUpdate).where(TaskUpdate.task_id.in_(ids), TaskUpdate.synthetic.is_(True)))
    made = 0
    for task in tasks:
        rng = random.Random(f"{seed}:task:{task.code}")
        ending = rng.choices([s for s, _ in ENDINGS], weights=[w for _, w in ENDINGS])[0]
        path = {"done": ["in_progress", "done"], "in_progress": ["in_progress"], "delayed": ["in_progress", "delayed"],
                "not_started": ["not_started"]}[ending]
        lead = next((d.department for d in task.departments if d.role == "lead"), None)
        day = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(0, 500))
        for status in path:
            session.add(TaskUpdate(task_id=task.id, status=status, note=NOTE[status], department=lead,
                                   evidence="演示佐证材料（合成）" if status == "done" else None,
                                   created_at=day, synthetic=True))
            day += dt.timedelta(days=rng.randint(90, 600))
            made += 1
    session.flush()
    return made
