"""Review decisions on both engines: what may be changed, and nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Target
from clusterwatch.plans.planfile import PlanFileError, describe, embedded_plan_path, read_plan_file
from clusterwatch.plans.review.service import TARGET_FIELDS, decide_from_form, draft_plan, load_confirmed, review_item, run_items, vocabulary_from_db
from clusterwatch.problems import BadInput

DOC = ("广东省培育测试产业集群行动计划（2021—2025年）\n到2025年，智能机器人产业营业收入达到900亿元，力争培育龙头企业10家。\n"
       "2019年，智能机器人产业营业收入400亿元。\n")


@pytest.fixture
def run(demo, tmp_path):
    database = demo
    path = tmp_path / "robots.txt"
    path.write_text(DOC, encoding="utf-8")
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.plans.review.views import start_review

    with transaction(database.sessions) as session:
        return database, start_review(session, active_plan(session), [path]).id


def test_items_start_extracted_with_suggestions(run):
    database, run_id = run
    with database.sessions() as session:
        goals = run_items(session, run_id, "target")
        assert [g.status for g in goals] == ["extracted", "extracted"]
        assert goals[0].suggestion == {"scope": {"cluster": "robotics"}, "indicator": "revenue"}
        [baseline] = run_items(session, run_id, "baseline")
        assert baseline.data["year"] == 2019 and baseline.data["value"] == 400


def test_bad_decisions_are_named(run):
    database, run_id = run
    with transaction(database.sessions) as session:
        item = run_items(session, run_id, "target")[0]
        with pytest.raises(BadInput, match="status"):
            review_item(session, item_id=item.id, status="approved")
        with pytest.raises(BadInput) as info:
            review_item(session, item_id=item.id, status="edited", edits={"colour": "red"})
        assert info.value.field == "colour"
        assert info.value.message == "cannot be edited on a target (editable: " + ", ".join(sorted(TARGET_FIELDS)) + ")"
        assert info.value.message.params["kind"].id == "target"  # the kind is a word that translates
        with pytest.raises(BadInput, match="at least one change"):
            review_item(session, item_id=item.id, status="edited", edits={})
        with pytest.raises(BadInput) as info:
            decide_from_form(session, item_id=item.id, action="confirm", form={"year": "20x5"})
        assert info.value.field == "year"
        assert (info.value.message.id, info.value.message) == ("{raw} is not a year", "'20x5' is not a year")
        with pytest.raises(BadInput) as info:
            decide_from_form(session, item_id=item.id, action="confirm", form={"scope": "planet:mars"})
        assert info.value.field == "scope"
        with pytest.raises(NotFound):
            review_item(session, item_id=999999, status="confirmed")


def test_form_confirm_without_changes_is_confirmed_and_with_changes_is_edited(run):
    database, run_id = run
    with transaction(database.sessions) as session:
        first, second = run_items(session, run_id, "target")
        assert decide_from_form(session, item_id=first.id, action="confirm",
                                form={"scope": "cluster:robotics", "indicator": "revenue", "year": "2025"}).status == "confirmed"
        edited = decide_from_form(session, item_id=second.id, action="confirm", form={"value": "12", "code": "robot-leaders"})
        assert edited.status == "edited" and edited.edits == {"value": 12.0, "code": "robot-leaders"}
        assert edited.data["value"] == 10  # the extraction itself is kept as it was


def test_loading_a_review_that_cannot_be_a_plan_writes_nothing(run):
    database, run_id = run
    with database.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Target))
    with transaction(database.sessions) as session:
        # The count goal has no indicator in the plan: confirming it as it stands cannot load.
        goal = run_items(session, run_id, "target")[1]
        assert goal.suggestion["indicator"] is None
        review_item(session, item_id=goal.id, status="confirmed")
    with pytest.raises(PlanFileError) as info:
        with transaction(database.sessions) as session:
            from clusterwatch.plans.queries import active_plan

            load_confirmed(session, run_id=run_id, base=vocabulary_from_db(session, active_plan(session)), user=None,
                           reason="a test")
    assert any("indicator" in describe(p) for p in info.value.problems)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == before


def test_draft_uses_document_codes_and_keeps_the_citation(run):
    database, run_id = run
    base = read_plan_file(embedded_plan_path()).data
    with transaction(database.sessions) as session:
        goal = run_items(session, run_id, "target")[0]
        review_item(session, item_id=goal.id, status="confirmed")
        draft = draft_plan(session, run_id=run_id, base=base)
    assert draft["documents"] == [{"code": "robots", "file": "robots.txt", "title": "广东省培育测试产业集群行动计划（2021—2025年）"}]
    [target] = draft["targets"]
    assert target["source"] == {"document": "robots", "line": 2, "text": "到2025年，智能机器人产业营业收入达到900亿元"}
    assert (target["code"], target["scope"], target["value"]) == ("robotics-revenue-2025", {"cluster": "robotics"}, 900)
