"""Benchmark: the comprehensive evaluation of 100,000 synthetic enterprises with the default scheme.

Set-up (not timed): 100,000 firms for this year and as many for last year (the benchmark is
k × last year's mean of each pool), above and below designated size, with the default
scheme's inputs drawn from skewed (log-normal) distributions; 2% have no land area, 1% no
energy figure, 10% no R&D spending, 3% are too young to rate. The tables are Arrow, as the
platform hands them over from its database.

Project: `engine.evaluate`, the scheme as one Ibis expression run by DuckDB in-process.

Baseline: the same evaluation the straightforward pandas way (the tables as DataFrames,
`groupby(...).transform("mean")`, `clip`, `groupby(...).rank`), as an analyst would write it.
The script checks that both give every firm the same class and the same total.

    .venv/bin/python benchmarks/enterprise_evaluation.py [--firms N] [--runs N]

Last line: seconds=<project median> baseline_seconds=<baseline median> ratio=<baseline/project>
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pyarrow as pa
from timing import timed  # benchmarks/timing.py: this folder is first on the path of a script

from clusterwatch.enterprises.evaluation.engine import evaluate
from clusterwatch.enterprises.evaluation.scheme import CLASSES, load_scheme


def firms(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    above = rng.random(n) < 0.6
    scale = np.where(above, 1.0, 0.15)
    revenue = rng.lognormal(9.5, 1.2, n) * scale  # 万元

    def share(low, high):
        return revenue * rng.uniform(low, high, n)

    def holes(values, rate):
        values = values.astype(float)
        values[rng.random(n) < rate] = np.nan
        return values

    # Missing figures are nulls, as they come from the database (NaN is a number to Arrow).
    return pa.Table.from_pandas(pd.DataFrame({
        "enterprise_id": np.arange(1, n + 1, dtype=np.int64),
        "pool": np.where(above, "above", "below"),
        "unrated": rng.random(n) < 0.03,
        "revenue": revenue,
        "value_added": share(0.15, 0.35),
        "tax_paid": share(0.005, 0.06),
        "rd_spending": holes(share(0.0, 0.05), 0.10),
        "energy_use": holes(revenue / rng.uniform(2, 30, n), 0.01),
        "pollutant_emissions": revenue / rng.uniform(50, 900, n),
        "employment": np.maximum(5, revenue / rng.uniform(40, 200, n)).round(),
        "land_mu": holes(np.maximum(1, revenue / rng.uniform(100, 2000, n)), 0.02),
    }), preserve_index=False)


def baseline(now: pa.Table, prior: pa.Table, scheme) -> pd.DataFrame:
    df, before = now.to_pandas(), prior.to_pandas()
    codes = [i.code for i in scheme.indicators]
    for frame in (df, before):
        for ind in scheme.indicators:
            den = frame[ind.denominator]
            frame["x_" + ind.code] = (frame[ind.numerator] * ind.scale / den).where(den > 0)
    rated_before = before[~before["unrated"]]
    rated_now = df[~df["unrated"]]
    for c in codes:
        prior_mean = rated_before.groupby("pool")["x_" + c].mean()
        now_mean = rated_now.groupby("pool")["x_" + c].mean()
        df["b_" + c] = scheme.benchmark.k * df["pool"].map(prior_mean).fillna(df["pool"].map(now_mean))
    for ind in scheme.indicators:
        cap = ind.cap if ind.cap is not None else scheme.cap
        raw = (df["x_" + ind.code] / df["b_" + ind.code]).clip(0, cap) * ind.weight
        raw = raw.where(~df["unrated"] & (df["b_" + ind.code] > 0))
        df["imputed_" + ind.code] = raw.isna() & ~df["unrated"]
        average = raw.groupby([df["pool"], df["unrated"]]).transform("mean")
        df["s_" + ind.code] = raw.fillna(average.fillna(0.0)).where(~df["unrated"])
    df["total"] = df[["s_" + c for c in codes]].sum(axis=1).where(~df["unrated"])
    df = df.sort_values(["pool", "unrated", "total", "enterprise_id"], ascending=[True, True, False, True])
    df["rank"] = df.groupby(["pool", "unrated"]).cumcount() + 1
    df["pool_size"] = df.groupby(["pool", "unrated"])["enterprise_id"].transform("count")
    bounds = np.cumsum([scheme.classing.quotas[c] for c in CLASSES])
    conditions = [df["rank"] * 100 <= df["pool_size"] * b for b in bounds[:-1]]
    df["klass"] = np.select(conditions, list(CLASSES[:-1]), default=CLASSES[-1])
    df.loc[df["unrated"], "klass"] = "U"
    return df



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    scheme = load_scheme()
    now, prior = firms(args.firms, 2025), firms(args.firms, 2024)
    print(f"set-up: {args.firms} firms this year and last, {len(scheme.indicators)} indicators, pools above/below", flush=True)
    evaluate(now, scheme, prior)  # warm: DuckDB and Ibis loaded, expression compiled once
    ours_s, ours = timed(lambda: evaluate(now, scheme, prior), args.runs)
    theirs_s, theirs = timed(lambda: baseline(now, prior, scheme), args.runs)
    mine = {r["enterprise_id"]: (r["klass"], r["total"]) for r in ours.select(["enterprise_id", "klass", "total"]).to_pylist()}
    differ = 0
    for eid, klass, total in zip(theirs["enterprise_id"], theirs["klass"], theirs["total"]):
        got_class, got_total = mine[eid]
        same_total = (got_total is None and pd.isna(total)) or (got_total is not None and abs(got_total - total) <= 1e-9 * max(1.0, abs(total)))
        differ += not (got_class == klass and same_total)
    counts = {c: sum(1 for k, _ in mine.values() if k == c) for c in [*CLASSES, "U"]}
    print(f"project: median {ours_s:.3f} s over {args.runs} runs; classes {counts}")
    print(f"baseline (pandas): median {theirs_s:.3f} s over {args.runs} runs; firms whose class or total differ: {differ}")
    if differ:
        raise SystemExit(f"{differ} firms differ between the project and the baseline")
    print(f"seconds={ours_s:.3f} baseline_seconds={theirs_s:.3f} ratio={theirs_s / ours_s:.2f}")


if __name__ == "__main__":
    main()
