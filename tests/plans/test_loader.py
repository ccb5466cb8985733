"""Loading plans into the registry, on SQLite and PostgreSQL: whole, repeatable, or not at all."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.models import Cluster, LayoutPlacement, Plan, StatedFigure, Target
from clusterwatch.plans.planfile import PlanFileError, embedded_plan_path, parse_plan_text, read_plan_file
from clusterwatch.regions.models import Region


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_load_the_guangdong_plan(database):
    with transaction(database.sessions) as session:
        load_plan(session, read_plan_file(embedded_plan_path()))
    with database.sessions() as session:
        assert count(session, Plan) == 1
        assert count(session, Region) == 144
        assert count(session, LayoutPlacement) == 287
        assert count(session, Target) == 39
        tiers = dict(session.execute(select(LayoutPlacement.tier, func.count()).group_by(LayoutPlacement.tier)).all())
        assert sum(tiers.values()) == 287 and set(tiers) == {"core", "key", "general"}
        am = session.scalar(select(Target).where(Target.code == "advanced-materials-revenue"))
        assert am.value == 28000 and am.unit == "亿元" and am.document.code == "002" and am.source_line == 266
        # The baseline is the stated 2019 figure from the cluster's own action plan, with its citation.
        assert (am.baseline_figure.year, am.baseline_figure.value, am.baseline_figure.document.code) == (2019, 21540, "000")
        growth = session.scalar(select(Target).where(Target.code == "emerging-revenue-growth"))
        assert growth.cluster_group == "emerging" and growth.baseline_figure.value == 15000


def test_loading_twice_keeps_cluster_ids_and_changes_nothing_else(database):
    validated = read_plan_file(embedded_plan_path())
    with transaction(database.sessions) as session:
        load_plan(session, validated)
    with database.sessions() as session:
        ids = dict(session.execute(select(Cluster.slug, Cluster.id)).all())
    with transaction(database.sessions) as session:
        load_plan(session, validated)
    with database.sessions() as session:
        assert dict(session.execute(select(Cluster.slug, Cluster.id)).all()) == ids
        assert count(session, LayoutPlacement) == 287 and count(session, Target) == 39
        assert count(session, StatedFigure) == 8


def test_a_plan_that_drops_a_cluster_with_data_is_refused_and_nothing_changes(demo):
    database = demo
    data = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    data["clusters"] = [c for c in data["clusters"] if c["slug"] != "robotics"]
    data["targets"] = [t for t in data["targets"] if t["scope"].get("cluster") != "robotics"]
    for table in data["layout"]:
        table["rows"] = [row for row in table["rows"] if row["cluster"] != "智能机器人"]
        table["city_totals"] = {}
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    with database.sessions() as session:
        before = (count(session, Cluster), count(session, LayoutPlacement), count(session, Target))
    with pytest.raises(PlanFileError, match="cluster 'robotics' is no longer in the plan but has"):
        with transaction(database.sessions) as session:
            load_plan(session, parse_plan_text(raw))
    with database.sessions() as session:
        assert (count(session, Cluster), count(session, LayoutPlacement), count(session, Target)) == before


def test_regions_load_in_any_order(database):
    """Counties listed before their cities, cities before the province: parents are written first."""
    data = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    data["regions"].reverse()
    with transaction(database.sessions) as session:
        load_plan(session, parse_plan_text(yaml.safe_dump(data, allow_unicode=True).encode()))
    with database.sessions() as session:
        assert session.get(Region, "440103").parent_code == "440100"


def test_reloading_a_plan_keeps_its_forms_and_the_returns_on_them(database):
    """A reload updates forms by code and never deletes one: returns hang on them."""
    from clusterwatch.reporting.models import Form, ReturnRecord

    validated = read_plan_file(embedded_plan_path())
    with transaction(database.sessions) as session:
        plan = load_plan(session, validated)
        form = session.scalar(select(Form).where(Form.code == "cluster-annual"))
        session.add(ReturnRecord(form_id=form.id, region_code="440300", period="2025", status="draft",
                                 updated_at=plan.loaded_at))
        form_id = form.id
    with transaction(database.sessions) as session:
        load_plan(session, validated)
    with database.sessions() as session:
        assert session.scalar(select(Form.id).where(Form.code == "cluster-annual")) == form_id
        assert count(session, ReturnRecord) == 1
