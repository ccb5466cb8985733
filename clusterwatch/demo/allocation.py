"""Split whole amounts exactly: shares rounded to cents that still add up to the total."""

from __future__ import annotations


def split_exact(total: float, weights: list[float], *, decimals: int = 2) -> list[float]:
    """Split `total` in proportion to `weights`, rounded to `decimals`, summing exactly.

    Largest-remainder rounding: each share is floored to the unit, and the units left over
    go to the shares with the largest remainders. The rounded shares add up to the rounded
    total to the last unit, which is what lets province totals equal the plans' figures.
    """
    if not weights:
        return []
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    scale = 10**decimals
    units = round(total * scale)
    weight_sum = sum(weights)
    raw = [units * w / weight_sum for w in weights]
    floors = [int(r) for r in raw]
    left = units - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [f / scale for f in floors]
