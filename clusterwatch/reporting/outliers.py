"""Outliers against a unit's own history, by the modified z-score (Iglewicz and Hoaglin).

    M = 0.6745 · (x − median) / MAD,   MAD = median(|xᵢ − median|)

over the unit's earlier values of the same indicator (and cluster). |M| > 3.5 flags x.
DHIS2 uses the same statistic and threshold. With fewer than 3 earlier values, or a MAD of
0 (all earlier values equal), no score is given: nothing is guessed.
"""

from __future__ import annotations

from statistics import median

THRESHOLD = 3.5
MIN_HISTORY = 3


def modified_z(value: float, history: list[float]) -> float | None:
    if len(history) < MIN_HISTORY:
        return None
    centre = median(history)
    mad = median(abs(x - centre) for x in history)
    if mad == 0:
        return None
    return 0.6745 * (value - centre) / mad


def is_outlier(value: float, history: list[float], threshold: float = THRESHOLD) -> tuple[bool, float | None]:
    score = modified_z(value, history)
    return (score is not None and abs(score) > threshold), score
