"""Rankings: the normalisations and the composite against the worked example in docs/methods.md."""

from __future__ import annotations

import pytest

from clusterwatch.assessment.rankings import DEFAULT_SCHEME, normalise, parse_scheme, rank, rankings
from clusterwatch.plans import queries
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput


def test_normalisations():
    values = {"a": 10.0, "b": 20.0, "c": 30.0}
    assert normalise(values, "min_max") == {"a": 0.0, "b": 50.0, "c": 100.0}
    z = normalise(values, "z_score")  # mean 20, population sd 8.164966
    assert z["a"] == pytest.approx(37.752551, abs=1e-6) and z["b"] == 50.0 and z["c"] == pytest.approx(62.247449, abs=1e-6)
    assert normalise(values, "rank") == {"a": 0.0, "b": 50.0, "c": 100.0}
    assert normalise({"a": 10.0, "b": 10.0, "c": 5.0}, "rank") == {"a": 100.0, "b": 100.0, "c": 0.0}  # ties share
    assert normalise({"a": 7.0, "b": 7.0}, "min_max") == {"a": 100.0, "b": 100.0}
    assert normalise({"a": 7.0}, "z_score") == {"a": 50.0}


def test_composite_worked_example():
    # x weighs 60, y 40; C has no y: scored on x alone and marked incomplete.
    ranked = rank({"x": {"A": 10.0, "B": 20.0, "C": 30.0}, "y": {"A": 5.0, "B": 1.0}}, {"x": 60.0, "y": 40.0}, "min_max")
    assert [(r, round(s, 6), incomplete) for r, s, incomplete, _ in ranked] == [("C", 100.0, True), ("A", 40.0, False),
                                                                                ("B", 30.0, False)]
    lower = rank({"x": {"A": 10.0, "B": 20.0}}, {"x": 100.0}, "min_max", lower_is_better={"x"})
    assert [r for r, *_ in lower] == ["A", "B"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("revenue:50,revenue_growth:40", "add up to 90, not 100"), ("revenue:50,profit:50", "unknown indicator 'profit'"),
     ("revenue", "needs a weight"), ("revenue:-10,revenue_growth:110", "must be above 0")],
)
def test_bad_weights_are_named(text, message):
    with pytest.raises(BadInput) as info:
        parse_scheme(text, set(DEFAULT_SCHEME))
    assert info.value.field == "weights" and message in info.value.message


def test_rankings_on_the_demo(demo_session):
    plan = active_plan(demo_session)
    result = rankings(demo_session, plan, period="2024")
    assert result.year == 2024 and sum(result.scheme.values()) == 100
    assert [c.rank for c in result.overall.cities] == list(range(1, 22))
    scores = [c.score for c in result.overall.cities]
    assert scores == sorted(scores, reverse=True)
    electronics = next(r for r in result.clusters if r.cluster.slug == "electronics")
    placed = {p.region_code for p in queries.layout(demo_session, plan) if p.cluster.slug == "electronics"}
    assert {c.region for c in electronics.cities} == placed
    # Each component's score is the min–max of its values over the cities ranked together.
    first = electronics.cities[0]
    revenue = [c.components[0].value for c in electronics.cities]
    expected = 100 * (first.components[0].value - min(revenue)) / (max(revenue) - min(revenue))
    assert first.components[0].score == pytest.approx(expected, abs=0.01)
    with pytest.raises(BadInput):
        rankings(demo_session, plan, normalisation="median")
