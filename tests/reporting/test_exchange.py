"""Values as rows: CSV, SDMX-CSV 2.0 and JSON, checked like a template's cells, named by line,
grouped into returns, imported whole or not at all."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput, Message
from clusterwatch.reporting.exchange import check_rows, import_rows, rows_from_csv, rows_from_json
from clusterwatch.reporting.models import Observation, ObservationChange

TODAY = dt.date(2026, 3, 1)
ADMIN = SimpleNamespace(role="province_admin", region_code=None, enterprise_uscc=None, id=None)
GZ_REPORTER = SimpleNamespace(role="reporter", region_code="440100", enterprise_uscc=None, id=None)
GOOD_CSV = """unit,period,indicator,cluster,value,status
440100,2025,revenue,electronics,8100.5,A
440100,2025,rd_spending,electronics,250,
440300,2025,revenue,electronics,"24,800",P
"""
SDMX = """STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,CLUSTER,TIME_PERIOD,OBS_VALUE,OBS_STATUS
dataflow,CW:PROVINCE_ANNUAL(1.0),I,440000,mfg_va_gdp_share,_Z,2025,33.1,E
dataflow,CW:PROVINCE_ANNUAL(1.0),I,440000,lighthouse_factories,_Z,2025,12,
"""


def dry_run(db, rows, form="cluster-annual", user=ADMIN):
    with db.sessions() as session:
        return check_rows(session, active_plan(session), form_code=form, rows=rows, user=user, today=TODAY)


def csv_rows(text, encoding="utf-8"):
    return rows_from_csv(text.encode(encoding), "values.csv")[0]


def errors(result):
    return {e["cell"]: e["reason"] for e in result.summary()["errors"]}


def test_csv_rows_become_returns_and_import_whole(demo):
    result = dry_run(demo, csv_rows(GOOD_CSV))
    summary = result.summary()
    assert not result.has_errors and [(r["unit"], r["created"] + r["updated"]) for r in summary["returns"]] == [("440100", 2), ("440300", 1)]
    before = _count(demo, ObservationChange)
    with transaction(demo.sessions) as session:
        import_rows(session, active_plan(session), result=result, user=ADMIN, reason="csv import")
    assert _count(demo, ObservationChange) == before + 3
    with demo.sessions() as session:
        stored = session.execute(select(Observation.value, Observation.status).where(
            Observation.region_code == "440300", Observation.indicator_code == "revenue", Observation.period == "2025",
            Observation.cluster_id.is_not(None), Observation.value == 24800)).all()
    assert stored == [(24800.0, "P")]


def test_sdmx_csv_with_not_applicable_cluster_and_status(demo):
    rows, kind = rows_from_csv(SDMX.encode(), "sdmx.csv")
    result = dry_run(demo, rows, form="province-annual")
    assert kind == "sdmx-csv" and not result.has_errors and result.summary()["returns"][0]["unit"] == "440000"
    with transaction(demo.sessions) as session:
        import_rows(session, active_plan(session), result=result, user=ADMIN, reason="sdmx-csv import")
    with demo.sessions() as session:
        assert session.execute(select(Observation.value, Observation.status).where(
            Observation.indicator_code == "mfg_va_gdp_share", Observation.period == "2025", Observation.region_code == "440000")).one() == (33.1, "E")


def test_gb18030_csv_from_a_chinese_excel_is_read(demo):
    text = "unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,8100\n"
    assert not dry_run(demo, csv_rows(text, encoding="gb18030")).has_errors


@pytest.mark.parametrize(("text", "cell", "message"), [
    ("unit,period,indicator,cluster,value\n440100,2025,profit,electronics,1\n", "line 2, value", "'profit' is not an indicator of form cluster-annual"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue,lasers,1\n", "line 2, value", "cluster 'lasers' is not laid out in 广州市"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue,,1\n", "line 2, value", "reported by cluster: say which"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,1\n440100,2025,revenue,electronics,2\n",
     "line 3, value", "also given at line 2, value"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,一百\n", "line 2, value", "'一百' is not a number"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,-5\n", "line 2, value", "below the lowest plausible value 0"),
    ("unit,period,indicator,cluster,value\n440106,2025,revenue,electronics,1\n", "line 2, unit",
     "天河区 is a county; form cluster-annual is reported by each city"),
    ("unit,period,indicator,cluster,value\n449999,2025,revenue,electronics,1\n", "line 2, unit", "no region '449999'"),
    ("unit,period,indicator,cluster,value\n440100,2026,revenue,electronics,1\n", "line 2, period", "2026 has not ended yet"),
    ("unit,period,indicator,cluster,value\n440100,2025-03,revenue,electronics,1\n", "line 2, period", "reported per year, not 2025-03"),
    ("unit,period,indicator,cluster,value,status\n440100,2025,revenue,electronics,1,X\n", "line 2, value", "'X' is not an observation status"),
    ("unit,period,indicator,cluster,value\n440100,,revenue,electronics,1\n", "line 2, period", "the period is missing"),
    ("unit,period,indicator,cluster,value\n440100,2025,rd_spending,electronics,99999999\n", "line 2, value", "rd_spending <= revenue fails"),
])
def test_bad_rows_are_named_by_line_and_column(demo, text, cell, message):
    result = dry_run(demo, csv_rows(text))
    assert message in errors(result)[cell], errors(result)
    with pytest.raises(BadInput, match="nothing was imported"), transaction(demo.sessions) as session:
        import_rows(session, active_plan(session), result=result, user=ADMIN, reason="csv import")


def test_one_bad_return_stops_the_good_ones_too(demo):
    text = GOOD_CSV + "440500,2025,revenue,electronics,abc,\n"
    result = dry_run(demo, csv_rows(text))
    assert list(errors(result)) == ["line 5, value"]
    before = _count(demo, ObservationChange)
    with pytest.raises(BadInput), transaction(demo.sessions) as session:
        import_rows(session, active_plan(session), result=result, user=ADMIN, reason="csv import")
    assert _count(demo, ObservationChange) == before


def test_a_reporter_cannot_slip_another_citys_rows_in(demo):
    result = dry_run(demo, csv_rows(GOOD_CSV), user=GZ_REPORTER)
    assert errors(result) == {"line 4, unit": "you may not report for 深圳市 (440300)"}


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("unit,period,value\n", "the header lacks indicator"),
    ("unit,period,indicator,cluster,value,note\n", "'note' is not a column"),
    ("unit,period,indicator,cluster,value\n440100,2025,revenue\n", "line 2: 3 fields where the header has 5"),
    ("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD\n", "OBS_VALUE is missing"),
    ("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,INDICATOR,OBS_VALUE,COMMENT\n", "'COMMENT' is not a dimension or attribute"),
])
def test_files_that_cannot_be_read_as_rows(text, message):
    with pytest.raises(BadInput, match=message):
        rows_from_csv(text.encode(), "values.csv")


def test_sdmx_rows_of_another_dataflow_or_a_deletion(demo):
    text = SDMX.replace("PROVINCE_ANNUAL", "CLUSTER_ANNUAL", 1).replace(",I,440000,lighthouse", ",D,440000,lighthouse")
    found = errors(dry_run(demo, rows_from_csv(text.encode(), "sdmx.csv")[0], form="province-annual"))
    assert "is not this form's dataflow: write CW:PROVINCE_ANNUAL(1.0)" in found["line 2, STRUCTURE_ID"]
    assert "values are not deleted by import" in found["line 3, ACTION"]


def test_json_rows(demo):
    result = dry_run(demo, rows_from_json([{"unit": "440100", "period": "2025", "indicator": "revenue",
                                            "cluster": "electronics", "value": 8100}]))
    assert not result.has_errors and result.summary()["created"] + result.summary()["updated"] == 1
    with pytest.raises(BadInput, match=r"values\[0\].note"):
        rows_from_json([{"unit": "440100", "note": "x"}])
    with pytest.raises(BadInput, match="a list of"):
        rows_from_json({"unit": "440100"})


def test_returns_of_firms_come_as_the_template(demo):
    with pytest.raises(BadInput, match="come as the form's Excel template"):
        dry_run(demo, csv_rows(GOOD_CSV), form="enterprise-annual")


def _count(db, model):
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_stated_unit_is_converted_and_a_wrong_one_refused(demo):
    text = ("unit,period,indicator,cluster,value,unit_measure\n"
            "440100,2025,revenue,electronics,81000000,万元\n"   # 8100 亿元, stated in 万元
            "440100,2025,rd_spending,electronics,250,吨\n")
    result = dry_run(demo, csv_rows(text))
    assert errors(result) == {"line 3, value": "研发经费支出 is in 亿元: 吨 cannot be converted to 亿元"}
    [value] = [v for v in result.returns[0].values if v["indicator"] == "revenue"]
    assert value["value"] == 8100.0
    sdmx = SDMX.replace("OBS_STATUS", "OBS_STATUS,UNIT_MEASURE").replace(",33.1,E", ",33.1,E,%").replace(",12,\n", ",12,,家\n")
    assert not dry_run(demo, rows_from_csv(sdmx.encode(), "sdmx.csv")[0], form="province-annual").has_errors


def test_text_that_is_neither_utf8_nor_gb18030_is_refused():
    with pytest.raises(BadInput, match="neither UTF-8 nor GB18030 text"):
        rows_from_csv(b"unit,period\n\xff\xfe\xff\n", "values.csv")


def test_too_many_rows_are_refused(monkeypatch):
    import clusterwatch.reporting.exchange as exchange

    monkeypatch.setattr(exchange, "MAX_ROWS", 2)
    text = "unit,period,indicator,cluster,value\n" + "440100,2025,revenue,electronics,1\n" * 3
    with pytest.raises(BadInput, match="more than 2 rows; split the file"):
        rows_from_csv(text.encode(), "values.csv")
    with pytest.raises(BadInput, match="more than 2 values; send them in parts"):
        rows_from_json([{"unit": "440100"}] * 3)


def test_a_line_is_named_in_words_and_a_json_item_by_its_path(demo):
    [line] = dry_run(demo, csv_rows("unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,abc\n")).errors
    assert line.cell == "line 2, value" and line.cell.id == "line {n}, {column}" and line.row == 2
    assert line.message.id == "{value} is not a number (write the figure in {unit}, without units or text)"
    [item] = dry_run(demo, rows_from_json([{"unit": "440100", "period": "", "indicator": "revenue", "value": 1}])).errors
    assert item.cell == "values[0], period" and not isinstance(item.cell, Message)
    assert item.message.id == "the {field} is missing" and item.message.params["field"].id == "period"
