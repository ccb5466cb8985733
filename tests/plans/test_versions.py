"""Every load of a plan is kept, what it changes is counted first, and a version can be restored."""

from __future__ import annotations

import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from clusterwatch.cli import app
from clusterwatch.db import transaction
from clusterwatch.plans.loader import load_plan, restore_version
from clusterwatch.plans.models import PlanVersion, Target
from clusterwatch.plans.planfile import embedded_plan_path, parse_plan_text
from clusterwatch.plans.versions import plan_changes, plan_versions
from clusterwatch.reporting.models import ValidationRule

runner = CliRunner()


def without_targets() -> bytes:
    data = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    data["targets"] = data["targets"][:3]
    data["validation_rules"][0]["importance"] = "low"
    return yaml.safe_dump(data, allow_unicode=True).encode()


def test_the_same_file_again_changes_nothing(plan_db):
    with transaction(plan_db.sessions) as session:
        again = parse_plan_text(embedded_plan_path().read_bytes(), source="guangdong.yaml")
        assert all(counts == {"added": 0, "changed": 0, "removed": 0} for counts in plan_changes(session, again.data).values())
        load_plan(session, again, reason="再次载入")
        versions = plan_versions(session, "guangdong-2025")
    assert [(v["number"], v["reason"]) for v in versions] == [(2, "再次载入"), (1, None)]
    assert versions[1]["changes"]["targets"]["added"] == 39  # the first load added everything


def test_a_load_is_counted_kept_and_can_be_undone(plan_db):
    with transaction(plan_db.sessions) as session:
        smaller = parse_plan_text(without_targets(), source="smaller.yaml")
        changes = plan_changes(session, smaller.data)
        assert changes["targets"] == {"added": 0, "changed": 0, "removed": 36}
        assert changes["validation_rules"] == {"added": 0, "changed": 1, "removed": 0}
        load_plan(session, smaller, reason="只保留三项目标")
    with transaction(plan_db.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 3
        restore_version(session, "guangdong-2025", 1, user=None, reason="恢复原规划")
    with plan_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == 39
        assert session.scalar(select(ValidationRule.importance).order_by(ValidationRule.id).limit(1)) == "high"
        newest = session.scalar(select(PlanVersion).order_by(PlanVersion.number.desc()).limit(1))
        assert (newest.number, newest.source, newest.reason) == (3, "version 1 restored", "恢复原规划")
        assert newest.changes["targets"]["added"] == 36


def test_the_command_line_says_what_a_load_removes_and_asks_for_yes(tmp_path):
    db, smaller = tmp_path / "cw.db", tmp_path / "smaller.yaml"
    smaller.write_bytes(without_targets())
    assert runner.invoke(app, ["load-plan", str(embedded_plan_path()), "--db", str(db)]).exit_code == 0
    refused = runner.invoke(app, ["load-plan", str(smaller), "--db", str(db)])
    assert refused.exit_code == 1 and "targets: 0 added, 0 changed, 36 removed" in refused.output
    assert "--yes" in refused.output
    loaded = runner.invoke(app, ["load-plan", str(smaller), "--db", str(db), "--yes", "--reason", "只保留三项目标"])
    assert loaded.exit_code == 0 and "3 targets" in loaded.output
