"""Validation rules: left operator right, each side a sum of indicators (a + b − c).

A rule is checked on each row of a return (a cluster, or the unit) with the values as they
will stand after the import. Missing values follow the rule's strategy, after DHIS2:
skip_if_any_missing (default), skip_if_all_missing (a missing value counts as 0 otherwise),
never_skip. A high-importance violation refuses the import; others are values to check.
"""

from __future__ import annotations

from clusterwatch.plans.rule_syntax import OPERATORS, parse_side


def evaluate(rule, values: dict[str, float]) -> tuple[bool | None, float | None, float | None]:
    """(holds, left, right); holds is None when the missing-value strategy skips the rule."""
    sides = [parse_side(rule.left), parse_side(rule.right)]
    codes = [code for side in sides for _, code in side]
    missing = [c for c in codes if values.get(c) is None]
    if missing and (rule.missing == "skip_if_any_missing" or (rule.missing == "skip_if_all_missing" and len(missing) == len(codes))):
        return None, None, None
    left, right = (sum(sign * (values.get(code) or 0.0) for sign, code in side) for side in sides)
    return OPERATORS[rule.operator](left, right), left, right
