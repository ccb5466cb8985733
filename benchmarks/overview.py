"""Benchmark: computing the overview (map of 21 cities + 20 clusters' progress) on the demo data.

Project: clusterwatch.assessment.views.overview, which reads each indicator's rows once and
aggregates in memory. Baseline: the straightforward way, one SUM query per city and per
cluster-year, as a developer would first write it with SQLAlchemy. Both run in the same
process on the same SQLite demo database; their results are checked to be equal.

    .venv/bin/python benchmarks/overview.py [--runs N]

Last line: seconds=<project median> baseline_seconds=<baseline median> ratio=<baseline/project>
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from sqlalchemy import func, select

from clusterwatch.assessment import views
from clusterwatch.cli import build_demo_database
from clusterwatch.db import make_engine, session_factory
from clusterwatch.plans import queries
from clusterwatch.reporting.models import Observation


def baseline(session, plan, year: int) -> tuple[dict, dict]:
    """The same figures, one query at a time."""
    clusters = queries.clusters(session, plan)
    ids = [c.id for c in clusters]
    city_values = {}
    for city in queries.cities(session, plan):
        city_values[city.code] = session.scalar(select(func.sum(Observation.value)).where(
            Observation.indicator_code == "revenue", Observation.region_code == city.code,
            Observation.period == str(year), Observation.cluster_id.in_(ids)))
    latest = {}
    for target in queries.targets(session, plan):
        if not target.headline:
            continue
        series = {}
        for y in range(2019, year + 1):
            value = session.scalar(select(func.sum(Observation.value)).where(
                Observation.indicator_code == target.indicator_code, Observation.cluster_id == target.cluster_id,
                Observation.period == str(y)))
            if value is not None:
                series[y] = value
        latest[target.cluster.slug] = series.get(year)
    return city_values, latest


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        start = time.perf_counter()
        build_demo_database(url)
        print(f"demo database built in {time.perf_counter() - start:.2f} s (migrate, load plan, generate)")
        sessions = session_factory(make_engine(url))
        with sessions() as session:
            plan = queries.active_plan(session)
            page = views.overview(session, plan)
            city_values, latest = baseline(session, plan, page.year)
            assert {r.region: r.value for r in page.map} == {k: (round(v, 9) if v is not None else None) for k, v in city_values.items()}
            for card in page.clusters:
                if card.headline:
                    assert abs(card.headline.progress.value - latest[card.slug]) < 1e-6
            project = timed(lambda: views.overview(session, plan), args.runs)
            base = timed(lambda: baseline(session, plan, page.year), args.runs)
    print(f"overview: project median {project * 1000:.1f} ms, baseline median {base * 1000:.1f} ms over {args.runs} runs")
    print(f"seconds={project:.4f} baseline_seconds={base:.4f} ratio={base / project:.2f}")


if __name__ == "__main__":
    main()
