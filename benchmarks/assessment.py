"""Benchmark: the whole assessment of the Guangdong plan on the demo data, and the target board.

Set-up (not timed): a SQLite demo database (the Guangdong plan, 30,000 synthetic
observations), built in a temporary directory.

Project:
- assess: `all_reports`, the whole assessment of the plan for a period: every target by
  every method (plan schedule, CAGR ratio, the two projections, the light a year earlier),
  and the periodic report's data for the province, each of the 20 strategic clusters and
  each of the 21 cities (year to date, the cities' and clusters' tables), from one read of
  the data.
- board_ms: the server time (the Server-Timing header) of GET /targets, the rendered page.

Baselines, in the same run:
- the whole assessment as 42 separate requests: each report made on its own, in its own
  session, reading what it needs (what the report page does for one scope);
- the targets' progress the straightforward way: for each target one
  `SELECT year, SUM(value) … GROUP BY year` over its indicator and clusters, then the same
  methods (a comparison of the data path, not of the formulas). The script checks that both
  give every target the same status.

    .venv/bin/python benchmarks/assessment.py [--runs N] [--baseline-runs N] [--period 2025-Q3] [--demo FILE]

(--demo: a copy of an existing demo database instead of building one; the tests pass theirs.)

Last line: assess_seconds=<median> board_ms=<median server time>
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy import func, select
from timing import timed  # benchmarks/timing.py: this folder is first on the path of a script

from clusterwatch.assessment.board import board, parse_period
from clusterwatch.assessment.methods import assess
from clusterwatch.assessment.report import all_reports, report_data
from clusterwatch.assessment.views import annual_years, goal_of
from clusterwatch.cli import build_demo_database
from clusterwatch.db import make_engine, session_factory
from clusterwatch.plans import queries
from clusterwatch.plans.models import Indicator
from clusterwatch.plans.queries import active_plan
from clusterwatch.reporting.models import Observation


def project_assess(sessions, period: str) -> dict[str, str]:
    with sessions() as session:
        reports = all_reports(session, active_plan(session), period=period)
    assert len(reports) == 42, len(reports)
    return {row.code: row.progress.status for row in reports["province"].targets}


def separate_reports(sessions, period: str) -> None:
    with sessions() as session:
        plan = active_plan(session)
        scopes = ["province"] + [f"cluster:{c.slug}" for c in queries.clusters(session, plan)] + \
                 [f"city:{r.code}" for r in queries.cities(session, plan)]
    for scope in scopes:
        with sessions() as session:
            report_data(session, active_plan(session), scope=scope, period=period)


def baseline_assess(sessions, period: str) -> dict[str, str]:
    """One GROUP BY query per target (ratio indicators: one per part), the same methods after."""
    statuses = {}
    with sessions() as session:
        plan = active_plan(session)
        _, year = parse_period(period, annual_years(session))
        indicators = {i.code: i for i in session.scalars(select(Indicator))}
        groups: dict[str, list[int]] = {}
        for cluster in queries.clusters(session, plan):
            groups.setdefault(cluster.kind, []).append(cluster.id)

        def yearly(code: str, clusters: list[int] | None) -> dict[int, float]:
            query = select(Observation.year, func.sum(Observation.value)).where(
                Observation.indicator_code == code, Observation.period_type == "A", Observation.approved.is_(True),
                Observation.value.is_not(None)).group_by(Observation.year)
            query = query.where(Observation.cluster_id.in_(clusters)) if clusters is not None \
                else query.where(Observation.cluster_id.is_(None))
            return dict(session.execute(query).all())

        for target in queries.targets(session, plan):
            clusters = [target.cluster_id] if target.cluster_id else groups.get(target.cluster_group) if target.cluster_group else None
            indicator = indicators[target.indicator_code]
            if indicator.aggregation == "ratio":
                num, den = yearly(indicator.numerator_code, clusters), yearly(indicator.denominator_code, clusters)
                series = {y: round(indicator.scale * num[y] / den[y], 9) for y in num if den.get(y)}
            else:
                series = {y: round(v, 9) for y, v in yearly(target.indicator_code, clusters).items()}
            statuses[target.code] = assess(series, goal_of(target, indicator), as_of=year, method=target.method).status
    return statuses


def board_server_ms(url: str, period: str, runs: int) -> float:
    warnings.filterwarnings("ignore")
    from fastapi.testclient import TestClient

    from clusterwatch.settings import Settings
    from clusterwatch.web.app import create_app

    samples = []
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.get(f"/targets?period={period}")  # templates compiled, connections opened
        for _ in range(runs):
            response = client.get(f"/targets?period={period}")
            assert response.status_code == 200
            samples.append(float(re.search(r"app;dur=([0-9.]+)", response.headers["server-timing"]).group(1)))
    return statistics.median(samples)



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of the project (the 42 separate reports: a fifth, at least 3)")
    parser.add_argument("--period", default="2025-Q3")
    parser.add_argument("--baseline-runs", type=int, help="runs of the 42 separate reports (default: a fifth of --runs, at least 3)")
    parser.add_argument("--demo", type=Path, help="an SQLite demo database to copy instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'demo.db'}"
        start = time.perf_counter()
        if args.demo is not None:
            shutil.copyfile(args.demo, Path(directory) / "demo.db")
        else:
            build_demo_database(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        with sessions() as session:
            observations = session.scalar(select(func.count()).select_from(Observation))
        print(f"set-up: demo database with {observations} observations in {time.perf_counter() - start:.1f} s", flush=True)
        project_assess(sessions, args.period)  # warm: imports, statement caches
        assess_s, ours = timed(lambda: project_assess(sessions, args.period), args.runs)
        separate_runs = args.baseline_runs or max(3, args.runs // 5)
        separate_s, _ = timed(lambda: separate_reports(sessions, args.period), separate_runs)
        targets_s, _ = timed(lambda: _board_only(sessions, args.period), args.runs)
        baseline_s, theirs = timed(lambda: baseline_assess(sessions, args.period), args.runs)
        differ = sorted(code for code in ours if ours[code] != theirs.get(code))
        print(f"project: whole assessment median {assess_s:.3f} s over {args.runs} runs "
              f"({len(ours)} targets, 1 + 20 clusters + 21 cities reports); targets alone {targets_s * 1000:.1f} ms")
        print(f"whole assessment: seconds={assess_s:.3f} baseline_seconds={separate_s:.3f} ratio={separate_s / assess_s:.2f} "
              f"(baseline: 42 reports each on its own reads)")
        print(f"baseline: targets by one GROUP BY per target, median {baseline_s * 1000:.1f} ms; statuses that differ: {differ}")
        print(f"targets: seconds={targets_s:.4f} baseline_seconds={baseline_s:.4f} ratio={baseline_s / targets_s:.2f}", flush=True)
        engine.dispose()
        board_ms = board_server_ms(url, args.period, args.runs)
        if differ:
            raise SystemExit(f"the project and the baseline disagree on {differ}")
    print(f"assess_seconds={assess_s:.3f} board_ms={board_ms:.1f}")


def _board_only(sessions, period: str) -> None:
    with sessions() as session:
        board(session, active_plan(session), period=period)


if __name__ == "__main__":
    main()
