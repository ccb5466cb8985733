"""A flagged value is imported, kept as a flag, and must be explained before its return is
submitted; re-importing the value replaces the flag; only a reporter for it may explain."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput, Message
from clusterwatch.reporting.exchange import check_rows, import_rows, rows_from_csv
from clusterwatch.reporting.flags import explain, flags_of
from clusterwatch.reporting.models import ValueFlag
from clusterwatch.reporting.queries import form_by_code
from clusterwatch.reporting.returns import import_return, make_template, read_return
from clusterwatch.reporting.workflow import completeness, transition
from tests.reporting.test_returns import ADMIN, filled

TODAY = dt.date(2026, 3, 1)
GUANGZHOU = "440100"
REPORTER = SimpleNamespace(role="reporter", region_code=GUANGZHOU, enterprise_uscc=None, id=None)


def upload(db, cells, user=ADMIN):
    """Guangzhou's 2025 annual return with some cells filled (the demo holds its history)."""
    with transaction(db.sessions) as session:
        plan = active_plan(session)
        content = make_template(session, plan, form_code="cluster-annual", unit_code=GUANGZHOU, period_key="2025", today=TODAY)
        result = read_return(session, plan, content=filled(content, cells), filename="gz.xlsx", user=user, today=TODAY)
        import_return(session, plan, result=result, user=user)
        return result


def flags(db):
    with db.sessions() as session:
        plan = active_plan(session)
        return flags_of(session, form_by_code(session, plan, "cluster-annual"), GUANGZHOU, "2025")


def submit(db, user=ADMIN):
    with transaction(db.sessions) as session:
        return transition(session, active_plan(session), form_code="cluster-annual", unit_code=GUANGZHOU, period="2025",
                          action="submit", user=user).status


def test_a_flagged_value_blocks_submission_until_explained(demo):
    result = upload(demo, {"B5": 99999})
    assert [w.cell for w in result.warnings] == ["B5"]
    [flag] = flags(demo)
    assert (flag["cell"], flag["indicator"], flag["cluster"], flag["kind"], flag["explanation"]) == (
        "B5", "revenue", "electronics", "outlier", None)
    with pytest.raises(BadInput, match=r"1 flagged value\(s\) need an explanation before the return is submitted: B5"):
        submit(demo)
    with demo.sessions() as session:
        status = completeness(session, active_plan(session), form_code="cluster-annual", period="2025", today=TODAY, user=ADMIN)
    assert next(u for u in status["units"] if u["unit"] == GUANGZHOU)["unexplained"] == 1
    for text, message in (("  ", "say why the value is right"), ("x" * 1001, "longer than 1000 characters")):
        with pytest.raises(BadInput, match=message), transaction(demo.sessions) as session:
            explain(session, flag_id=flag["id"], text=text, user=ADMIN)
    with transaction(demo.sessions) as session:
        explain(session, flag_id=flag["id"], text="新生产线三月投产", user=ADMIN)
    assert flags(demo)[0]["explanation"] == "新生产线三月投产"
    assert submit(demo) == "submitted"
    with pytest.raises(BadInput, match="the return is submitted"), transaction(demo.sessions) as session:
        explain(session, flag_id=flag["id"], text="changed my mind", user=ADMIN)


def test_reimporting_a_value_replaces_its_flag(demo):
    upload(demo, {"B5": 99999})
    upload(demo, {"B5": 99998})  # still far off: a new flag, unexplained, for the new value
    assert len(flags(demo)) == 1 and flags(demo)[0]["reason"].startswith("99998")
    upload(demo, {"B5": None})  # an empty cell keeps the value, and its flag
    with demo.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ValueFlag)) == 1


def test_only_a_reporter_for_the_unit_may_explain(demo):
    upload(demo, {"B5": 99999})
    flag_id = flags(demo)[0]["id"]
    shenzhen = SimpleNamespace(role="reporter", region_code="440300", enterprise_uscc=None, id=None)
    viewer = SimpleNamespace(role="viewer", region_code=None, enterprise_uscc=None, id=None)
    for user in (shenzhen, viewer, None):
        with pytest.raises(NotAllowed), transaction(demo.sessions) as session:
            explain(session, flag_id=flag_id, text="because", user=user)
    with transaction(demo.sessions) as session:
        explain(session, flag_id=flag_id, text="because", user=REPORTER)


OUTLIER = "{value} is far from this unit's own history (modified z-score {score}): check it, or explain it when submitting"


def test_a_flag_keeps_its_message_to_be_shown_in_any_language(demo):
    upload(demo, {"B5": 99999})
    [flag] = flags(demo)
    assert isinstance(flag["reason"], Message) and flag["reason"].id == OUTLIER
    assert flag["reason"].params["value"] == "99999" and flag["reason"].startswith("99999 is far from")
    with demo.sessions() as session:
        stored = session.scalar(select(ValueFlag))
        assert stored.reason == flag["reason"] and stored.message["reason"]["id"] == OUTLIER  # the English text too
        assert stored.message["cell"] == "B5"  # a cell as the sheet names it stays as it is
    # A flag stored before messages were kept is shown by its English text.
    with transaction(demo.sessions) as session:
        session.scalar(select(ValueFlag)).message = None
    [old] = flags(demo)
    assert (old["reason"], old["cell"]) == (flag["reason"], "B5") and not isinstance(old["reason"], Message)


def test_a_flag_of_a_row_import_names_its_line_in_words(demo):
    rows = rows_from_csv(b"unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,99999\n", "values.csv")[0]
    with transaction(demo.sessions) as session:
        plan = active_plan(session)
        result = check_rows(session, plan, form_code="cluster-annual", rows=rows, user=ADMIN, today=TODAY)
        import_rows(session, plan, result=result, user=ADMIN, reason="csv import")
    [flag] = flags(demo)
    assert flag["cell"] == "line 2, value" and flag["cell"].id == "line {n}, {column}" and flag["cell"].params == {
        "n": 2, "column": "value"}
    assert flag["reason"].id == OUTLIER
    with pytest.raises(BadInput) as refusal:
        submit(demo)
    # The refusal names the cell as a Message too, so that it is shown in the user's language.
    cells = refusal.value.message.params["cells"]
    assert refusal.value.message.endswith(": line 2, value") and cells.id == "line {n}, {column}"
