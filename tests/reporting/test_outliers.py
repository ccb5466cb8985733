"""Modified z-scores, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from clusterwatch.reporting.outliers import THRESHOLD, modified_z_scores


def modified_z(value: float, history: list[float]) -> float | None:
    """The score of one value against its history (the column implementation on one cell), or None."""
    score = float(modified_z_scores(np.array(value, dtype=float), np.array(history, dtype=float))[()])
    return None if np.isnan(score) else score


def is_outlier(value: float, history: list[float]) -> tuple[bool, float | None]:
    score = modified_z(value, history)
    return (score is not None and abs(score) > THRESHOLD), score


def test_worked_example():
    # History 10, 11, 12, 13, 14: median 12, |deviations| 2 1 0 1 2, MAD 1.
    # 20: M = 0.6745 × (20 − 12) / 1 = 5.396 > 3.5, an outlier; 14.5: M = 1.686, not one.
    history = [10, 11, 12, 13, 14]
    assert modified_z(20, history) == pytest.approx(5.396)
    assert is_outlier(20, history) == (True, pytest.approx(5.396))
    assert is_outlier(14.5, history) == (False, pytest.approx(1.68625))


def test_no_score_without_enough_or_varied_history():
    assert modified_z(100, [1, 2]) is None
    assert modified_z(100, [5, 5, 5, 5]) is None
    assert is_outlier(100, [5, 5, 5]) == (False, None)
