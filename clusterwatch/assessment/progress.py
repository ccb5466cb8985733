"""Where a target stands: the plan-schedule method (docs/methods.md, "Progress of a target").

For a level goal G for year T, measured from a baseline y0 in year t0, with the latest
value y in year t:
    completion  P = (y − y0) / (G − y0)
    elapsed     τ = (t − t0) / (T − t0)
    achieved    the comparator holds for y against G (≈ within 5%)
    ahead       P ≥ τ + 0.05       on track   |P − τ| < 0.05      behind   P ≤ τ − 0.05
    missed      t ≥ T and not achieved
For a growth goal (年均增长 g%), the actual CAGR (y / y0)^(1/(t − t0)) − 1 is compared with g.
Fewer than two points in time (no baseline and one observation) give "insufficient data":
no status is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARGIN = 0.05
APPROX = 0.05


@dataclass
class Progress:
    status: str  # achieved, ahead, on_track, behind, missed, no_data, insufficient_data
    goal: float | None
    method: str = "plan_schedule"  # or "growth_rate" for goals of average annual growth
    year: int | None = None
    value: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    baseline_stated: bool = False
    completion: float | None = None
    elapsed: float | None = None
    share_of_goal: float | None = None
    cagr: float | None = None
    path: list[tuple[int, float]] = field(default_factory=list)


def meets(value: float, comparator: str, goal: float, goal_max: float | None = None, *, lower_is_better: bool = False) -> bool:
    """Does `value` satisfy the goal as the plan states it?

    达到 (=) is read as "at least" for a higher-is-better indicator (reaching 6.6万亿元 and
    going past it both meet the goal), and as "at most" for a lower-is-better one.
    """
    if comparator == "range":
        return goal <= value <= (goal_max if goal_max is not None else goal)
    if comparator == "~":
        return value >= goal * (1 - APPROX) if not lower_is_better else value <= goal * (1 + APPROX)
    if comparator == ">":
        return value > goal
    if comparator == "<":
        return value < goal
    if comparator == ">=":
        return value >= goal
    if comparator == "<=":
        return value <= goal
    return value <= goal if lower_is_better else value >= goal


def _latest_against_baseline(series: dict[int, float], goal: float, method: str, as_of: int | None,
                             baseline: tuple[int, float] | None) -> Progress:
    """The latest point up to `as_of` and the point it is measured from.

    The stated baseline when it is earlier than the latest point, else the first observed
    year. Status starts as insufficient data; the callers decide the rest.
    """
    points = {y: v for y, v in series.items() if as_of is None or y <= as_of}
    if not points:
        return Progress("no_data", goal, method)
    t = max(points)
    stated = baseline is not None and baseline[0] < t
    t0, y0 = baseline if stated else (min(points), points[min(points)])
    return Progress("insufficient_data", goal, method, t, points[t], t0, y0, stated)


def assess_level(
    series: dict[int, float],
    *,
    goal: float,
    comparator: str,
    target_year: int,
    as_of: int | None = None,
    baseline: tuple[int, float] | None = None,
    goal_max: float | None = None,
    lower_is_better: bool = False,
) -> Progress:
    result = _latest_against_baseline(series, goal, "plan_schedule", as_of, baseline)
    if result.status == "no_data":
        return result
    t, y, t0, y0 = result.year, result.value, result.baseline_year, result.baseline_value
    result.share_of_goal = y / goal if goal else None
    if target_year > t0:
        result.path = [(t0, y0), (target_year, goal)]
    if meets(y, comparator, goal, goal_max, lower_is_better=lower_is_better):
        result.status = "achieved"
        return result
    if t0 >= t or target_year <= t0 or goal == y0:
        return result
    result.completion = (y - y0) / (goal - y0)
    result.elapsed = min(1.0, (t - t0) / (target_year - t0))
    if t >= target_year:
        result.status = "missed"
    elif result.completion >= result.elapsed + MARGIN:
        result.status = "ahead"
    elif result.completion > result.elapsed - MARGIN:
        result.status = "on_track"
    else:
        result.status = "behind"
    return result


def assess_growth(
    series: dict[int, float],
    *,
    goal_rate: float,
    comparator: str,
    target_year: int,
    as_of: int | None = None,
    baseline: tuple[int, float] | None = None,
) -> Progress:
    """A goal of average annual growth (goal_rate in %), from the baseline to the target year."""
    result = _latest_against_baseline(series, goal_rate, "growth_rate", as_of, baseline)
    if result.status == "no_data":
        return result
    t, y, t0, y0 = result.year, result.value, result.baseline_year, result.baseline_value
    if t <= t0 or y0 <= 0 or y <= 0:
        return result
    result.cagr = ((y / y0) ** (1 / (t - t0)) - 1) * 100
    result.share_of_goal = result.cagr / goal_rate if goal_rate else None
    result.path = [(t0, y0), (target_year, y0 * (1 + goal_rate / 100) ** (target_year - t0))]
    on_pace = meets(result.cagr, comparator, goal_rate)
    if t >= target_year:
        result.status = "achieved" if on_pace else "missed"
    else:
        result.status = "on_track" if on_pace else "behind"
    return result
