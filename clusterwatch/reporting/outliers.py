"""Outliers against a unit's own history, by the modified z-score (Iglewicz and Hoaglin).

    M = 0.6745 · (x − median) / MAD,   MAD = median(|xᵢ − median|)

over the unit's earlier values of the same indicator (and cluster). |M| > 3.5 flags x.
DHIS2 uses the same statistic and threshold. With fewer than 3 earlier values, or a MAD of
0 (all earlier values equal), no score is given: nothing is guessed.

`modified_z_scores` is the one implementation, over whole arrays (a province's firms ×
indicators at once, or a region's clusters × indicators); checking.check_outliers applies it.
"""

from __future__ import annotations

import numpy as np

THRESHOLD = 3.5
MIN_HISTORY = 3


def modified_z_scores(values: np.ndarray, history: np.ndarray) -> np.ndarray:
    """The score of each value against its history along the last axis of `history` (NaN for
    an absent earlier value): NaN where there are fewer than MIN_HISTORY earlier values or their
    MAD is 0. `values` has the shape of `history` without its last axis."""
    centre = nan_median(history)
    mad = nan_median(np.abs(history - centre[..., None]))
    counted = (~np.isnan(history)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = 0.6745 * (values - centre) / mad
    return np.where((counted >= MIN_HISTORY) & (mad > 0), score, np.nan)


def nan_median(stack: np.ndarray) -> np.ndarray:
    """The median along the last axis (the periods), ignoring NaN; NaN where all are. Sorting
    puts NaN last, so of the n values present the median is the mean of positions (n-1)//2
    and n//2. With the periods last and contiguous, this is several times faster than
    np.nanmedian on a province's firms."""
    if stack.shape[-1] == 0:
        return np.full(stack.shape[:-1], np.nan, dtype=stack.dtype)
    ordered = np.sort(stack, axis=-1)
    count = (~np.isnan(stack)).sum(axis=-1)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[..., None], axis=-1)[..., 0]
    high = np.take_along_axis(ordered, np.minimum(count // 2, stack.shape[-1] - 1)[..., None], axis=-1)[..., 0]
    median = (low + high) / 2
    return np.where(count > 0, median, np.nan)
