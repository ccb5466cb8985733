"""A form's plausible range for a figure, checked over a column at once: a province's firms, or
a region's cell as a column of one value. One comparison and one wording for both."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from clusterwatch.problems import Message, msg


def outside_bounds(values: np.ndarray, *, low: float | None, high: float | None, unit: str) -> Iterator[tuple[int, Message]]:
    """(index, message) of each value below `low` or above `high`, all those below first; the
    bounds and values are in `unit`, the unit the form asks in. An empty value (NaN) is never outside."""
    for bound, outside, below in ((low, np.less, True), (high, np.greater, False)):
        if bound is None:
            continue
        with np.errstate(invalid="ignore"):
            for i in np.flatnonzero(outside(values, bound)).tolist():
                shown = {"value": format(values[i], "g"), "bound": format(bound, "g"), "unit": unit}
                yield i, (msg("{value} is below the lowest plausible value {bound} {unit}", **shown) if below
                          else msg("{value} is above the highest plausible value {bound} {unit}", **shown))
