"""Validation rules: left operator right, each side a sum of indicators (a + b − c).

A rule is checked on each row of a return (a cluster, or the unit, or a firm) with the values
as they will stand after the import. Missing values follow the rule's strategy, after DHIS2:
skip_if_any_missing (default), skip_if_all_missing (a missing value counts as 0 otherwise),
never_skip. A high-importance violation refuses the import; others are values to check.

`evaluate_rows` is the one implementation, over whole columns (a province's firms at once,
or a region's clusters); checking.check_rules applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from clusterwatch.plans.rule_syntax import parse_side

COMPARE: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "<": np.less, "<=": np.less_equal, ">=": np.greater_equal, ">": np.greater, "==": lambda a, b: np.abs(a - b) < 1e-9}


def evaluate_rows(rule, columns: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(holds, skipped, left, right) for every row; a missing value is NaN in its column."""
    sides = [parse_side(rule.left), parse_side(rule.right)]
    used = np.stack([columns[code] for side in sides for _, code in side], axis=-1)
    missing = np.isnan(used)
    if rule.missing == "skip_if_any_missing":
        skipped = missing.any(axis=-1)
    elif rule.missing == "skip_if_all_missing":
        skipped = missing.all(axis=-1)
    else:
        skipped = np.zeros(missing.shape[:-1], dtype=bool)
    left, right = (sum(sign * np.nan_to_num(columns[code]) for sign, code in side) for side in sides)
    return COMPARE[rule.operator](left, right), skipped, left, right
