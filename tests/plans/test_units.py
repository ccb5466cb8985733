import pytest

from clusterwatch.plans.units import UnitError, convert


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [(6.6, "万亿元", "亿元", 66000), (23, "万件", "件", 230000), (5, "万家", "家", 50000),
     (21540, "亿元", "万亿元", 2.154), (1.5, "万亿元", "亿元", 15000), (300000, "元/人", "万元/人", 30)],
)
def test_conversions_within_a_kind(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_six_point_six_trillion_is_exactly_66000_hundred_million():
    assert convert(6.6, "万亿元", "亿元") == 66000


@pytest.mark.parametrize(("source", "target"), [("件", "家"), ("%", "亿元"), ("人", "万元/人")])
def test_no_conversion_across_kinds(source, target):
    with pytest.raises(UnitError, match="cannot be converted"):
        convert(1, source, target)


def test_unknown_unit_is_refused():
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1, "斤", "亿元")
