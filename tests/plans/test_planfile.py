"""The plan file: the embedded Guangdong plan passes, and every kind of mistake is named."""

from __future__ import annotations

import re

import pytest
import yaml

from clusterwatch.plans.planfile import PlanFileError, describe, embedded_plan_path, parse_plan_text, read_plan_file
from clusterwatch.problems import BadInput, Message

GUANGDONG = embedded_plan_path()


@pytest.fixture(scope="module")
def plan():
    return read_plan_file(GUANGDONG).data


def test_guangdong_has_the_20_strategic_clusters_in_order(plan):
    strategic = [c for c in plan.clusters if c.kind in ("pillar", "emerging")]
    assert [c.kind for c in strategic] == ["pillar"] * 10 + ["emerging"] * 10
    assert strategic[0].name_zh == "新一代电子信息"
    assert strategic[10].name_zh == "半导体与集成电路"
    assert strategic[-1].name_zh == "精密仪器设备"
    assert len({c.slug for c in plan.clusters}) == len(plan.clusters)
    assert {c.name_zh for c in plan.clusters if c.kind == "future"} >= {"卫星互联网", "干细胞", "超材料"}


def test_guangdong_regions_are_the_21_cities_in_four_zones(plan):
    cities = [r for r in plan.regions if r.level == "city"]
    assert len(cities) == 21
    assert all(r.name_zh.endswith("市") and r.parent == "440000" for r in cities)
    zones = {}
    for r in cities:
        zones.setdefault(r.zone, []).append(r.name_zh)
    assert {z: len(v) for z, v in zones.items()} == {"prd": 9, "east": 4, "west": 3, "north": 5}
    assert {r.code: r.name_zh for r in cities}["441900"] == "东莞市"


def test_guangdong_counties_come_from_the_division_code_list(plan):
    counties = [r for r in plan.regions if r.level == "county"]
    assert len(counties) == 122
    cities = {r.code for r in plan.regions if r.level == "city"}
    assert all(c.parent in cities and c.code[:4] == c.parent[:4] for c in counties)
    # 东莞 and 中山 have towns directly under the city, no county level.
    assert not [c for c in counties if c.parent in ("441900", "442000")]
    panyu = next(c for c in counties if c.code == "440113")
    assert (panyu.name_zh, panyu.name_en) == ("番禺区", "Panyu District")


def test_layout_matrices_give_287_placements_matching_their_own_totals(plan):
    pillar, emerging = plan.layout
    assert sum(len(row.cells) for row in pillar.rows) == 153
    assert sum(len(row.cells) for row in emerging.rows) == 134
    assert all(row.stated_count == len(row.cells) for t in plan.layout for row in t.rows)
    # Emerging table: ★★★★ is its top tier, normalised to core like ★★★ in the pillar table.
    assert emerging.marks["★★★★"] == "core" and pillar.marks["★★★"] == "core"
    electronics = pillar.rows[0]
    assert electronics.cells["广州市"] == "core" and electronics.cells["佛山市"] == "key"
    assert "揭阳市" not in electronics.cells


def test_targets_are_normalised_to_the_indicator_unit(plan):
    by_code = {t.code: t for t in plan.targets}
    assert (by_code["electronics-revenue"].value, by_code["electronics-revenue"].unit) == (66000, "亿元")
    assert (by_code["mfg-invention-patents"].value, by_code["mfg-invention-patents"].unit) == (230000, "件")
    assert (by_code["industrial-internet-firms"].value, by_code["industrial-internet-firms"].unit) == (50000, "家")
    assert by_code["biomedicine-health-revenue"].aspirational is True
    assert by_code["emerging-revenue-growth"].measure == "cagr" and by_code["emerging-revenue-growth"].unit == "%"


def test_every_strategic_cluster_but_one_has_a_headline_goal(plan):
    strategic = {c.slug for c in plan.clusters if c.kind in ("pillar", "emerging")}
    headlined = {t.scope.cluster for t in plan.targets if t.headline}
    # 002 gives 区块链与量子信息 no quantitative goal (line 458): none is invented.
    assert strategic - headlined == {"blockchain-quantum"}


# --- bad input: each problem names the line and the field -------------------------------

def mutate(change) -> bytes:
    data = yaml.safe_load(GUANGDONG.read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def problems_of(raw: bytes) -> list[str]:
    """Each problem as its English text reads: "line 12: targets[3].unit: message"."""
    with pytest.raises(PlanFileError) as info:
        parse_plan_text(raw, source="bad.yaml")
    assert all(isinstance(p.message, Message) for p in info.value.problems)
    return [describe(p) for p in info.value.problems]


def test_malformed_yaml_names_the_line():
    problems = problems_of(b"format: clusterwatch-plan/1\nplan: {code: x\nregions: []\n")
    assert len(problems) == 1 and problems[0].startswith("line ") and "not valid YAML" in problems[0]


def test_not_utf8_is_refused():
    assert "not UTF-8" in problems_of("format: 计划".encode("gb18030"))[0]


def test_a_list_at_the_top_is_refused():
    assert "mapping" in problems_of(b"- a\n- b\n")[0]


def test_missing_and_misspelt_fields_are_named():
    def change(d):
        del d["targets"][0]["comparator"]
        d["targets"][1]["valeu"] = 3
    problems = problems_of(mutate(change))
    # pydantic's errors in our words (clusterwatch.problems.pydantic_message), at the field's line.
    assert any(p.endswith("targets[0].comparator: the comparator is missing") for p in problems)
    assert any("targets[1].valeu" in p and "valeu is not a field here" in p for p in problems)
    assert all(re.match(r"line \d+: ", p) for p in problems)


def test_unknown_cluster_in_a_target_scope():
    problems = problems_of(mutate(lambda d: d["targets"][14]["scope"].update(cluster="quantum-toasters")))
    assert len(problems) == 1
    assert "targets[14].scope.cluster: unknown cluster 'quantum-toasters'" in problems[0]


def test_unknown_region_in_the_layout():
    def change(d):
        cells = d["layout"][0]["rows"][0]["cells"]
        cells["香港"] = cells.pop("广州市")
    problems = problems_of(mutate(change))
    assert any("layout[0].rows[0].cells.香港: unknown region '香港'" in p for p in problems)
    # Moving a mark also breaks the table's own totals, and that is said too.
    assert any("广州市: 9 clusters placed, the table states 10" in p for p in problems)


def test_unit_that_does_not_fit_the_indicator():
    problems = problems_of(mutate(lambda d: d["targets"][14].update(unit="%")))
    assert any("targets[14].unit: unit % does not fit indicator revenue (measured in 亿元)" in p for p in problems)


def test_counts_of_different_things_do_not_convert():
    problems = problems_of(mutate(lambda d: d["targets"][3].update(unit="万家")))
    assert any("unit 万家 does not fit indicator mfg_invention_patents" in p for p in problems)


def test_unknown_unit():
    assert any("unknown unit '万头'" in p for p in problems_of(mutate(lambda d: d["targets"][0].update(unit="万头"))))


def test_duplicate_target():
    def change(d):
        copy = dict(d["targets"][14])
        copy["code"] = "electronics-revenue-again"
        d["targets"].append(copy)
    problems = problems_of(mutate(change))
    assert any("duplicate target" in p and "electronics-revenue" in p for p in problems)


def test_duplicate_target_code():
    problems = problems_of(mutate(lambda d: d["targets"][1].update(code=d["targets"][0]["code"])))
    assert any("targets[1].code: duplicate code 'mfg-va-gdp-share'" in p for p in problems)


def test_layout_row_that_disagrees_with_its_stated_count():
    problems = problems_of(mutate(lambda d: d["layout"][1]["rows"][0].update(stated_count=12)))
    assert any("layout[1].rows[0].stated_count: 半导体与集成电路: 11 cities placed, the table states 12" in p for p in problems)


def test_placeholder_value_is_refused_not_guessed():
    problems = problems_of(mutate(lambda d: d["targets"][0].update(value=None)))
    assert any("targets[0].value" in p and "placeholder" in p for p in problems)


def test_range_needs_an_upper_value():
    problems = problems_of(mutate(lambda d: d["targets"][0].update(comparator="range")))
    assert any("targets[0].value_max: a range needs value_max" in p for p in problems)


RELATIVE = {"code": "frontier-materials-revenue-doubling", "scope": {"cluster": "frontier-materials"},
            "indicator": "revenue", "measure": "relative", "base_year": 2019, "comparator": ">=", "value": 2,
            "unit": "倍", "year": 2025, "method": "cagr_ratio",
            "source": {"document": "001", "line": 64, "text": "实现营业收入翻一番"}}


def test_a_relative_target_with_its_base_year_and_method_is_accepted():
    data = parse_plan_text(mutate(lambda d: d["targets"].append(dict(RELATIVE))), source="plan.yaml").data
    target = data.targets[-1]
    assert (target.measure, target.base_year, target.value, target.unit, target.method) == ("relative", 2019, 2, "倍", "cagr_ratio")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_year": None}, "base_year: a relative target needs the base year its multiple is of"),
        ({"base_year": 2025}, "base_year: the base year must be before the target year"),
        ({"unit": "%"}, "unit: a relative target is stated as a multiple (倍) of its base year"),
        ({"measure": "level", "unit": "亿元"}, "base_year: only a relative target has a base year"),
        ({"method": "eyeballing"}, "method"),
    ],
)
def test_bad_relative_targets_are_named(change, message):
    problems = problems_of(mutate(lambda d: d["targets"].append({**RELATIVE, **change})))
    assert any(message in p for p in problems), problems


def test_unknown_document_in_a_citation():
    problems = problems_of(mutate(lambda d: d["targets"][0]["source"].update(document="999")))
    assert any("targets[0].source.document: unknown document '999'" in p for p in problems)


def test_all_problems_are_reported_at_once():
    def change(d):
        d["targets"][0]["unit"] = "万吨"
        d["targets"][14]["scope"]["cluster"] = "nope"
        d["regions"][1]["zone"] = "atlantis"
    assert len(problems_of(mutate(change))) == 3


def test_missing_file_is_named(tmp_path):
    with pytest.raises(PlanFileError) as info:
        read_plan_file(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(info.value) and "cannot read" in str(info.value)


def test_a_region_cannot_be_its_own_ancestor():
    def change(d):
        d["regions"][0]["parent"] = "440100"
    problems = problems_of(mutate(change))
    assert any("regions[0].parent: region 440000 is its own ancestor" in p for p in problems)


def test_guangdong_forms(plan):
    forms = {f.code: f for f in plan.forms}
    assert set(forms) == {"cluster-monthly", "cluster-annual", "province-annual", "enterprise-annual"}
    monthly = forms["cluster-monthly"]
    assert (monthly.period_type, monthly.level, monthly.disaggregation, monthly.due_days) == ("M", "county", "cluster", 10)
    firms = forms["enterprise-annual"]
    assert firms.level == "enterprise" and [(i.indicator, i.unit) for i in firms.indicators][:2] == [("revenue", "万元"), ("value_added", "万元")]


def test_a_form_asking_in_a_unit_of_another_kind():
    problems = problems_of(mutate(lambda d: d["forms"][3]["indicators"][0].update(unit="吨")))
    assert any("forms[3].indicators[0].unit" in p and "吨 cannot be converted to 亿元" in p for p in problems)


def test_a_form_of_firms_cannot_be_split_by_cluster():
    problems = problems_of(mutate(lambda d: d["forms"][3].update(disaggregation="cluster")))
    assert any("forms[3].disaggregation" in p and "one row per firm" in p for p in problems)


def test_a_form_with_an_unknown_period_type():
    problems = problems_of(mutate(lambda d: d["forms"][1].update(period_type="W")))
    assert any(p.startswith("line ") and "forms[1].period_type" in p for p in problems)


def test_bad_forms_are_named():
    def change(d):
        d["forms"][0]["expiry_days"] = 5
        d["forms"][0]["indicators"].append({"indicator": "rd_intensity"})
        d["forms"][1]["indicators"].append({"indicator": "revenue"})
        d["forms"][2]["indicators"][0]["min"] = 200
        d["forms"][2]["indicators"].append({"indicator": "happiness"})

    problems = problems_of(mutate(change))
    assert any("forms[0].expiry_days: entry would lock (5 days) before the return is due (10 days)" in p for p in problems)
    assert any("forms[0].indicators[3].indicator: rd_intensity is computed from its parts" in p for p in problems)
    assert any("forms[1].indicators[5].indicator: revenue is in the form twice" in p for p in problems)
    assert any("forms[2].indicators[0].max: max is below min" in p for p in problems)
    assert any("forms[2].indicators[13].indicator: unknown indicator 'happiness'" in p for p in problems)


def test_a_bad_plan_file_is_bad_input_with_each_problem_at_its_line_and_field():
    with pytest.raises(BadInput) as info:
        parse_plan_text(mutate(lambda d: d["targets"][14]["scope"].update(cluster="nope")), source="bad.yaml")
    error = info.value
    assert isinstance(error, PlanFileError) and error.source == "bad.yaml"
    [problem] = error.problems
    assert problem.field == "targets[14].scope.cluster" and problem.row and problem.row > 1
    assert (problem.message.id, problem.message.params) == ("unknown cluster {name}", {"name": "'nope'"})
    assert (error.field, error.message) == (problem.field, problem.message)
    assert str(error) == f"bad.yaml: 1 problem(s) in the plan file:\n  bad.yaml, line {problem.row}: " \
                         "targets[14].scope.cluster: unknown cluster 'nope'"
    assert error.summary == "bad.yaml: 1 problem(s) in the plan file:"


def test_a_validators_own_words_are_kept():
    with pytest.raises(PlanFileError) as info:
        parse_plan_text(mutate(lambda d: d["targets"][0].update(value=None)), source="bad.yaml")
    [problem] = info.value.problems
    assert problem.message.id == "a target needs a value (a placeholder such as **% cannot be loaded)"
