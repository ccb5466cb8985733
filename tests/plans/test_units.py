import pytest

from clusterwatch.plans.units import UnitError, convert
from clusterwatch.problems import Message


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


def test_the_refusals_are_messages_that_translate():
    with pytest.raises(UnitError) as info:
        convert(1, "件", "家")
    message = info.value.message
    assert isinstance(message, Message) and str(info.value) == message == "件 cannot be converted to 家"
    assert (message.id, message.params) == ("{a} cannot be converted to {b}", {"a": "件", "b": "家"})
    with pytest.raises(UnitError) as info:
        convert(1, "斤", "亿元")
    assert info.value.message.id == "unknown unit {unit} (known units: {units})"
    assert info.value.message.startswith("unknown unit '斤' (known units: 元、万元、")
