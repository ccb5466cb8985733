"""The plan-schedule method, checked against the worked examples in docs/methods.md."""

from __future__ import annotations

import pytest

from clusterwatch.assessment.progress import assess_growth, assess_level, meets

BASE = {"goal": 160.0, "comparator": "=", "target_year": 2025, "baseline": (2019, 100.0)}


@pytest.mark.parametrize(
    ("latest", "status", "completion"),
    [(135.0, "ahead", 0.583333), (130.0, "on_track", 0.5), (127.0, "behind", 0.45), (120.0, "behind", 0.333333)],
)
def test_midway_statuses(latest, status, completion):
    # Baseline 100 in 2019, goal 160 in 2025, latest value in 2022: τ = 3/6 = 0.5.
    result = assess_level({2019: 100.0, 2022: latest}, **BASE)
    assert result.status == status
    assert result.elapsed == 0.5
    assert result.completion == pytest.approx(completion, abs=1e-6)
    assert result.path == [(2019, 100.0), (2025, 160.0)]


def test_achieved_before_the_target_year():
    result = assess_level({2019: 100.0, 2024: 161.0}, **BASE)
    assert result.status == "achieved" and result.share_of_goal == pytest.approx(161 / 160)


def test_missed_at_the_target_year():
    result = assess_level({2019: 100.0, 2025: 150.0}, **BASE)
    assert result.status == "missed" and result.completion == pytest.approx(50 / 60)


def test_without_a_stated_baseline_the_first_observed_year_is_used():
    result = assess_level({2020: 110.0, 2023: 140.0}, goal=160.0, comparator="=", target_year=2025)
    assert (result.baseline_year, result.baseline_value, result.baseline_stated) == (2020, 110.0, False)
    assert result.completion == pytest.approx(0.6) and result.elapsed == pytest.approx(0.6)
    assert result.status == "on_track"


def test_one_point_is_insufficient_not_guessed():
    result = assess_level({2023: 140.0}, goal=160.0, comparator="=", target_year=2025)
    assert result.status == "insufficient_data" and result.completion is None


def test_no_data():
    assert assess_level({}, **BASE).status == "no_data"


def test_as_of_ignores_later_years():
    result = assess_level({2019: 100.0, 2022: 130.0, 2025: 170.0}, **BASE, as_of=2022)
    assert (result.year, result.status) == (2022, "on_track")


def test_growth_goal():
    # 15000 in 2019 to 21000 in 2023: (1.4)^(1/4) − 1 = 8.78% a year, against a goal of 10%.
    result = assess_growth({2019: 15000.0, 2023: 21000.0}, goal_rate=10.0, comparator=">=", target_year=2025,
                           baseline=(2019, 15000.0))
    assert result.cagr == pytest.approx(8.7757, abs=1e-4)
    assert result.status == "behind"
    final = assess_growth({2019: 15000.0, 2025: 27000.0}, goal_rate=10.0, comparator=">=", target_year=2025)
    assert final.cagr == pytest.approx(10.2924, abs=1e-4) and final.status == "achieved"


@pytest.mark.parametrize(
    ("value", "comparator", "goal", "lower", "expected"),
    [(100, "=", 100, False, True), (101, "=", 100, False, True), (99, "=", 100, False, False),
     (100, ">", 100, False, False), (95.5, "~", 100, False, True), (94.9, "~", 100, False, False),
     (80, "=", 100, True, True), (80, "<=", 100, False, True), (100, ">=", 100, False, True)],
)
def test_meets(value, comparator, goal, lower, expected):
    assert meets(value, comparator, goal, lower_is_better=lower) is expected


def test_range():
    assert meets(4, "range", 3, 5) and not meets(6, "range", 3, 5)
