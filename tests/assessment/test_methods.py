"""Progress methods, checked to the digit against the worked examples in docs/methods.md."""

from __future__ import annotations

import pytest

from clusterwatch.assessment.methods import Goal, assess, cagr, meets, reason_text, weighted_log_trend

LEVEL = Goal("level", "=", 160.0, 2025, baseline=(2019, 100.0))


def by_method(progress, name):
    return next(m for m in progress.methods if m.method == name)


@pytest.mark.parametrize(
    ("latest", "status", "completion"),
    [(135.0, "ahead", 0.583333), (130.0, "on_track", 0.5), (127.0, "slightly_behind", 0.45), (120.0, "behind", 0.333333)],
)
def test_plan_schedule_midway(latest, status, completion):
    # Baseline 100 in 2019, goal 160 in 2025, latest value in 2022: τ = 3/6 = 0.5.
    result = assess({2019: 100.0, 2022: latest}, LEVEL)
    plan = by_method(result, "plan_schedule")
    assert (result.method, result.status, plan.status) == ("plan_schedule", status, status)
    assert plan.elapsed == 0.5 and plan.completion == pytest.approx(completion, abs=1e-6)
    assert result.path == [(2019, 100.0), (2025, 160.0)]


def test_worked_example_every_method():
    # docs/methods.md, "Worked example": 100, 108, 118, 130 in 2019–2022; G = 160 in 2025.
    result = assess({2019: 100.0, 2020: 108.0, 2021: 118.0, 2022: 130.0}, LEVEL)
    ratio = by_method(result, "cagr_ratio")
    assert ratio.required_cagr == pytest.approx(8.148375, abs=1e-6)  # 1.6^(1/6) − 1
    assert result.cagr == pytest.approx(9.139288, abs=1e-6)  # 1.3^(1/3) − 1
    assert ratio.ratio == pytest.approx(1.121609, abs=1e-6) and ratio.status == "on_track"
    geometric, regression = result.projections
    assert geometric.method == "geometric" and geometric.value == pytest.approx(169.0)
    assert geometric.gap == pytest.approx(-9.0) and geometric.gap_share == pytest.approx(-0.15) and geometric.meets_goal
    assert weighted_log_trend({2019: 100.0, 2020: 108.0, 2021: 118.0, 2022: 130.0}) == pytest.approx(1.093686, abs=1e-6)
    assert regression.value == pytest.approx(170.0674, abs=1e-4) and regression.meets_goal
    assert not result.disagree


def test_methods_disagree_and_both_are_kept():
    # 127 in 2022: behind the straight line (P = 0.45 ≤ τ − 0.05) yet growing faster than required
    # (8.29% against 8.15% a year, R = 1.018): the plan schedule says amber, the CAGR ratio green.
    result = assess({2019: 100.0, 2022: 127.0}, LEVEL)
    assert by_method(result, "plan_schedule").status == "slightly_behind"
    ratio = by_method(result, "cagr_ratio")
    assert ratio.status == "on_track" and ratio.ratio == pytest.approx(1.017775, abs=1e-6)
    assert result.disagree and result.light == "amber"
    chosen = assess({2019: 100.0, 2022: 127.0}, LEVEL, method="cagr_ratio")
    assert (chosen.method, chosen.status, chosen.light) == ("cagr_ratio", "on_track", "green")


@pytest.mark.parametrize(
    ("latest", "status"),
    [(125.0, "moderate"), (110.0, "insufficient_progress"), (95.0, "moving_away")],
)
def test_cagr_ratio_bands(latest, status):
    # Required 8.148% a year; 125 in 2022 gives 7.72% (R = 0.947), 110 gives 3.23% (R = 0.396),
    # 95 gives −1.70% (R = −0.208).
    result = assess({2019: 100.0, 2022: latest}, LEVEL, method="cagr_ratio")
    assert result.status == status


def test_achieved_and_missed():
    assert assess({2019: 100.0, 2024: 161.0}, LEVEL).status == "achieved"
    final = assess({2019: 100.0, 2025: 150.0}, LEVEL)
    assert final.status == "missed" and final.completion == pytest.approx(50 / 60)
    assert by_method(final, "cagr_ratio").status == "missed" and final.projections == []


def test_without_a_stated_baseline_the_first_observed_year_is_used():
    result = assess({2020: 110.0, 2023: 140.0}, Goal("level", "=", 160.0, 2025))
    assert (result.baseline_year, result.baseline_value, result.baseline_stated) == (2020, 110.0, False)
    assert result.completion == pytest.approx(0.6) and result.elapsed == pytest.approx(0.6)
    assert result.status == "on_track"


@pytest.mark.parametrize(
    ("series", "goal", "status", "reason"),
    [
        ({}, LEVEL, "no_data", "no_data"),
        ({2023: 140.0}, Goal("level", "=", 160.0, 2025), "insufficient_data", "one_point"),
        ({2019: 0.0, 2023: 50.0}, Goal("cagr", ">=", 10.0, 2025), "not_applicable", "baseline_not_positive"),
        ({2019: -5.0, 2023: 50.0}, Goal("cagr", ">=", 10.0, 2025), "not_applicable", "baseline_not_positive"),
        ({2019: 100.0, 2023: 140.0}, Goal("level", "=", 160.0, 2018), "not_applicable", "target_year_not_after_baseline"),
        ({2020: 100.0, 2023: 140.0}, Goal("relative", ">=", 2.0, 2025, base_year=2019), "not_applicable", "base_year_missing"),
    ],
)
def test_what_cannot_be_computed_is_said_not_guessed(series, goal, status, reason):
    result = assess(series, goal)
    assert (result.status, result.reason, result.light) == (status, reason, "grey")
    assert result.completion is None and result.projections == []
    assert all(m.status == status and m.reason == reason for m in result.methods)
    assert reason_text(reason, "zh") and reason_text(reason, "en")
    assert (result.reason_zh, result.reason_en) == (reason_text(reason, "zh"), reason_text(reason, "en"))


def test_zero_baseline_leaves_the_plan_schedule_standing():
    # A level goal from 0: completion is defined, a growth rate is not.
    result = assess({2019: 0.0, 2022: 3.0}, Goal("level", "=", 6.0, 2025))
    assert result.status == "on_track" and result.completion == pytest.approx(0.5)
    ratio = by_method(result, "cagr_ratio")
    assert (ratio.status, ratio.reason) == ("not_applicable", "baseline_not_positive")


def test_as_of_ignores_later_years():
    result = assess({2019: 100.0, 2022: 130.0, 2025: 170.0}, LEVEL, as_of=2022)
    assert (result.year, result.status) == (2022, "on_track")


def test_growth_goal():
    # 15000 in 2019 to 21000 in 2023: 1.4^(1/4) − 1 = 8.78% a year against 10%: R = 0.878.
    goal = Goal("cagr", ">=", 10.0, 2025, baseline=(2019, 15000.0))
    result = assess({2019: 15000.0, 2023: 21000.0}, goal)
    assert result.method == "cagr_ratio" and result.status == "moderate"
    assert result.cagr == pytest.approx(8.775731, abs=1e-6) and result.share_of_goal == pytest.approx(0.877573, abs=1e-6)
    assert result.goal_level == pytest.approx(15000 * 1.1**6)
    assert by_method(result, "plan_schedule").status == "slightly_behind"  # 6000 of 11573.4 against τ = 4/6
    assert not result.projections[0].meets_goal
    final = assess({2019: 15000.0, 2025: 27000.0}, goal)
    assert final.cagr == pytest.approx(10.2924, abs=1e-4) and final.status == "achieved"


def test_relative_goal_doubling():
    # 翻一番 over 2019's stated 500: G = 1000, measured from 2019.
    goal = Goal("relative", ">=", 2.0, 2025, baseline=(2019, 500.0), base_year=2019)
    result = assess({2019: 480.0, 2020: 520.0, 2023: 800.0}, goal)
    assert result.goal_level == 1000.0 and (result.baseline_year, result.baseline_value) == (2019, 500.0)
    assert result.baseline_stated and result.completion == pytest.approx(0.6) and result.elapsed == pytest.approx(4 / 6)
    assert result.status == "slightly_behind"
    assert by_method(result, "cagr_ratio").ratio == pytest.approx(cagr(500, 800, 4) / cagr(500, 1000, 6))


def test_lower_is_better_ceiling():
    # Energy per unit from 20 (2019) to 16 (2023) against ≤ 12 by 2025: P = 4/8 = 0.5 < τ = 4/6.
    result = assess({2019: 20.0, 2023: 16.0}, Goal("level", "<=", 12.0, 2025, lower_is_better=True))
    assert result.status == "behind" and result.completion == pytest.approx(0.5)
    ratio = by_method(result, "cagr_ratio")
    assert ratio.status == "moderate" and ratio.ratio == pytest.approx(0.664816, abs=1e-6)
    # Shortfall is measured in the goal's direction: above a ceiling is short of it.
    assert result.projections[0].gap == pytest.approx(16 * 0.8 ** (2 / 4) - 12)
    assert assess({2019: 20.0, 2023: 11.0}, Goal("level", "<=", 12.0, 2025, lower_is_better=True)).status == "achieved"


def test_floor_already_met_is_achieved():
    # 保持在 30% 以上 from 31.5%: met all along.
    result = assess({2019: 31.5, 2022: 31.0}, Goal("level", ">=", 30.0, 2025))
    assert result.status == "achieved" and result.light == "green"


def test_a_floor_met_at_the_baseline_and_lost_is_moving_away():
    # 保持在 30% 以上: 31.5% in 2019, 29.2% in 2024. Completion would read (29.2 − 31.5)/(30 − 31.5) = 1.53
    # and the growth ratio 1.9, both "ahead": the methods do not describe holding a line.
    result = assess({2019: 31.5, 2024: 29.16}, Goal("level", ">=", 30.0, 2025))
    assert [(m.method, m.status) for m in result.methods] == [("plan_schedule", "moving_away"), ("cagr_ratio", "moving_away")]
    assert result.light == "red" and result.completion is None
    assert assess({2019: 31.5, 2025: 29.16}, Goal("level", ">=", 30.0, 2025)).status == "missed"


def test_range_goal():
    goal = Goal("level", "range", 3.0, 2025, value_max=5.0)
    assert assess({2019: 1.0, 2022: 4.0}, goal).status == "achieved"
    assert assess({2019: 1.0, 2022: 2.0}, goal).status == "on_track"  # toward the lower bound: P = 1/2, τ = 3/6


@pytest.mark.parametrize(
    ("value", "comparator", "goal", "lower", "expected"),
    [(100, "=", 100, False, True), (101, "=", 100, False, True), (99, "=", 100, False, False),
     (100, ">", 100, False, False), (95.5, "~", 100, False, True), (94.9, "~", 100, False, False),
     (80, "=", 100, True, True), (80, "<=", 100, False, True), (100, ">=", 100, False, True)],
)
def test_meets(value, comparator, goal, lower, expected):
    assert meets(value, comparator, goal, lower_is_better=lower) is expected


def test_meets_range():
    assert meets(4, "range", 3, 5) and not meets(6, "range", 3, 5)
