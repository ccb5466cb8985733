"""Timing shared by the benchmarks: the median of several runs, which a noisy 2-core machine needs."""

from __future__ import annotations

import statistics
import time


def timed(fn, runs: int) -> tuple[float, object]:
    """The median seconds of `runs` calls of `fn`, and what the last call returned."""
    samples, outcome = [], None
    for _ in range(runs):
        start = time.perf_counter()
        outcome = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), outcome
