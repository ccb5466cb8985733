"""The evaluation in plain Python, row by row: the reference the Ibis expression is tested against.

Slow and obvious on purpose: every rule of engine.py written out as loops over dicts, so that a
test can run both on a hand-made pool and demand the same classes and scores.
"""

from __future__ import annotations

from collections import defaultdict

from clusterwatch.enterprises.evaluation.scheme import CLASSES, Scheme


def _x(firm: dict, ind) -> float | None:
    num, den = firm.get(ind.numerator), firm.get(ind.denominator)
    if num is None or den is None or den <= 0:
        return None
    return num * ind.scale / den


def _means(firms: list[dict], scheme: Scheme) -> dict[tuple[str, str], float]:
    values = defaultdict(list)
    for firm in firms:
        if firm["unrated"]:
            continue
        for ind in scheme.indicators:
            x = _x(firm, ind)
            if x is not None:
                values[(firm["pool"], ind.code)].append(x)
    return {key: sum(v) / len(v) for key, v in values.items()}


def evaluate_rows(firms: list[dict], scheme: Scheme, prior: list[dict] | None = None) -> dict[int, dict]:
    now = _means(firms, scheme)
    before = _means(prior, scheme) if prior else {}
    bench = scheme.benchmark
    results: dict[int, dict] = {}
    for firm in firms:
        row = {"pool": firm["pool"], "unrated": firm["unrated"]}
        for ind in scheme.indicators:
            key = (firm["pool"], ind.code)
            if bench.kind == "constant":
                b: float | None = bench.values[ind.code]
            elif bench.kind == "prior_pool_mean" and key in before:
                b = bench.k * before[key]
            else:
                b = bench.k * now[key] if key in now else None
            x = _x(firm, ind)
            cap = ind.cap if ind.cap is not None else scheme.cap
            raw = None
            if x is not None and b is not None and b > 0 and not firm["unrated"]:
                raw = ind.weight * min(max(x / b, 0.0), cap)
            row[ind.code] = {"x": x, "b": b, "raw": raw}
        results[firm["enterprise_id"]] = row
    pools = defaultdict(list)
    for eid, row in results.items():
        if not row["unrated"]:
            pools[row["pool"]].append(eid)
    for ids in pools.values():
        for ind in scheme.indicators:
            scored = [results[i][ind.code]["raw"] for i in ids if results[i][ind.code]["raw"] is not None]
            average = sum(scored) / len(scored) if scored else 0.0
            for i in ids:
                cell = results[i][ind.code]
                cell["imputed"] = cell["raw"] is None
                cell["score"] = cell["raw"] if cell["raw"] is not None else (average if scheme.missing == "pool_average" else 0.0)
        for i in ids:
            results[i]["total"] = sum(results[i][ind.code]["score"] for ind in scheme.indicators)
        ordered = sorted(ids, key=lambda i: (-results[i]["total"], i))
        n = len(ordered)
        for rank, i in enumerate(ordered, start=1):
            results[i]["rank"], results[i]["pool_size"] = rank, n
            results[i]["class"] = _class(results[i]["total"], rank, n, scheme)
    for row in results.values():
        if row["unrated"]:
            row.update(total=None, rank=None, pool_size=None, **{"class": "U"})
    return results


def _class(total: float, rank: int, n: int, scheme: Scheme) -> str:
    if scheme.classing.kind == "cutoffs":
        cut = scheme.classing.cutoffs
        return "A" if total >= cut["A"] else "B" if total >= cut["B"] else "C" if total >= cut["C"] else "D"
    running = 0.0
    for name in CLASSES[:-1]:
        running += scheme.classing.quotas[name]
        if rank * 100 <= n * running:
            return name
    return CLASSES[-1]
