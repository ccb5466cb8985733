"""The evaluation: the Ibis/DuckDB path against the plain-Python reference, and the worked example."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
import yaml

from clusterwatch.enterprises.evaluation.engine import evaluate
from clusterwatch.enterprises.evaluation.reference import evaluate_rows
from clusterwatch.enterprises.evaluation.scheme import SCHEMES, load_scheme, parse_scheme
from clusterwatch.errors import BadInput

SCHEME = load_scheme()
INPUTS = ["tax_paid", "value_added", "revenue", "rd_spending", "energy_use", "pollutant_emissions", "employment", "land_mu"]


def firm(eid, pool="above", unrated=False, **values):
    row = {"enterprise_id": eid, "pool": pool, "unrated": unrated}
    row.update({k: values.get(k) for k in INPUTS})
    return row


def worked_pool() -> list[dict]:
    """docs/methods.md, "Evaluation of enterprises": seven firms; 3 has no land, 6 is too young."""
    return [firm(i, unrated=(i == 6), tax_paid=100.0 * i, value_added=500.0 * i, revenue=2000.0 * i,
                 rd_spending=20.0 * i, energy_use=50.0, pollutant_emissions=5.0, employment=100.0,
                 land_mu=None if i == 3 else 10.0) for i in range(1, 8)]


def by_id(table: pa.Table) -> dict[int, dict]:
    return {row["enterprise_id"]: row for row in table.to_pylist()}


def test_worked_example_to_the_digit():
    result = by_id(evaluate(pa.Table.from_pylist(worked_pool()), SCHEME))
    # Tax per mu 10, 20, 40, 50, 70 over the firms with land: benchmark 38 (the pool's mean, no prior year).
    assert result[7]["b_tax_per_mu"] == 38.0
    assert result[7]["s_tax_per_mu"] == 45.0  # 70/38 = 1.84, capped at 1.5 × 30
    assert result[5]["s_tax_per_mu"] == pytest.approx(30 * 50 / 38)  # 39.4737
    # Firm 3 has no land: no per-mu figure; it takes the pool's average score and is marked.
    assert result[3]["x_tax_per_mu"] is None and result[3]["imputed_tax_per_mu"]
    assert result[3]["s_tax_per_mu"] == pytest.approx((30 / 38) * (10 + 20 + 40 + 50) / 5 + 45 / 5)
    # The other indicators are alike for every firm but R&D intensity (1% each) and labour productivity.
    assert [result[i]["klass"] for i in (7, 5, 4, 3, 2, 1)] == ["A", "B", "B", "C", "C", "D"]
    assert [result[i]["rank"] for i in (7, 5, 4, 3, 2, 1)] == [1, 2, 3, 4, 5, 6]
    assert result[6]["klass"] == "U" and result[6]["rank"] is None and result[6]["total"] is None


def _random_pool(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        land = rng.choice([None, 0.0] + [rng.uniform(5, 300)] * 8)
        rows.append(firm(i, pool=rng.choice(["above", "below"]), unrated=rng.random() < 0.05,
                         tax_paid=rng.uniform(-50, 2000), value_added=rng.uniform(0, 20000), revenue=rng.uniform(1, 90000),
                         rd_spending=rng.choice([None, rng.uniform(0, 3000)]), energy_use=rng.choice([0.0, rng.uniform(1, 9000)]),
                         pollutant_emissions=rng.uniform(0.1, 500), employment=rng.uniform(5, 3000), land_mu=land))
    return rows


@pytest.mark.parametrize("variant", ["default", "prior", "constant", "cutoffs", "zero"])
def test_the_ibis_path_and_the_reference_agree(variant):
    data = yaml.safe_load((SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8"))
    now, prior = _random_pool(1, 400), None
    if variant == "prior":
        prior = _random_pool(2, 300)
    if variant == "constant":
        data["benchmark"] = {"kind": "constant", "values": {i["code"]: 5.0 for i in data["indicators"]}}
    if variant == "cutoffs":
        data["classing"] = {"kind": "cutoffs", "cutoffs": {"A": 110, "B": 80, "C": 50}}
    if variant == "zero":
        data["missing"] = "zero"
    scheme = parse_scheme(data)
    ours = by_id(evaluate(pa.Table.from_pylist(now), scheme, pa.Table.from_pylist(prior) if prior else None))
    reference = evaluate_rows(now, scheme, prior)
    assert ours.keys() == reference.keys()
    for eid, expected in reference.items():
        got = ours[eid]
        assert got["klass"] == expected["class"] and got["rank"] == expected["rank"], eid
        if expected["total"] is None:
            assert got["total"] is None
            continue
        assert got["total"] == pytest.approx(expected["total"], rel=1e-12, abs=1e-9)
        for ind in scheme.indicators:
            assert got[f"s_{ind.code}"] == pytest.approx(expected[ind.code]["score"], rel=1e-12, abs=1e-9)
            assert got[f"imputed_{ind.code}"] == expected[ind.code]["imputed"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [(lambda d: d["indicators"][0].update(weight=25), "indicators", "the weights add up to 95, not 100"),
     (lambda d: d["classing"]["quotas"].update(D=10), "classing.quotas", "the quotas add up to 105%, not 100%"),
     (lambda d: d["classing"]["quotas"].pop("D"), "classing.quotas", "give a quota for each of A, B, C and D"),
     (lambda d: d.update(classing={"kind": "cutoffs", "cutoffs": {"A": 50, "B": 80, "C": 20}}), "classing.cutoffs",
      "the cut-offs must fall from A to C"),
     (lambda d: d["indicators"][0].update(numerator="profit"), "indicators.0.numerator", ""),
     (lambda d: d.update(benchmark={"kind": "constant", "values": {}}), "benchmark.values", "a constant benchmark above 0")],
)
def test_bad_schemes_are_named(change, field, message):
    data = yaml.safe_load((SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(BadInput) as info:
        parse_scheme(data)
    assert any(f == field and message in m for f, m in info.value.problems), info.value.problems
