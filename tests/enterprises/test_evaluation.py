"""The evaluation: the Ibis/DuckDB path against the plain-Python reference, and the worked example."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
import yaml

from clusterwatch.enterprises.evaluation.engine import evaluate
from clusterwatch.enterprises.evaluation.reference import evaluate_rows
from clusterwatch.enterprises.evaluation.scheme import SCHEMES, load_scheme, parse_scheme
from clusterwatch.problems import BadInput, Message

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
    assert any(p.field == field and message in p.message for p in info.value.problems), info.value.problems


def test_every_problem_of_a_scheme_has_its_field_and_a_message():
    """Pydantic's problems by their place (its loc), the scheme's own rules by the field they name."""
    data = yaml.safe_load((SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8"))
    data["indicators"][1]["weight"] = -5
    data["benchmark"]["kind"] = "median"
    del data["name_zh"]
    with pytest.raises(BadInput) as info:
        parse_scheme(data)
    problems = {p.field: p.message for p in info.value.problems}
    assert set(problems) == {"indicators.1.weight", "benchmark.kind", "name_zh"}
    weight = problems["indicators.1.weight"]
    assert weight.id == "Input should be greater than {n}" and float(weight.params["n"]) == 0
    assert problems["benchmark.kind"] == "Input should be 'constant', 'pool_mean' or 'prior_pool_mean'"
    assert problems["name_zh"] == "the name_zh is missing"
    assert all(isinstance(m, Message) for m in problems.values())
    # The scheme's own rules: several problems at once, each at its field.
    data = yaml.safe_load((SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8"))
    data["indicators"][0]["weight"] += 5
    data["classing"]["quotas"]["D"] += 5
    with pytest.raises(BadInput) as info:
        parse_scheme(data)
    assert [(p.field, p.message.id) for p in info.value.problems] == [
        ("indicators", "the weights add up to {total}, not 100"), ("classing.quotas", "the quotas add up to {n}%, not 100%")]
    with pytest.raises(BadInput) as info:
        load_scheme("no-such-scheme")
    assert (info.value.field, info.value.message) == ("scheme", "no evaluation scheme 'no-such-scheme'")


def test_a_form_names_each_field_it_cannot_read():
    from clusterwatch.enterprises.evaluation.editing import scheme_from_form

    current = SCHEME.model_dump(mode="json")
    code = current["indicators"][0]["code"]
    form = {f"weight_{code}": "很多", "benchmark_kind": "median", "classing_kind": "quotas", "quota_A": "",
            "missing": "skip"}
    with pytest.raises(BadInput) as info:
        scheme_from_form(current, form)
    problems = {p.field: p.message for p in info.value.problems}
    assert problems == {f"weight_{code}": "'很多' is not a number", "benchmark_kind": "'median' is not a kind of benchmark",
                        "quota_A": "a number is needed here", "quota_B": "a number is needed here",
                        "quota_C": "a number is needed here", "quota_D": "a number is needed here",
                        "missing": "'skip' is neither pool_average nor zero"}
    assert all(isinstance(m, Message) for m in problems.values())
