"""Quantitative goals and stated past figures (baselines) in a policy document.

Each quantity found in a sentence is classified by the year that governs it: a year at or
after the plan period's start makes it a goal for that year; an earlier year makes it a
baseline for that year. A sentence with no year takes its paragraph's, then its section's:
in a "现状/基础" section figures are baselines of the last year named, elsewhere goals for
the plan's horizon (marked year_inferred). Thresholds are kept apart from values: in
超500亿元的5个 the goal is 5 个 and 超500亿元 its qualifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clusterwatch.plans.extraction.quantities import Quantity, find_quantities
from clusterwatch.plans.extraction.reading import SourceDocument
from clusterwatch.plans.extraction.scope import ScopeResolver, named_cluster
from clusterwatch.plans.extraction.text import Sentence, normalise_line, quote, sentences

YEAR = re.compile(r"(?P<prefix>到|至|截至|截止|在|于)?(?P<year>(?:19|20)\d\d)年(?:底|末|前)?")
PERIOD = re.compile(r"[（(]?(?P<a>20\d\d)\s*[—–\-－~～至]+\s*(?P<b>20\d\d)\s*年")
STATUS_HEADING = re.compile(r"发展现状|发展基础|基本情况|产业现状|发展成效|现状与|一、发展基础|取得.*成效")
FUTURE_HEADING = re.compile(r"目标|任务|重点|工程|措施|保障|布局|路径|方向")

# Checked in this order: the negated forms (不高于) first, so that 高于 inside them is not read as >.
COMPARATOR_WORDS = [
    (re.compile(r"(?:不低于|不少于|至少)$"), ">="),
    (re.compile(r"(?:不超过|不高于|控制在|以内)$"), "<="),
    (re.compile(r"(?:超过|突破|超|高于|大于|多于)$"), ">"),
    (re.compile(r"(?:低于|少于)$"), "<"),
    (re.compile(r"(?:约为|约|接近|近|大约)$"), "~"),
]

INDICATOR_WORDS = [
    "主营业务收入", "营业收入", "业务收入", "总产值", "产值", "工业增加值", "增加值", "产业规模", "规模", "利润", "税收",
    "出口额", "研发经费支出", "研发投入", "比重", "占比", "合格率", "劳动生产率", "专利数", "专利", "产量", "能耗",
]


@dataclass
class Context:
    horizon: int | None
    start: int | None
    mode: str = "future"
    section_year: int | None = None
    section_cluster: str | None = None


def plan_period(lines: list[str]) -> tuple[int | None, int | None]:
    """(first year, horizon) from the title, e.g. （2021—2025年）; else the latest 到YYYY年."""
    head = "".join(normalise_line(line)[0] for line in lines[:60])
    match = PERIOD.search(head)
    if match:
        return int(match.group("a")), int(match.group("b"))
    if "十四五" in head:
        return 2021, 2025
    text = "".join(normalise_line(line)[0] for line in lines)
    years = [int(m.group("year")) for m in YEAR.finditer(text) if m.group("prefix") == "到"]
    horizon = max(years) if years else None
    return None, horizon


def extract_goals(document: SourceDocument, scopes: ScopeResolver | None = None) -> tuple[list[dict], list[dict]]:
    """(goals, baselines) as dictionaries of the --json contract."""
    scopes = scopes or ScopeResolver([document])
    named: dict[int, str] = {}
    start, horizon = plan_period(document.lines)
    context = Context(horizon=horizon, start=start)
    goals: list[dict] = []
    baselines: list[dict] = []
    paragraph_year: dict[int, int] = {}
    for sentence in sentences(document.lines):
        text = sentence.text
        if cluster := named_cluster(text):
            named[sentence.paragraph] = cluster
        if len(text) < 40 and not find_quantities(text):
            if STATUS_HEADING.search(text):
                context.mode, context.section_year = "status", None
            elif FUTURE_HEADING.search(text):
                context.mode = "future"
            if len(text) < 30 and not text.endswith("。"):
                # A heading: 7. 软件与信息服务 opens that cluster's section; 第三章 … closes it.
                context.section_cluster = scopes.heading_cluster(text)
            continue
        # A year that a figure is compared with (从2015年的…, 比2015年…) governs nothing else.
        years = [(m.start(), int(m.group("year")), m.group("prefix")) for m in YEAR.finditer(text)
                 if not _comparison_year(text, m) and not _period_bound(text, m)]
        for _position, year, _ in years:
            if _is_past(year, context):
                paragraph_year[sentence.paragraph] = year
                if context.mode == "status":
                    context.section_year = year
        quantities = find_quantities(text)
        qualifier_of = _qualifiers(text, quantities)  # id(count) -> the threshold that qualifies it
        qualifiers = {id(q) for q in qualifier_of.values()}
        for quantity in quantities:
            if id(quantity) in qualifiers or _single_described(text, quantity, quantities):
                continue
            item = _item(document, sentence, quantity, years, context, paragraph_year, qualifier_of.get(id(quantity)))
            item["scope"] = scopes.resolve(document.file, text, quantity.start, item["source"]["line"],
                                           named.get(sentence.paragraph), context.section_cluster)
            kind = item.pop("_kind")
            for each in _respectively(text, quantity, quantities, item):
                (baselines if kind == "baseline" else goals).append(each)
    return goals, baselines


def _comparison_year(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 1):match.start()]
    after = text[match.end():match.end() + 1]
    return before in ("从", "比", "较", "由") or after == "的"


def _period_bound(text: str, match: re.Match) -> bool:
    """The years of a plan period （2021—2025年） name the plan, not a figure's year."""
    return bool(re.search(r"(?:19|20)\d\d\s*[—–\-－~～至]+\s*$", text[:match.start()]))


def _is_past(year: int, context: Context) -> bool:
    if context.start is not None:
        return year < context.start
    if context.horizon is not None:
        return year < context.horizon - 4
    return True


def _qualifiers(text: str, quantities: list[Quantity]) -> dict[int, Quantity]:
    """{id(count): the quantity qualifying it}: thresholds and magnitudes that are not goals themselves.

    超500亿元的5个, 产值超50亿元企业20家 (a threshold before the count), 10个千亿级子集群 (a
    magnitude right after it), 4-5家营业收入超百亿元的龙头企业 (a threshold after it, before 的).
    """
    qualifier_of: dict[int, Quantity] = {}
    for i, q in enumerate(quantities):
        if q.kind == "count":
            continue
        start, end = _clause_start(text, q.start), _clause_end(text, q.end)
        before = [c for c in quantities[:i] if c.kind == "count" and c.start >= start]
        after = [c for c in quantities[i + 1:] if c.kind == "count" and c.start < end]
        threshold = (text[q.end:q.end + 2].startswith(("的", "以上", "以下")) or
                     text[max(0, q.start - 2):q.start].endswith(("超", "过")) or q.magnitude)
        if q.magnitude and before and q.start - before[-1].end <= 1:
            qualifier_of[id(before[-1])] = q
        elif threshold and after:
            qualifier_of[id(after[0])] = q
        elif text[q.end:q.end + 1] == "的" and before and before[-1].value != 1:
            qualifier_of[id(before[-1])] = q
    return qualifier_of


def _respectively(text: str, q: Quantity, quantities: list[Quantity], item: dict) -> list[dict]:
    """现代农业与食品产业产值分别接近1万亿元: one figure for each of the things named."""
    start = _clause_start(text, q.start)
    clause = text[start:q.start]
    if "分别" not in clause or any(o is not q and start <= o.start < _clause_end(text, q.end) for o in quantities):
        return [item]
    subject = clause[:clause.index("分别")]
    parts = [p for p in re.split(r"[与和、及]", re.sub(r"(?:产业|集群)?(?:营业收入|产值|规模|增加值)$", "", subject)) if p]
    if len(parts) < 2:
        return [item]
    return [{**item, "scope": part} for part in parts]


def _single_described(text: str, q: Quantity, quantities: list[Quantity]) -> bool:
    """形成1个超万亿元的…集群: the figure is the goal, the 1个 only says there is one."""
    end = _clause_end(text, q.end)
    return q.kind == "count" and q.value == 1 and any(
        o.kind == "money" and q.end <= o.start < end for o in quantities)


def _clause_end(text: str, index: int) -> int:
    ends = [text.find(sep, index) for sep in "，,。；;"]
    ends = [e for e in ends if e != -1]
    return min(ends) if ends else len(text)


def _clause_start(text: str, index: int) -> int:
    return max(text.rfind(sep, 0, index) for sep in "，,。；;：:") + 1


def _item(document, sentence: Sentence, q: Quantity, years, context: Context, paragraph_year,
          qualifier_quantity: Quantity | None) -> dict:
    text = sentence.text
    before = text[:q.start]
    clause = text[_clause_start(text, q.start):q.start]
    # 从2015年的1.35%: the figure of that earlier year.
    own_year = None
    match = re.search(r"(?:从|由|较|比)?((?:19|20)\d\d)年(?:的|底的|末的)$", before)
    if match:
        own_year = int(match.group(1))
    governing = [y for pos, y, _ in years if pos < q.start]
    year: int | None  # none where the document names no year and no horizon
    if own_year is not None:
        year, inferred = own_year, False
    elif governing:
        year, inferred = governing[-1], False
    elif sentence.paragraph in paragraph_year and context.mode == "status":
        year, inferred = paragraph_year[sentence.paragraph], False
    elif context.mode == "status" and context.section_year is not None:
        year, inferred = context.section_year, False
    else:
        year, inferred = context.horizon, True
    past = year is not None and _is_past(year, context)
    comparator = ">=" if q.magnitude else _comparator(text, q)
    qualifier = _qualifier_text(text, qualifier_quantity) if qualifier_quantity else None
    if q.magnitude:
        qualifier = q.raw
    if q.relative:
        qualifier = q.relative
    baseline = None
    relative = re.search(r"比((?:19|20)\d\d)年(?:增长|提高|提升|增加)$", before)
    if relative:
        baseline = {"value": None, "unit": q.unit, "year": int(relative.group(1))}
    if re.search(r"年均(?:增长|增速)?(?:率)?(?:达到?|为)?$", before) or "年均增" in clause:
        qualifier = qualifier or "年均增长"
    line, first_column = sentence.origin(q.start)
    last_line, last_column = sentence.origin(q.end - 1)
    end_column = last_column + 1 if last_line == line else len(document.lines[line - 1])
    item = {
        "document": document.file,
        "scope": "",
        "indicator": _indicator(clause),
        "comparator": "range" if q.value_max is not None else comparator,
        "value": q.value,
        "value_max": q.value_max,
        "unit": q.unit,
        "year": year,
        "year_inferred": inferred,
        # 力争 governs what follows it to the end of the sentence.
        "aspirational": "力争" in before,
        "qualifier": qualifier,
        "baseline": baseline,
        # What a count counts (5个|数百亿级子集群): the words after it, up to the clause's end.
        "counted": text[q.end:_clause_end(text, q.end)][:24] or None if q.kind == "count" else None,
        "source": {"line": line, "text": quote(document.lines[line - 1], first_column, end_column)},
        "_kind": "baseline" if past else "goal",
    }
    return item


def _qualifier_text(text: str, q: Quantity) -> str:
    """The threshold as written around its number: 超500亿元, 千亿级, 5亿元以上."""
    start, end = q.start, q.end
    lead = re.search(r"(?:超过|超|突破|达|逾)$", text[:start])
    if lead:
        start = lead.start()
    tail = re.match(r"以上|以下", text[end:])
    if tail:
        end += tail.end()
    return text[start:end]


def _comparator(text: str, q: Quantity) -> str:
    before = text[max(0, q.start - 8):q.start]
    after = text[q.end:q.end + 3]
    if after.startswith(("以上", "及以上")):
        return ">="
    if after.startswith(("以下", "以内")):
        return "<="
    if after.startswith("左右"):
        return "~"
    for pattern, symbol in COMPARATOR_WORDS:
        if pattern.search(before):
            return symbol
    # 约占全省能源消费总量的30%: 约 governs the share it opens.
    clause = text[_clause_start(text, q.start):q.start]
    if re.search(r"(?:约|接近)占", clause):
        return "~"
    return "="


def _indicator(clause: str) -> str:
    """The indicator word nearest before the figure (…主营业务收入达28000亿元以上、工业增加值达6475亿元)."""
    positions = [(clause.rfind(word) + len(word), len(word), word) for word in INDICATOR_WORDS if word in clause]
    if positions:
        return max(positions)[2]
    cleaned = re.sub(r"(?:到|至)?(?:19|20)\d\d年|力争|全省|达到?|超过|突破|实现|约|接近|不低于|以上", "", clause)
    return cleaned[-16:] or clause[-16:]
