"""Benchmark: an evaluation run from the platform's database, end to end, against pandas doing the same.

Set-up (not timed): a SQLite database with the Guangdong plan and N synthetic firms (default
100,000), each with approved annual returns for three years and its lists (the demo's
generator, which also stores an evaluation of each year).

Project: `runs.run_evaluation(session, plan, 2025)`: read the year's and the year before's
approved returns and the register (inputs.py), evaluate with the Ibis/DuckDB engine, and store
every firm's result with its breakdown and last year's class; rolled back after each run.

Baseline: what an analyst would otherwise write: `pandas.read_sql` of the returns of both years
and of the register, the JSON values expanded with `json_normalize`, money converted to 万元,
the same evaluation in pandas (`enterprise_evaluation.baseline`), and the results written back
with `DataFrame.to_sql`; also rolled back. The script checks that both give every firm the same
class.

    .venv/bin/python benchmarks/evaluation_run.py [--firms N] [--runs N]

Last line: seconds=<project median> baseline_seconds=<baseline median> ratio=<baseline/project>
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from enterprise_evaluation import baseline  # noqa: E402
from timing import timed  # noqa: E402

from clusterwatch.db import make_engine, migrate, session_factory, transaction  # noqa: E402
from clusterwatch.demo.enterprises import generate_enterprise_demo  # noqa: E402
from clusterwatch.enterprises.evaluation.models import EvaluationResult  # noqa: E402
from clusterwatch.enterprises.evaluation.runs import current_scheme, run_evaluation  # noqa: E402
from clusterwatch.plans.loader import load_plan  # noqa: E402
from clusterwatch.plans.models import Plan  # noqa: E402
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file  # noqa: E402

YEAR = 2025
MONEY = ("revenue", "value_added", "tax_paid", "rd_spending")  # stored in 亿元, scored in 万元


def build(url: str, firms: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path()))
        generate_enterprise_demo(session, plan, count=firms, seed=2025)
    engine.dispose()


def project(sessions) -> dict[int, str]:
    with sessions() as session:
        plan = session.scalar(select(Plan))
        run = run_evaluation(session, plan, YEAR)
        classes = dict(session.execute(select(EvaluationResult.enterprise_id, EvaluationResult.klass)
                                       .where(EvaluationResult.run_id == run.id)).all())
        session.rollback()
    return classes


def pandas_way(engine, scheme) -> dict[int, str]:
    with engine.connect() as connection:
        firms = pd.read_sql("SELECT id AS enterprise_id, above_scale, land_mu, founded, exempt_reason FROM enterprises", connection)

        def year(y: int) -> pd.DataFrame:
            values = pd.read_sql(text("SELECT enterprise_id, \"values\" FROM enterprise_values WHERE period = :p AND approved"),
                                 connection, params={"p": str(y)})
            wide = pd.json_normalize(values["values"].map(json.loads).tolist())
            wide["enterprise_id"] = values["enterprise_id"].to_numpy()
            for column in MONEY:
                wide[column] = wide[column] * 1e4
            df = wide.merge(firms, on="enterprise_id")
            df["pool"] = df["above_scale"].astype(bool).map({True: "above", False: "below"})
            youngest = dt.date(y, 12, 31) - dt.timedelta(days=round(365.25 * scheme.unrated.younger_than_years))
            df["unrated"] = df["exempt_reason"].notna() | (pd.to_datetime(df["founded"]) > pd.Timestamp(youngest))
            return df

        now, before = year(YEAR), year(YEAR - 1)
        inputs = ["enterprise_id", "pool", "unrated", "revenue", "value_added", "tax_paid", "rd_spending", "energy_use",
                  "pollutant_emissions", "employment", "land_mu"]
        result = baseline(pa.Table.from_pandas(now[inputs], preserve_index=False),
                          pa.Table.from_pandas(before[inputs], preserve_index=False), scheme)
        # The read's transaction goes on; the write is rolled back with it, as the project's is.
        result.to_sql("pandas_results", connection, index=False, if_exists="replace")
        connection.rollback()
    return dict(zip(result["enterprise_id"], result["klass"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        build(url, args.firms)
        engine = make_engine(url)
        sessions = session_factory(engine)
        with sessions() as session:
            scheme = current_scheme(session)[1]
        print(f"set-up: {args.firms} synthetic firms with returns for three years, in SQLite", flush=True)
        project(sessions)  # warm: the engine's query compiled and prepared
        ours_s, ours = timed(lambda: project(sessions), args.runs)
        theirs_s, theirs = timed(lambda: pandas_way(engine, scheme), args.runs)
        differ = sum(1 for firm, klass in theirs.items() if ours.get(firm) != klass) + abs(len(ours) - len(theirs))
        print(f"project (read, evaluate, store): median {ours_s:.3f} s over {args.runs} runs; {len(ours)} firms")
        print(f"baseline (read_sql, pandas, to_sql): median {theirs_s:.3f} s; firms whose class differs: {differ}")
        engine.dispose()
        if differ:
            raise SystemExit(f"{differ} firms differ between the project and the baseline")
        print(f"seconds={ours_s:.3f} baseline_seconds={theirs_s:.3f} ratio={theirs_s / ours_s:.2f}")


if __name__ == "__main__":
    main()
