"""Goals and baselines from sentences as plans write them."""

from __future__ import annotations

from clusterwatch.plans.extraction.goals import extract_goals, plan_period
from clusterwatch.plans.extraction.reading import SourceDocument


def extract(*lines):
    document = SourceDocument("test.txt", ["广东省培育测试产业集群行动计划（2021—2025年）", *lines])
    return extract_goals(document)


def test_plan_period_from_the_title():
    assert plan_period(["广东省发展先进材料战略性支柱产业集群行动计划（2021—2025年）"]) == (2021, 2025)
    assert plan_period(["计划", "到2030年，收入达到5亿元。"]) == (None, 2030)


def test_a_goal_with_its_year_comparator_and_citation():
    goals, baselines = extract("到 2025 年，测试产业营业收入突破 4000 亿元，打造国内领先的产业集群。")
    assert baselines == []
    [goal] = goals
    assert (goal["value"], goal["unit"], goal["year"], goal["comparator"], goal["year_inferred"]) == (4000, "亿元", 2025, ">", False)
    assert goal["source"] == {"line": 2, "text": "到 2025 年，测试产业营业收入突破 4000 亿元"}


def test_comparators():
    goals, _ = extract("到2025年，比重在35%以上，产值约3000亿元，能耗不高于0.5吨，企业超过100家，合格率达到94%。")
    assert [g["comparator"] for g in goals] == [">=", "~", "<=", ">", "="]


def test_aspirational_only_after_liZheng():
    goals, _ = extract("到2025年，营业收入达到2.8万亿元，力争培育龙头企业5家。")
    assert [(g["value"], g["aspirational"]) for g in goals] == [(28000, False), (5, True)]


def test_year_inferred_from_the_plan_horizon():
    goals, _ = extract("培育一批单项冠军企业，新增国家级平台10个。")
    assert (goals[0]["year"], goals[0]["year_inferred"]) == (2025, True)


def test_past_figures_are_baselines_with_their_year():
    goals, baselines = extract("2019年，全省产业主营业务收入达21540亿元，占比从2015年的1.35%提高到1.67%。")
    assert goals == []
    assert [(b["value"], b["year"]) for b in baselines] == [(21540, 2019), (1.35, 2015), (1.67, 2019)]


def test_status_section_figures_are_baselines_of_its_year():
    goals, baselines = extract("一、发展基础", "2020年，全省制造业增加值3.01万亿元。", "规模以上制造业企业数量超过5万家。")
    assert goals == [] and [(b["value"], b["year"]) for b in baselines] == [(30100, 2020), (50000, 2020)]


def test_thresholds_qualify_counts():
    goals, _ = extract("到2025年，培育产值超50亿的龙头企业5家，形成10个千亿级子集群，培育壮大4-5家营业收入超百亿元的龙头企业。")
    assert [(g["value"], g["value_max"], g["unit"], g["qualifier"]) for g in goals] == [
        (5, None, "家", "超50亿"), (10, None, "个", "千亿级"), (4, 5, "家", "超百亿元")]
    assert goals[2]["comparator"] == "range"


def test_a_single_thing_described_by_its_figure():
    goals, _ = extract("到2025年，全省形成1个超万亿元的建筑材料产业集群。")
    assert [(g["value"], g["unit"]) for g in goals] == [(10000, "亿元")]


def test_respectively_gives_one_goal_each():
    goals, _ = extract("到2025年，现代农业与食品产业产值分别接近1万亿元。")
    assert [(g["scope"], g["value"], g["comparator"]) for g in goals] == [("现代农业", 10000, "~"), ("食品", 10000, "~")]


def test_placeholder_is_unspecified_not_guessed():
    goals, _ = extract("到2025年，抽查合格率达到**%。")
    assert (goals[0]["value"], goals[0]["unit"]) == (None, "%")


def test_growth_and_relative_goals():
    goals, _ = extract("到2025年，营业收入年均增长达到15%以上，实现营业收入翻一番，其中国际专利比2018年增长50%。")
    assert [(g["value"], g["qualifier"]) for g in goals] == [(15, "年均增长"), (100, "翻一番"), (50, None)]
    assert goals[2]["baseline"] == {"value": None, "unit": "%", "year": 2018}


def test_a_goal_split_over_a_page_break_cites_the_line_of_its_number():
    goals, _ = extract("到 2025 年，累计获得中国质量奖或提名", "", "奖企业数量达到 20 家次。")
    assert (goals[0]["value"], goals[0]["year"], goals[0]["source"]["line"]) == (20, 2025, 4)
