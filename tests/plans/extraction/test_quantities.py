"""Quantities in Chinese plan text, in canonical units."""

from __future__ import annotations

import pytest

from clusterwatch.plans.extraction.quantities import chinese_number, find_quantities


def one(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    return q.value, q.value_max, q.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("营业收入达到6.6万亿元", (66000, None, "亿元")),
        ("营业收入达到 6.6 万亿元", (66000, None, "亿元")),  # the normaliser removes the spaces first
        ("有效发明专利数23万件", (230000, None, "件")),
        ("研发投入500万元", (0.05, None, "亿元")),
        ("超5千亿元", (5000, None, "亿元")),
        ("超五百亿的世界级企业", (500, None, "亿元")),
        ("超千人", (1000, None, "人")),
        ("形成千万吨钢材生产能力", (1000, None, "万吨")),
        ("产量1.67亿吨", (1.67, None, "亿吨")),
        ("全员劳动生产率达到30万元/人", (30, None, "万元/人")),
        ("培育3-5个", (3, 5, "个")),
        ("建设4—6个国家级平台", (4, 6, "个")),
        ("比重达到33%", (33, None, "%")),
        ("提高2个百分点", (2, None, "个百分点")),
        ("投资百亿美元的项目", (100, None, "亿美元")),
        ("达到**%", (None, None, "%")),
        ("实现营业收入翻一番", (100, None, "%")),
        ("重大食品安全事故零发生率", (0, None, "%")),
    ],
)
def test_canonical_units(text, expected):
    value, value_max, unit = one(text.replace(" ", "") if "6.6 " not in text else text.replace(" ", ""))
    assert (value, value_max, unit) == pytest.approx(expected) if expected[0] is not None else (value, value_max, unit) == expected


@pytest.mark.parametrize("text", ["5G基站", "4K/8K电视", "3D打印", "到2025年", "粤府函〔2020〕82号", "世界500强", "十大战略性",
                                  "一批企业", "两个市场", "第3名", "1. 新一代电子信息", "C2M模式", "12英寸晶圆"])
def test_names_labels_and_words_are_not_quantities(text):
    assert find_quantities(text) == []


def test_magnitudes():
    [q] = find_quantities("打造万亿级产业集群")
    assert (q.value, q.unit, q.magnitude) == (10000, "亿元", True)
    count, magnitude = find_quantities("10个千亿级子集群")
    assert (count.value, count.unit) == (10, "个") and magnitude.magnitude


@pytest.mark.parametrize(("text", "value"), [("五千亿", 5e11), ("千万", 1e7), ("万亿", 1e12), ("二十五", 25), ("两千", 2000), ("", 1)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value
