"""Find quantities in normalised Chinese text and express them in canonical units.

Money in 亿元, shares and rates in %, counts in their base unit with 万/亿 folded in
(23万件 → 230000 件), other physical units with the 万 or 亿 they were written with
(千万吨 → 1000 万吨). Numbers may be written in digits, in Chinese (五千亿元, 超千人) or both
(5千亿元). Numbers that are part of names (5G, 4K, 3D), years, document numbers and list
numbering are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNT_UNITS = ["家次", "人次", "家", "个", "件", "项", "座", "人", "名", "所", "条", "台", "套", "户", "款", "种",
               "部", "辆", "艘", "架", "张", "位", "支", "处", "块"]
PHYSICAL_UNITS = ["平方米", "平方公里", "千瓦时", "千瓦", "吨", "亩", "公顷", "公里", "立方米", "标准箱", "重量箱"]
_DIGITS = r"\d+(?:\.\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
_UNIT = "|".join(["美元", "元", "%", "个百分点", "百分点", "倍", *PHYSICAL_UNITS, *COUNT_UNITS])
# The Chinese part is lazy so that it stops where a unit begins: 千万|千瓦, not 千万千|瓦.
QUANTITY = re.compile(
    rf"(?P<num>{_DIGITS})?(?P<cn>[{_CN}]*?)"
    rf"(?:(?P<dash>[-—–~～至])(?P<num2>{_DIGITS})(?P<cn2>[{_CN}]*?))?"
    rf"(?P<unit>{_UNIT})(?P<per>/[人户台吨亩年个家])?(?P<level>级)?"
)
# 超50亿的, 千亿级, 超五百亿: 亿 with no 元 is money too.
BARE_YI = re.compile(rf"(?P<num>{_DIGITS})?(?P<cn>[{_CN}]*亿)(?P<level>级)?(?P<unit>)(?P<num2>)(?P<per>)")
DOUBLING = re.compile(r"翻(?P<times>一|两|二|三)番")
PLACEHOLDER = re.compile(r"\*{1,3}\s*%")
ZERO = re.compile(r"零(?:发生率|发生|事故|伤亡)")

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}


@dataclass
class Quantity:
    start: int
    end: int
    raw: str
    value: float | None
    value_max: float | None
    unit: str
    kind: str  # money, percent, count, physical, rate, ratio (倍), points (百分点)
    magnitude: bool = False  # 千亿级: a level stated as an order of magnitude
    relative: str | None = None  # 翻一番


def chinese_number(text: str) -> float:
    """五千亿 → 5e11, 千万 → 1e7, 万亿 → 1e12, 二十五 → 25; '' → 1 (a bare multiplier)."""
    total = section = number = 0.0
    for ch in text:
        if ch in _NUMERALS:
            number = _NUMERALS[ch]
        elif ch in _SMALL:
            section += (number or 1) * _SMALL[ch]
            number = 0
        elif ch == "万":
            section = ((section + number) or 1) * 1e4
            number = 0
        elif ch == "亿":
            total = ((total + section + number) or 1) * 1e8
            section = number = 0
    return (total + section + number) or 1.0


def _amount(digits: str | None, cn: str) -> float:
    """The whole number written: 5 × 千亿, 6.6 × 万亿, or a Chinese numeral alone."""
    if digits is None:
        return chinese_number(cn)
    return float(digits) * (chinese_number(cn) if cn else 1.0)


def _canonical(amount: float, cn: str, unit: str) -> tuple[float, str, str]:
    if unit == "元":
        return amount / 1e8, "亿元", "money"
    if unit == "美元":
        return amount / 1e8, "亿美元", "money"
    if unit == "%":
        return amount, "%", "percent"
    if unit in ("个百分点", "百分点"):
        return amount, "个百分点", "points"
    if unit == "倍":
        return amount, "倍", "ratio"
    if unit in COUNT_UNITS:
        return amount, unit, "count"
    # Physical units keep the 万 or 亿 they were written with: 1.67亿吨, 千万吨 → 1000 万吨.
    for big, factor in (("亿", 1e8), ("万", 1e4)):
        if cn.endswith(big):
            return amount / factor, big + unit, "physical"
    return amount, unit, "physical"


def _is_name_or_label(text: str, start: int, end: int) -> bool:
    """5G, 4K/8K, 3D, C2M, 2025年, 〔2020〕82号, list numbering 1. / 1、 ."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if re.match(r"[A-Za-z]", before) or re.match(r"[A-Za-z+/]", after):
        return True
    if (after and after in "年号届强") or (before and before in "〔[第^"):
        return True
    if after and after in "、.．)）" and (start == 0 or text[start - 1] in "\t（("):
        return True
    return False


def find_quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    for match in PLACEHOLDER.finditer(text):
        add(Quantity(match.start(), match.end(), match.group(0), None, None, "%", "percent"))
    for match in ZERO.finditer(text):
        add(Quantity(match.start(), match.end(), match.group(0), 0.0, None, "%", "percent"))
    for match in DOUBLING.finditer(text):
        times = {"一": 1, "两": 2, "二": 2, "三": 3}[match.group("times")]
        add(Quantity(match.start(), match.end(), match.group(0), (2**times - 1) * 100.0, None, "%", "percent",
                     relative=match.group(0)))
    for pattern in (QUANTITY, BARE_YI):
        for match in pattern.finditer(text):
            q = _quantity(text, match)
            if q is not None and all(q.end <= a or q.start >= b for a, b in taken):
                add(q)
    return sorted(found, key=lambda q: q.start)


def _quantity(text: str, match: re.Match) -> Quantity | None:
    digits, cn, unit, level = match.group("num"), match.group("cn"), match.group("unit"), match.group("level")
    if not digits and not cn:
        return None
    if not digits and not any(ch in cn for ch in "十百千万亿"):
        return None  # 两个, 三大, 一批: words, not figures
    if digits and cn and any(ch in _NUMERALS for ch in cn):
        return None  # 5三…: not one number
    if not unit:
        # Bare 亿 counts as 亿元 only where it plainly is money: before 级 or 的 or a stop,
        # or after 超.
        if level or text[match.end():match.end() + 1] in ("的", "，", "、", "。", "") or \
                text[match.end():match.end() + 2] in ("产业", "规模", "以上") or \
                text[match.start() - 1:match.start()] in ("超", "过"):
            unit = "元"
        else:
            return None
    end_of_number = match.end("cn2") if match.group("num2") else match.end("cn")
    if _is_name_or_label(text, match.start(), end_of_number):
        return None
    amount = _amount(digits, cn)
    if match.group("per"):
        # A rate such as 30万元/人 keeps its unit as written.
        value, canonical, kind = float(digits or amount), cn + unit + match.group("per"), "rate"
    else:
        value, canonical, kind = _canonical(amount, cn, unit)
    value_max = None
    if match.group("num2"):
        second = _amount(match.group("num2"), match.group("cn2") or cn)
        value_max = second if match.group("per") else _canonical(second, match.group("cn2") or cn, unit)[0]
    return Quantity(match.start(), match.end(), match.group(0), _tidy(value), _tidy(value_max), canonical, kind,
                    magnitude=bool(level))


def _tidy(value: float | None) -> float | None:
    """Round away binary noise: 6.6 × 10¹² / 10⁸ is 66000, not 65999.99999999999."""
    return None if value is None else round(value, 6)
