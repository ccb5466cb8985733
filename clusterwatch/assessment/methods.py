"""Where a target stands, by several published methods side by side (docs/methods.md, "Progress of a target").

Every method starts from the same two points: the baseline (y0 in year t0: the figure the
plan states, else the first year with data) and the latest value (y in year t, up to the
year assessed). A goal is a level G for the target year T; a growth goal (年均增长 g%) is
the level y0·(1 + g)^(T − t0); a relative goal (翻一番 over a base year b) is the level
k·y_b.

- plan schedule (规划进度): completion P = (y − y0)/(G − y0) against elapsed time
  τ = (t − t0)/(T − t0): ahead (快于预期) when P ≥ τ + 5 points, on track (基本符合预期)
  within 5 points, slightly behind (略有滞后) up to 15 points below, behind (滞后) further.
- CAGR ratio (Eurostat's method for quantified targets): R = CAGR_actual / CAGR_required,
  with CAGR_required = (G/y0)^(1/(T − t0)) − 1 (or g for a growth goal): on track R ≥ 95%,
  moderate progress 60–95%, insufficient progress 0–60%, moving away R < 0.
- Either way: achieved (提前实现 / 已实现) when y already meets the goal, missed (未实现)
  when the target year has come and it does not; a floor or ceiling met at the baseline
  and lost since is moving away (背离目标) by both methods.
- Projections to T: geometric, y·(1 + CAGR_actual)^(T − t); and, in the manner of ESCAP's
  anticipated progress, a time-weighted regression of ln y on the year (weights 1, 2, …,
  the latest year weighing most), its growth applied from the latest value.

What cannot be computed is said, with the reason, never guessed: no data, one point in
time, a baseline of zero or less for a growth method, a target year not after the baseline,
a base year without a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MARGIN = 0.05  # plan schedule: ±5 points of completion around elapsed time
SLIGHT = 0.15  # plan schedule: up to 15 points behind is "slightly behind" (amber)
APPROX = 0.05  # 约/接近: within 5% of the goal
ON_TRACK_RATIO = 0.95  # CAGR ratio thresholds (Eurostat)
MODERATE_RATIO = 0.60

METHODS = ("plan_schedule", "cagr_ratio")
LIGHTS = {
    "achieved": "green", "ahead": "green", "on_track": "green",
    "moderate": "amber", "slightly_behind": "amber",
    "behind": "red", "insufficient_progress": "red", "moving_away": "red", "missed": "red",
    "no_data": "grey", "insufficient_data": "grey", "not_applicable": "grey",
}
# Worse lights sort later; used to tell a target that turned worse.
LIGHT_ORDER = {"green": 0, "amber": 1, "red": 2, "grey": -1}


@dataclass(frozen=True)
class Goal:
    measure: str  # level | cagr | relative
    comparator: str  # = > >= < <= ~ range (for cagr: of the rate; for relative: of the multiple)
    value: float  # the level, the rate in %, or the multiple
    target_year: int
    value_max: float | None = None
    lower_is_better: bool = False
    baseline: tuple[int, float] | None = None  # a stated figure (year, value)
    base_year: int | None = None  # relative goals: the year the multiple is of


@dataclass
class MethodResult:
    method: str
    status: str
    light: str
    reason: str | None = None  # why no status could be given (a code of REASONS)
    completion: float | None = None  # plan schedule: P
    elapsed: float | None = None  # plan schedule: τ
    ratio: float | None = None  # CAGR ratio: R
    required_cagr: float | None = None  # %


@dataclass
class Projection:
    method: str  # geometric | weighted_regression
    year: int
    value: float
    meets_goal: bool
    gap: float  # how far the projection falls short of the goal level (negative: beyond it)
    gap_share: float | None  # the gap as a share of the change the plan asked for, |G − y0|


@dataclass
class Progress:
    status: str
    goal: float | None
    method: str = "plan_schedule"
    light: str = "grey"
    reason: str | None = None
    year: int | None = None
    value: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    baseline_stated: bool = False
    goal_level: float | None = None  # the goal as a level of the indicator in the target year
    completion: float | None = None
    elapsed: float | None = None
    share_of_goal: float | None = None
    cagr: float | None = None  # actual, % a year
    methods: list[MethodResult] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    path: list[tuple[int, float]] = field(default_factory=list)
    # The methods that gave a status give different lights: the page shows them all.
    disagree: bool = False
    # Why no status could be given, in words (REASONS), for readers of the API.
    reason_en: str | None = None
    reason_zh: str | None = None


REASONS = {
    "no_data": ("no approved data for this indicator and scope", "该指标和范围尚无已审核数据"),
    "one_point": ("only one year of data: two points in time are needed", "仅有一年数据，至少需要两个时点"),
    "baseline_not_positive": ("a growth rate is not defined from a baseline of zero or less",
                              "基期值为零或负数，无法计算增长率"),
    "target_year_not_after_baseline": ("the target year is not after the baseline year", "目标年份不晚于基期年份"),
    "base_year_missing": ("no value for the base year of the relative goal", "相对目标的基准年份没有数据"),
    "no_change_required": ("the goal equals the baseline, so no rate of change is required",
                           "目标值等于基期值，无需变化率"),
    "latest_not_positive": ("a growth rate is not defined for a latest value of zero or less",
                            "最新值为零或负数，无法计算增长率"),
}


def reason_text(code: str | None, language: str = "zh") -> str | None:
    if code is None:
        return None
    en, zh = REASONS[code]
    return zh if language == "zh" else en


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


def cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth in %, or None where it is not defined."""
    if start <= 0 or end <= 0 or years <= 0:
        return None
    return ((end / start) ** (1 / years) - 1) * 100


def _status(method: str, status: str, reason: str | None = None, /, **figures: float | None) -> MethodResult:
    # Positional-only, so that a dict of figures passed as ** cannot fill `reason`.
    return MethodResult(method, status, LIGHTS[status], reason, **figures)


def assess(series: dict[int, float], goal: Goal, *, as_of: int | None = None, method: str | None = None) -> Progress:
    """Progress of one goal by every method; `method` (default by measure) is the headline."""
    chosen = method or ("cagr_ratio" if goal.measure == "cagr" else "plan_schedule")
    points = {y: v for y, v in series.items() if as_of is None or y <= as_of}
    result = Progress("no_data", goal.value, chosen)
    if not points:
        return _finish(result, [], "no_data")
    t = max(points)
    y = points[t]
    stated = goal.baseline is not None and goal.baseline[0] < t
    t0, y0 = goal.baseline if goal.baseline is not None and stated else (min(points), points[min(points)])
    result.year, result.value = t, y
    result.baseline_year, result.baseline_value, result.baseline_stated = t0, y0, stated

    level, comparator, level_max, reason = _goal_level(goal, points, t0, y0)
    result.goal_level = level
    if reason:
        return _finish(result, [], reason)
    if goal.measure == "relative":
        # A multiple of a base year is measured from that year, whatever else is known.
        assert goal.base_year is not None  # else _goal_level gave "base_year_missing"
        t0, y0 = goal.base_year, level / goal.value
        result.baseline_year, result.baseline_value = t0, y0
        result.baseline_stated = goal.baseline is not None and goal.baseline[0] == t0
    if goal.measure != "cagr":
        result.share_of_goal = y / level if level else None
    if goal.target_year > t0:
        result.path = [(t0, y0), (goal.target_year, level)]
    if t > t0:
        result.cagr = cagr(y0, y, t - t0)
        if goal.measure == "cagr" and result.cagr is not None and goal.value:
            result.share_of_goal = result.cagr / goal.value

    if t <= t0:
        return _finish(result, [], "one_point")
    if goal.target_year <= t0:
        return _finish(result, [], "target_year_not_after_baseline")

    if goal.measure == "cagr":
        achieved = t >= goal.target_year and result.cagr is not None and meets(result.cagr, goal.comparator, goal.value)
    else:
        achieved = meets(y, comparator, level, level_max, lower_is_better=goal.lower_is_better)
    if not achieved and goal.measure != "cagr" and meets(y0, comparator, level, level_max, lower_is_better=goal.lower_is_better):
        # A floor (or ceiling) met at the baseline and lost since: no completion or growth
        # ratio describes "hold the line"; the indicator has moved away from its goal.
        results = [_status(m, "missed" if t >= goal.target_year else "moving_away") for m in METHODS]
    else:
        results = [_plan_schedule(goal, t, y, t0, y0, level, achieved), _cagr_ratio(goal, t, y, t0, y0, level, achieved)]
    result.projections = _projections(points, goal, t0, y0, level, comparator, level_max)
    return _finish(result, results, None)


def _goal_level(goal: Goal, points: dict[int, float], t0: int, y0: float):
    """(level G, comparator, upper bound, reason): every kind of goal as a level of the indicator."""
    if goal.measure == "cagr":
        if y0 <= 0:
            return None, goal.comparator, None, "baseline_not_positive"
        return y0 * (1 + goal.value / 100) ** (goal.target_year - t0), ">=", None, None
    if goal.measure == "relative":
        base = goal.baseline[1] if goal.baseline and goal.baseline[0] == goal.base_year else (
            points.get(goal.base_year) if goal.base_year is not None else None)
        if base is None or not goal.value:
            return None, goal.comparator, None, "base_year_missing"
        maximum = goal.value_max * base if goal.value_max is not None else None
        return goal.value * base, goal.comparator, maximum, None
    return goal.value, goal.comparator, goal.value_max, None


def _finish(result: Progress, methods: list[MethodResult], reason: str | None) -> Progress:
    if reason:
        status = "no_data" if reason == "no_data" else "insufficient_data" if reason == "one_point" else "not_applicable"
        methods = [_status(m, status, reason) for m in METHODS]
    result.methods = methods
    headline = next(m for m in methods if m.method == result.method)
    result.status, result.light, result.reason = headline.status, headline.light, headline.reason
    result.reason_en, result.reason_zh = reason_text(result.reason, "en"), reason_text(result.reason, "zh")
    plan = next(m for m in methods if m.method == "plan_schedule")
    result.completion, result.elapsed = plan.completion, plan.elapsed
    result.disagree = len({m.light for m in methods if m.light != "grey"}) > 1
    return result


def _plan_schedule(goal: Goal, t: int, y: float, t0: int, y0: float, level: float, achieved: bool) -> MethodResult:
    method = "plan_schedule"
    elapsed = min(1.0, (t - t0) / (goal.target_year - t0))
    if level == y0:
        return _status(method, "achieved" if achieved else "not_applicable", None if achieved else "no_change_required",
                       elapsed=elapsed)
    completion = (y - y0) / (level - y0)
    figures = dict(completion=completion, elapsed=elapsed)
    if achieved:
        return _status(method, "achieved", **figures)
    if t >= goal.target_year:
        return _status(method, "missed", **figures)
    if completion >= elapsed + MARGIN:
        return _status(method, "ahead", **figures)
    if completion > elapsed - MARGIN:
        return _status(method, "on_track", **figures)
    if completion > elapsed - SLIGHT:
        return _status(method, "slightly_behind", **figures)
    return _status(method, "behind", **figures)


def _cagr_ratio(goal: Goal, t: int, y: float, t0: int, y0: float, level: float, achieved: bool) -> MethodResult:
    method = "cagr_ratio"
    if y0 <= 0:
        return _status(method, "not_applicable", "baseline_not_positive")
    if y <= 0:
        return _status(method, "not_applicable", "latest_not_positive")
    required = goal.value if goal.measure == "cagr" else cagr(y0, level, goal.target_year - t0)
    if required is None:
        return _status(method, "not_applicable", "baseline_not_positive")
    actual = cagr(y0, y, t - t0)
    if achieved:
        return _status(method, "achieved", required_cagr=required)
    if required == 0:
        return _status(method, "not_applicable", "no_change_required")
    assert actual is not None  # y0 > 0, y > 0 and t > t0 (assess stops earlier otherwise)
    ratio = actual / required
    figures = dict(ratio=ratio, required_cagr=required)
    if t >= goal.target_year:
        return _status(method, "missed", **figures)
    if ratio >= ON_TRACK_RATIO:
        return _status(method, "on_track", **figures)
    if ratio >= MODERATE_RATIO:
        return _status(method, "moderate", **figures)
    if ratio >= 0:
        return _status(method, "insufficient_progress", **figures)
    return _status(method, "moving_away", **figures)


def weighted_log_trend(points: dict[int, float]) -> float | None:
    """The yearly growth factor e^b of ln y = a + b·year, fitted with weights 1, 2, … n.

    Weighted least squares: b = Σw(x − x̄)(z − z̄) / Σw(x − x̄)², x̄ and z̄ weighted means,
    z = ln y. The weight of a year is its place in the series counted from the first, so the
    latest year weighs most. None for fewer than two points or a value of zero or less.
    """
    years = sorted(points)
    if len(years) < 2 or any(points[x] <= 0 for x in years):
        return None
    weights = [x - years[0] + 1 for x in years]
    logs = [math.log(points[x]) for x in years]
    total = sum(weights)
    mean_x = sum(w * x for w, x in zip(weights, years)) / total
    mean_z = sum(w * z for w, z in zip(weights, logs)) / total
    sxx = sum(w * (x - mean_x) ** 2 for w, x in zip(weights, years))
    sxz = sum(w * (x - mean_x) * (z - mean_z) for w, x, z in zip(weights, years, logs))
    return math.exp(sxz / sxx)


def _projections(points: dict[int, float], goal: Goal, t0: int, y0: float, level: float,
                 comparator: str, level_max: float | None) -> list[Projection]:
    """Where the indicator will be in the target year if it keeps its pace (none after T)."""
    t = max(points)
    y = points[t]
    horizon = goal.target_year - t
    if horizon <= 0 or y <= 0 or y0 <= 0:
        return []
    projected = {"geometric": y * (y / y0) ** (horizon / (t - t0))}
    since_baseline = {x: v for x, v in points.items() if x >= t0}
    if goal.baseline and goal.baseline[0] not in since_baseline:
        since_baseline[goal.baseline[0]] = goal.baseline[1]
    factor = weighted_log_trend(since_baseline)
    if factor is not None:
        projected["weighted_regression"] = y * factor**horizon
    result = []
    for name, value in projected.items():
        if goal.measure == "cagr":
            rate = cagr(y0, value, goal.target_year - t0)
            ok = rate is not None and meets(rate, goal.comparator, goal.value)
        else:
            ok = meets(value, comparator, level, level_max, lower_is_better=goal.lower_is_better)
        gap = value - level if goal.lower_is_better else level - value
        change = abs(level - y0)
        result.append(Projection(name, goal.target_year, value, ok, gap, gap / change if change else None))
    return result
