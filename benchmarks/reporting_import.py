"""Benchmark: importing a province-wide return of firms (60,000 enterprises × 30 indicators).

Set-up (not timed): a SQLite database with the Guangdong plan, a synthetic register of 60,000
firms, a monthly form of 30 indicators (a 工业企业主要经济指标月报 of the usual kind), the twelve
earlier months stored for every firm (the outlier check reads a firm's last 12 returns), and
the month's return as an .xlsx file in the template's layout. Each firm's months are its own
level × a seasonal factor × 3% noise, so a few values in a hundred are flagged, as in life.

Project: clusterwatch's own path, `read_return` (every check: codes against the register,
numbers, units, bounds, validation rules, modified z-scores against each firm's history) and
`import_return` (values, batch, return records), committed.

Baseline: the same checks and the same rows stored, written the straightforward way with
pandas (`read_excel` with openpyxl, `to_numeric`, a groupby for the medians, `to_sql`).
Both store the same rows; the script checks that they do.

    .venv/bin/python benchmarks/reporting_import.py [--firms N] [--runs N] [--baseline-runs N]

Last line: seconds=<project median> baseline_seconds=<baseline median> ratio=<baseline/project>
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from openpyxl import Workbook
from sqlalchemy import delete, insert, select

from clusterwatch import uscc
from clusterwatch.db import make_engine, migrate, session_factory, transaction
from clusterwatch.enterprises.models import Enterprise
from clusterwatch.enterprises.synthetic import generate_register
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.models import Indicator
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from clusterwatch.plans.queries import active_plan
from clusterwatch.reporting.firm_values import layout_key, pack
from clusterwatch.reporting.forms import define_form
from clusterwatch.reporting.models import EnterpriseValues, ImportBatch, ReturnRecord, ValueFlag
from clusterwatch.reporting.returns import import_return, read_return

FORM = "enterprise-monthly"
PERIOD = "2025-04"
EARLIER = [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]  # a year of history
TODAY = dt.date(2025, 5, 5)
ADMIN = SimpleNamespace(role="province_admin", region_code=None, id=None)
# Indicators the plan already has, and the firm's other monthly items (all in 万元 unless said).
KNOWN = [("revenue", "万元"), ("gross_output", "万元"), ("value_added", "万元"), ("tax_paid", "万元"),
         ("rd_spending", "万元"), ("energy_use", None), ("employment", None)]
OTHERS = [
    ("operating_cost", "营业成本"), ("sales_value", "工业销售产值"), ("export_value", "出口交货值"),
    ("operating_profit", "营业利润"), ("total_profit", "利润总额"), ("surcharges", "税金及附加"),
    ("selling_expenses", "销售费用"), ("admin_expenses", "管理费用"), ("rd_expenses", "研发费用"),
    ("finance_expenses", "财务费用"), ("interest_expenses", "利息费用"), ("vat_payable", "应交增值税"),
    ("total_assets", "资产总计"), ("total_liabilities", "负债合计"), ("receivables", "应收账款"),
    ("inventories", "存货"), ("finished_goods", "产成品"), ("payroll_payable", "应付职工薪酬"),
    ("new_fixed_assets", "本年新增固定资产"), ("new_product_output", "新产品产值"), ("investment_income", "投资收益"),
    ("electricity_use", "用电量"), ("rd_staff", "研发人员"),
]
OTHER_UNITS = {"electricity_use": "万千瓦时", "rd_staff": "人"}
# Each item as a share of the firm's revenue (counts: per 万元 of revenue), so rows are coherent.
SHARE = {"revenue": 1.0, "gross_output": 1.05, "value_added": 0.25, "tax_paid": 0.03, "rd_spending": 0.02,
         "energy_use": 0.05, "employment": 0.01}


def set_up(directory: Path, firms: int):
    url = f"sqlite:///{directory / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path()))
        generate_register(session, plan, count=firms, seed=7)
        for position, (code, name) in enumerate(OTHERS):
            unit = OTHER_UNITS.get(code, "万元")
            session.add(Indicator(code=code, name_zh=name, name_en=code.replace("_", " "), unit=unit,
                                  direction="higher", aggregation="sum", flow=True, sort_order=100 + position))
        session.flush()
        items = [{"indicator": code, "unit": unit, "min": 0} for code, unit in KNOWN]
        items += [{"indicator": code, **({} if code in ("operating_profit", "total_profit", "investment_income") else {"min": 0})}
                  for code, _ in OTHERS]
        define_form(session, plan, {"code": FORM, "name_zh": "规模以上工业企业主要经济指标月报", "name_en": "Industrial firms, monthly",
                                    "period_type": "M", "level": "enterprise", "due_days": 10, "expiry_days": 30,
                                    "indicators": items})
    with sessions() as session:
        ids = list(session.execute(select(Enterprise.id, Enterprise.uscc, Enterprise.name_zh, Enterprise.region_code)
                                   .order_by(Enterprise.region_code, Enterprise.uscc)))
        form_id = _form_id(session)
    codes = [c for c, _ in KNOWN] + [c for c, _ in OTHERS]
    rng = np.random.default_rng(7)
    scale = rng.lognormal(8, 1.2, size=len(ids))  # monthly revenue in 万元
    shares = np.array([SHARE.get(c, 0.0) or rng.uniform(0.01, 0.6) for c in codes])
    with transaction(sessions) as session:
        for _index, month in enumerate(EARLIER):
            batch = ImportBatch(form_id=form_id, period=month, user_id=None, at=dt.datetime.now(dt.UTC),
                                filename="history", sha256="0" * 64, rows=len(ids), created=0, updated=0, unchanged=0,
                                reason="benchmark history (synthetic)")
            session.add(batch)
            session.flush()
            stored = _to_declared(_month(scale * SEASON[int(month[-2:]) - 1], shares, rng), codes)
            layout = layout_key(codes)
            session.connection().execute(insert(EnterpriseValues.__table__), [
                {"form_id": form_id, "enterprise_id": firm.id, "region_code": firm.region_code, "period": month,
                 "period_type": "M", "year": 2025, "values": dict(zip(codes, row.tolist())), "layout": layout,
                 "packed": pack(row), "status": "A", "approved": True, "created_batch_id": batch.id,
                 "batch_id": batch.id} for firm, row in zip(ids, stored)])
    content = _workbook(ids, codes, _month(scale * SEASON[int(PERIOD[-2:]) - 1], shares, rng))
    return engine, sessions, content, codes


def _form_id(session) -> int:
    from clusterwatch.reporting.models import Form

    return session.scalar(select(Form.id).where(Form.code == FORM))


SEASON = [0.85, 0.80, 1.00, 1.00, 1.02, 1.05, 1.00, 1.00, 1.03, 1.00, 1.02, 1.13]  # Spring Festival dip, year-end rush


def _month(scale, shares, rng) -> np.ndarray:
    noise = rng.normal(1.0, 0.03, size=(len(scale), len(shares)))
    return np.round(scale[:, None] * shares[None, :] * noise, 2)


def _to_declared(values: np.ndarray, codes: list[str]) -> np.ndarray:
    """Values as stored: the plan's money indicators are declared in 亿元, asked in 万元."""
    factors = np.array([1e-4 if unit == "万元" else 1.0 for _, unit in KNOWN] + [1.0] * len(OTHERS))
    return np.round(values * factors, 9)


def _workbook(firms, codes, values) -> bytes:
    """The month's return in the template's layout (make_template writes the same, empty)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["规模以上工业企业主要经济指标月报"])
    sheet.append([f"填报范围：广东省（440000），{len(firms)} 家企业"])
    sheet.append([f"报告期：{PERIOD}"])
    names = _names(codes)
    sheet.append(["统一社会信用代码", "企业名称", *names])
    for firm, row in zip(firms, values.tolist()):
        sheet.append([firm.uscc, firm.name_zh, *row])
    codes_sheet = book.create_sheet("_codes")
    for row in (["clusterwatch-return", "1"], ["plan", "guangdong-2025"], ["form", FORM], ["unit", "440000"],
                ["period", PERIOD], ["columns", *codes]):
        codes_sheet.append(row)
    codes_sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _names(codes: list[str]) -> list[str]:
    known = {"revenue": "营业收入", "gross_output": "总产值", "value_added": "增加值", "tax_paid": "实缴税金",
             "rd_spending": "研发经费支出", "energy_use": "综合能源消费量", "employment": "从业人员"}
    units = dict(KNOWN)
    others = dict(OTHERS)
    result = []
    for code in codes:
        if code in known:
            unit = units[code] or {"energy_use": "吨标准煤", "employment": "人"}[code]
            result.append(f"{known[code]}（{unit}）")
        else:
            result.append(f"{others[code]}（{OTHER_UNITS.get(code, '万元')}）")
    return result


FLAGGED: list[int] = []


def project(sessions, content: bytes) -> int:
    with transaction(sessions) as session:
        plan = active_plan(session)
        result = read_return(session, plan, content=content, filename="province-2025-04.xlsx", user=ADMIN, today=TODAY)
        if result.error_count:
            raise SystemExit(f"the benchmark's file has problems: {[f'{p.cell}: {p.message}' for p in result.errors[:3]]}")
        FLAGGED.append(result.warning_count)
        import_return(session, plan, result=result, user=ADMIN, reason="benchmark")
        return result.created


def baseline(database: Path, content: bytes, codes: list[str]) -> int:
    """What a developer would write with pandas: read, check, look up, score, store."""
    import pandas as pd

    frame = pd.read_excel(io.BytesIO(content), sheet_name="数据", header=3, dtype=str, engine="openpyxl")
    names = _names(codes)
    connection = sqlite3.connect(database)
    form_id = connection.execute("SELECT id FROM forms WHERE code = ?", (FORM,)).fetchone()[0]
    bounds = pd.read_sql_query("SELECT indicator_code, min_value, max_value FROM form_indicators WHERE form_id = ?",
                               connection, params=(form_id,)).set_index("indicator_code")
    register = pd.read_sql_query("SELECT uscc, id AS enterprise_id, region_code FROM enterprises", connection)
    errors = []
    code_column = frame["统一社会信用代码"].str.strip()
    bad_code = ~code_column.map(uscc.is_valid)
    errors += [(i + 5, "A", "invalid code") for i in frame.index[bad_code]]
    errors += [(i + 5, "A", "duplicate") for i in frame.index[code_column.duplicated()]]
    merged = frame.assign(uscc=code_column).merge(register, on="uscc", how="left")
    errors += [(i + 5, "A", "not registered") for i in merged.index[merged["enterprise_id"].isna()]]
    numbers = pd.DataFrame(index=merged.index)
    for code, name in zip(codes, names):
        text = merged[name].str.replace(",", "")
        value = pd.to_numeric(text, errors="coerce")
        errors += [(i + 5, name, "not a number") for i in merged.index[value.isna() & text.notna()]]
        low = bounds.loc[code, "min_value"]
        if pd.notna(low):
            errors += [(i + 5, name, "below minimum") for i in merged.index[value < low]]
        numbers[code] = value
    for code, unit in KNOWN:
        if unit == "万元":
            numbers[code] = (numbers[code] * 1e-4).round(9)
    errors += [(i + 5, "rd", "rule") for i in numbers.index[numbers["rd_spending"] > numbers["revenue"]]]
    warnings = list(numbers.index[numbers["value_added"] > numbers["revenue"]])
    warnings += list(numbers.index[numbers["value_added"] > numbers["gross_output"]])
    marks = ", ".join("?" for _ in EARLIER)
    history = pd.read_sql_query(
        f"SELECT enterprise_id, period, \"values\" FROM enterprise_values WHERE form_id = ? AND period IN ({marks})",
        connection, params=(form_id, *EARLIER))
    wide = pd.json_normalize(history["values"].map(json.loads).tolist())
    wide["enterprise_id"] = history["enterprise_id"].to_numpy()
    long = wide.melt(id_vars="enterprise_id", var_name="indicator", value_name="value").dropna()
    long["median"] = long.groupby(["enterprise_id", "indicator"])["value"].transform("median")
    long["deviation"] = (long["value"] - long["median"]).abs()
    stats = long.groupby(["enterprise_id", "indicator"]).agg(median=("median", "first"), mad=("deviation", "median"),
                                                             count=("value", "size"))
    current = numbers.assign(enterprise_id=merged["enterprise_id"]).melt(id_vars="enterprise_id", var_name="indicator")
    scored = current.merge(stats.reset_index(), on=["enterprise_id", "indicator"], how="left")
    scored["score"] = 0.6745 * (scored["value"] - scored["median"]) / scored["mad"]
    warnings += list(scored.index[(scored["count"] >= 3) & (scored["mad"] > 0) & (scored["score"].abs() > 3.5)])
    if errors:
        raise SystemExit(f"baseline found problems: {errors[:3]}")
    cursor = connection.execute(
        "INSERT INTO import_batches (form_id, period, at, filename, sha256, rows, created, updated, unchanged, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 'baseline')",
        (form_id, PERIOD, dt.datetime.now(dt.UTC).isoformat(), "province.xlsx", "0" * 64, len(merged)))
    batch = cursor.lastrowid
    stored = pd.DataFrame({
        "form_id": form_id, "enterprise_id": merged["enterprise_id"].astype(int), "region_code": merged["region_code"],
        "period": PERIOD, "period_type": "M", "year": 2025,
        "values": numbers.apply(lambda row: json.dumps(row.dropna().to_dict()), axis=1),
        "layout": layout_key(codes), "packed": [row.tobytes() for row in numbers.to_numpy(dtype="<f8")], "status": "P",
        "approved": False, "created_batch_id": batch, "batch_id": batch})
    stored.to_sql("enterprise_values", connection, if_exists="append", index=False)
    connection.commit()
    connection.close()
    return int(numbers.notna().to_numpy().sum())


def reset(sessions) -> tuple[int, float]:
    """Remove the month's rows (keeping what they added up to, to compare the two ways)."""
    with transaction(sessions) as session:
        rows = session.execute(select(EnterpriseValues.values).where(EnterpriseValues.period == PERIOD)).scalars().all()
        total = round(sum(v.get("revenue", 0.0) for v in rows), 4)
        session.execute(delete(EnterpriseValues).where(EnterpriseValues.period == PERIOD))
        session.execute(delete(ImportBatch).where(ImportBatch.period == PERIOD))
        session.execute(delete(ReturnRecord).where(ReturnRecord.period == PERIOD))
        session.execute(delete(ValueFlag).where(ValueFlag.period == PERIOD))
    return len(rows), total


def timed(fn, runs: int, after) -> tuple[float, list]:
    samples, outcomes = [], []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
        outcomes.append(after())
    return statistics.median(samples), outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=3)
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        engine, sessions, content, codes = set_up(Path(directory), args.firms)
        print(f"set-up: {args.firms} firms × {len(codes)} indicators, file {len(content) / 1e6:.1f} MB, "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        ours, ours_rows = timed(lambda: project(sessions, content), args.runs, lambda: reset(sessions))
        print(f"project: median {ours:.2f} s over {args.runs} runs; stored rows, revenue: {ours_rows[0]}; "
              f"values flagged: {FLAGGED[0]} of {args.firms * len(codes)}", flush=True)
        theirs, their_rows = timed(lambda: baseline(Path(directory) / "bench.db", content, codes), args.baseline_runs,
                                   lambda: reset(sessions))
        print(f"baseline: median {theirs:.2f} s over {args.baseline_runs} runs; stored rows, revenue: {their_rows[0]}", flush=True)
        if ours_rows[0] != their_rows[0]:
            raise SystemExit("the two ways stored different rows")
        engine.dispose()
    print(f"seconds={ours:.3f} baseline_seconds={theirs:.3f} ratio={theirs / ours:.2f}")


if __name__ == "__main__":
    main()
