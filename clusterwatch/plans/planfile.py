"""The plan file format (clusterwatch-plan/1): its schema and its checks.

A plan file is YAML (see docs/plan-format.md). `read_plan_file` parses it, checks the shape
with pydantic, then checks what the shape cannot: that every reference resolves, units fit
their indicators, layout matrices agree with their own totals, and no goal is stated twice.
Every problem is reported with the file's line and the path of the field, all at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clusterwatch.plans.rule_syntax import RuleSyntaxError, parse_side
from clusterwatch.plans.units import UnitError, convert, get_unit
from clusterwatch.plans.yamlpos import Path, load_with_lines, nearest_line
from clusterwatch.problems import BadInput, Message, Problem, msg, msgid, pydantic_message

FORMAT = "clusterwatch-plan/1"
EMBEDDED_PLANS = FilePath(__file__).parent / "data"


class _Strict(BaseModel):
    # No NaN or infinity anywhere in a plan: a goal, a bound or a tolerance is a finite figure.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class PlanHeader(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    name_zh: str
    name_en: str
    region: str
    horizon: int = Field(ge=2000, le=2100)


class DocumentIn(_Strict):
    code: str
    file: str
    title: str
    number: str | None = None
    issued: dt.date | None = None


class ZoneIn(_Strict):
    code: str
    name_zh: str
    name_en: str


class RegionIn(_Strict):
    code: str = Field(pattern=r"^\d{6}(\d{3,14})?$")
    name_zh: str
    name_en: str
    level: Literal["province", "city", "county", "town", "park"]
    parent: str | None = None
    zone: str | None = None


class IndicatorIn(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    unit: str
    direction: Literal["higher", "lower"]
    aggregation: Literal["sum", "ratio", "none"]
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    flow: bool = False


class ClusterIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    name_zh: str
    name_en: str
    kind: Literal["pillar", "emerging", "future", "sub"]
    parent: str | None = None
    aliases: list[str] = []


class LayoutRowIn(_Strict):
    cluster: str
    line: int = Field(ge=1)
    text: str
    stated_count: int | None = None
    cells: dict[str, Literal["core", "key", "general"]]


class LayoutTableIn(_Strict):
    table: str
    document: str
    header_line: int = Field(ge=1)
    totals_line: int | None = None
    marks: dict[str, Literal["core", "key", "general"]] = {}
    city_totals: dict[str, int] = {}
    rows: list[LayoutRowIn]


class SourceIn(_Strict):
    document: str
    line: int = Field(ge=1)
    text: str = Field(min_length=1)


class ScopeIn(_Strict):
    region: str | None = None
    cluster: str | None = None
    cluster_group: Literal["pillar", "emerging"] | None = None


Comparator = Literal["=", ">", ">=", "<", "<=", "~", "range"]


class StatedFigureIn(_Strict):
    scope: ScopeIn = ScopeIn()
    indicator: str
    indicator_text: str | None = None
    year: int = Field(ge=1949, le=2100)
    comparator: Comparator = "="
    value: float
    unit: str
    note: str | None = None
    source: SourceIn


class TargetIn(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    scope: ScopeIn = ScopeIn()
    indicator: str
    indicator_text: str | None = None
    measure: Literal["level", "cagr", "relative"] = "level"
    # relative goals: the year whose value the goal is a multiple of.
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    # The progress method shown first; both are always computed (docs/methods.md).
    method: Literal["plan_schedule", "cagr_ratio"] | None = None
    comparator: Comparator
    value: float | None
    value_max: float | None = None
    unit: str
    year: int = Field(ge=2000, le=2100)
    aspirational: bool = False
    headline: bool = False
    note: str | None = None
    source: SourceIn

    @field_validator("value")
    @classmethod
    def _value_given(cls, value: float | None) -> float | None:
        # A draft may leave a goal as "**%"; such a goal is not loaded as a number.
        if value is None:
            raise ValueError(msg("a target needs a value (a placeholder such as **% cannot be loaded)"))
        return value


class FormIndicatorIn(_Strict):
    indicator: str
    min: float | None = None
    max: float | None = None
    # The unit the form asks in, when not the indicator's own (a firm reports 万元).
    unit: str | None = None


class FormIn(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    name_zh: str
    name_en: str
    period_type: Literal["A", "Q", "M"]
    level: Literal["province", "city", "county", "town", "park", "enterprise"]
    disaggregation: Literal["none", "cluster"] = "none"
    due_days: int = Field(ge=0, le=366)
    expiry_days: int = Field(ge=0, le=731)
    indicators: list[FormIndicatorIn] = Field(min_length=1)


class ValidationRuleIn(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    name_zh: str
    name_en: str
    left: str
    operator: Literal["<", "<=", "==", ">=", ">"]
    right: str
    importance: Literal["high", "medium", "low"] = "high"
    missing: Literal["skip_if_any_missing", "skip_if_all_missing", "never_skip"] = "skip_if_any_missing"
    # row: within one row of a return; children: the unit's `left` against the sum of its child
    # regions' `right` (e.g. a city's revenue = its counties' within 1%).
    scope: Literal["row", "children"] = "row"
    tolerance: float = Field(0.0, ge=0, le=100)  # per cent of the right side


class TaskIn(_Strict):
    """A task or major project (重点任务/重点工程) with its departments, cited to its line."""

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    kind: Literal["task", "project"] = "task"
    scope: ScopeIn = ScopeIn()
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    lead: list[str] = Field(min_length=1)  # 牵头
    cooperating: list[str] = []  # 按职责分工负责
    due: dt.date | None = None  # default: the end of the plan's horizon
    source: SourceIn


class PlanFile(_Strict):
    format: Literal["clusterwatch-plan/1"]
    plan: PlanHeader
    documents: list[DocumentIn]
    zones: list[ZoneIn] = []
    regions: list[RegionIn]
    indicators: list[IndicatorIn]
    clusters: list[ClusterIn]
    layout: list[LayoutTableIn] = []
    stated_figures: list[StatedFigureIn] = []
    targets: list[TargetIn] = []
    forms: list[FormIn] = []
    validation_rules: list[ValidationRuleIn] = []
    tasks: list[TaskIn] = []


def describe(problem: Problem) -> str:
    """A problem of a plan file as its English text reads: "line 12: targets[3].unit: message"
    (the exception's text and the tests'; people read problems through web.i18n.problem_lines)."""
    where = f"line {problem.row}: " if problem.row else ""
    return f"{where}{problem.field}: {problem.message}" if problem.field else f"{where}{problem.message}"


class PlanFileError(BadInput):
    """A plan file that cannot be loaded; `problems` lists every reason found, each with its line
    (`row`) and the dotted path of its field (`field`); `source` names the file."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        super().__init__(problems[0].field, problems[0].message, problems)
        lines = "\n".join(f"  {source}, {describe(p)}" for p in self.problems)
        self.args = (f"{source}: {len(self.problems)} problem(s) in the plan file:\n{lines}",)

    @property
    def summary(self) -> Message:
        """The line above the problems: which file, how many problems."""
        return msg("{file}: {n} problem(s) in the plan file:", file=self.source, n=len(self.problems))


@dataclass
class ValidatedPlan:
    """A plan file that passed every check, with values converted to indicator units."""

    data: PlanFile
    sha256: str
    source: str
    text: str = ""  # the file as it was read: kept with the plan's version, to load it again


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_plan_file(path: str | FilePath) -> ValidatedPlan:
    path = FilePath(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFileError(str(path), [Problem(msg("cannot read the file: {reason}", reason=exc.strerror))]) from None
    return parse_plan_text(raw, source=path.name)


def parse_plan_text(raw: bytes, *, source: str = "<plan>") -> ValidatedPlan:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFileError(source, [Problem(msg("not UTF-8 text (byte {n})", n=exc.start))]) from None
    try:
        data, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(source, [Problem(msg("not valid YAML: {reason}", reason=reason), row=line)]) from None
    if not isinstance(data, dict):
        raise PlanFileError(source, [Problem(msg("the file must hold a mapping with 'format', 'plan', … at the top"))])
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(Problem(pydantic_message(error), field=_dotted(loc), row=nearest_line(lines, loc)))
        raise PlanFileError(source, problems) from None
    problems = check_plan(plan, lines)
    if problems:
        raise PlanFileError(source, problems)
    normalise_units(plan)
    return ValidatedPlan(plan, hashlib.sha256(raw).hexdigest(), source, text)


def _problem(lines: dict[Path, int], path: Path, message: Message) -> Problem:
    return Problem(message, field=_dotted(path), row=nearest_line(lines, path))


def _duplicates(items: list[Any], key: str, section: str, lines, problems: list[Problem]) -> None:
    seen: set = set()
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            problems.append(_problem(lines, (section, index, key), msg("duplicate {key} {value}", key=key, value=repr(value))))
        seen.add(value)


class Names:
    """Resolve the names a plan uses for regions and clusters (code, Chinese name, alias)."""

    def __init__(self, plan: PlanFile):
        self.regions: dict[str, str] = {}
        for region in plan.regions:
            self.regions[region.code] = region.code
            self.regions[region.name_zh] = region.code
            # Matrices and lists often drop the 市 of a city's name.
            if region.name_zh.endswith("市"):
                self.regions.setdefault(region.name_zh[:-1], region.code)
        self.clusters: dict[str, str] = {}
        for cluster in plan.clusters:
            for name in [cluster.slug, cluster.name_zh, *cluster.aliases]:
                self.clusters[name] = cluster.slug

    def region(self, name: str) -> str | None:
        return self.regions.get(name.strip())

    def cluster(self, name: str) -> str | None:
        return self.clusters.get(name.strip())


def form_problems(form: FormIn, indicators: dict) -> list[tuple[Path, Message]]:
    """What is wrong with a form given the indicators it may use (code → an object with unit,
    aggregation, numerator, denominator): (path within the form, message) pairs. Used for
    forms in plan files and forms defined on the web page alike."""
    problems: list[tuple[Path, Message]] = []
    if form.expiry_days < form.due_days:
        problems.append((("expiry_days",), msg("entry would lock ({a} days) before the return is due ({b} days)",
                                               a=form.expiry_days, b=form.due_days)))
    if form.level == "enterprise" and form.disaggregation != "none":
        problems.append((("disaggregation",), msg("a form of firms has one row per firm; it cannot also be split by cluster")))
    seen = set()
    for i, item in enumerate(form.indicators):
        indicator = indicators.get(item.indicator)
        if indicator is None:
            problems.append((("indicators", i, "indicator"), msg("unknown indicator {code}", code=repr(item.indicator))))
        elif indicator.aggregation == "ratio":
            problems.append((("indicators", i, "indicator"),
                             msg("{code} is computed from its parts; report {a} and {b}", code=item.indicator,
                                 a=indicator.numerator, b=indicator.denominator)))
        if item.indicator in seen:
            problems.append((("indicators", i, "indicator"), msg("{code} is in the form twice", code=item.indicator)))
        seen.add(item.indicator)
        if item.min is not None and item.max is not None and item.min > item.max:
            problems.append((("indicators", i, "max"), msg("max is below min")))
        if item.unit is not None and indicator is not None:
            try:
                convert(1.0, item.unit, indicator.unit)
            except UnitError as exc:
                problems.append((("indicators", i, "unit"), exc.message))
    return problems


# The parts of a ratio indicator, as its messages name them.
_PARTS = {"numerator": msgid("numerator"), "denominator": msgid("denominator")}


def region_depth(code: str, parents: dict[str, str | None]) -> int | None:
    """How many parents up to the root; None for a cycle."""
    depth, seen = 0, {code}
    while (parent := parents.get(code)) is not None:
        code = parent
        if code in seen:
            return None
        seen.add(code)
        depth += 1
    return depth


def check_plan(plan: PlanFile, lines: dict[Path, int]) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: Path, message: Message) -> None:
        problems.append(_problem(lines, path, message))

    for section, field in [("documents", "code"), ("zones", "code"), ("regions", "code"),
                           ("indicators", "code"), ("clusters", "slug"), ("targets", "code"), ("forms", "code"),
                           ("validation_rules", "code"), ("tasks", "code")]:
        _duplicates(getattr(plan, section), field, section, lines, problems)

    names = Names(plan)
    documents = {d.code for d in plan.documents}
    zones = {z.code for z in plan.zones}
    region_codes = {r.code for r in plan.regions}
    indicators = {i.code: i for i in plan.indicators}
    clusters = {c.slug: c for c in plan.clusters}

    if plan.plan.region not in region_codes:
        add(("plan", "region"), msg("region {code} is not among the plan's regions", code=repr(plan.plan.region)))
    parents = {r.code: r.parent for r in plan.regions}
    for i, region in enumerate(plan.regions):
        if region.parent is not None and region.parent not in region_codes:
            add(("regions", i, "parent"), msg("unknown parent region {code}", code=repr(region.parent)))
        elif region_depth(region.code, parents) is None:
            add(("regions", i, "parent"), msg("region {code} is its own ancestor", code=region.code))
        if region.zone is not None and region.zone not in zones:
            add(("regions", i, "zone"), msg("unknown zone {code}", code=repr(region.zone)))

    for i, indicator in enumerate(plan.indicators):
        try:
            get_unit(indicator.unit)
        except UnitError as exc:
            add(("indicators", i, "unit"), exc.message)
        if indicator.aggregation == "ratio":
            for part, word in _PARTS.items():
                ref = getattr(indicator, part)
                if ref is None:
                    add(("indicators", i), msg("a ratio indicator needs a {part}", part=msg(word)))
                elif ref not in indicators:
                    add(("indicators", i, part), msg("unknown indicator {code}", code=repr(ref)))
                elif indicators[ref].aggregation != "sum":
                    add(("indicators", i, part), msg("{part} {code} must itself aggregate by sum", part=msg(word), code=repr(ref)))
        elif indicator.numerator or indicator.denominator:
            add(("indicators", i), msg("numerator and denominator only go with aggregation: ratio"))

    for i, cluster in enumerate(plan.clusters):
        if cluster.kind == "sub":
            if cluster.parent is None:
                add(("clusters", i, "parent"), msg("a sub-cluster needs the slug of its parent cluster"))
            elif cluster.parent not in clusters:
                add(("clusters", i, "parent"), msg("unknown cluster {name}", name=repr(cluster.parent)))
        elif cluster.parent is not None:
            add(("clusters", i, "parent"), msg("only a sub-cluster (kind: sub) has a parent"))

    _check_layout(plan, names, documents, add)

    for f, form in enumerate(plan.forms):
        for path, message in form_problems(form, indicators):
            add(("forms", f, *path), message)

    for r, rule in enumerate(plan.validation_rules):
        for side in ("left", "right"):
            try:
                terms = parse_side(getattr(rule, side))
            except RuleSyntaxError as exc:
                add(("validation_rules", r, side), exc.message)
                continue
            for _, code in terms:
                if code not in indicators:
                    add(("validation_rules", r, side), msg("unknown indicator {code}", code=repr(code)))
            if rule.scope == "children" and len(terms) != 1:
                add(("validation_rules", r, side), msg("a rule over child regions compares one indicator on each side"))

    for i, task in enumerate(plan.tasks):
        base = ("tasks", i)
        _check_scope(task.scope, names, base, add)
        _check_source(task.source, documents, base, add)
        named = [d.strip() for d in task.lead + task.cooperating]
        if any(not d for d in named):
            add(base, msg("a department's name is empty"))
        elif len(set(named)) != len(named):
            add(base, msg("a department is named twice (lead and co-operating, or twice in one list)"))
        if task.due is not None and task.due.year > plan.plan.horizon + 5:
            add(base + ("due",), msg("the due date {due} is far beyond the plan's horizon {horizon}",
                                     due=task.due.isoformat(), horizon=plan.plan.horizon))

    for i, figure in enumerate(plan.stated_figures):
        base = ("stated_figures", i)
        _check_scope(figure.scope, names, base, add)
        _check_source(figure.source, documents, base, add)
        _check_unit(figure.unit, figure.indicator, "level", indicators, base, add)

    target_keys: dict[tuple, int] = {}
    for i, target in enumerate(plan.targets):
        base = ("targets", i)
        _check_scope(target.scope, names, base, add)
        _check_source(target.source, documents, base, add)
        _check_unit(target.unit, target.indicator, target.measure, indicators, base, add)
        if target.comparator == "range":
            if target.value_max is None:
                add(base + ("value_max",), msg("a range needs value_max"))
            elif target.value is not None and target.value_max <= target.value:
                add(base + ("value_max",), msg("value_max must be greater than value"))
        elif target.value_max is not None:
            add(base + ("value_max",), msg("value_max only goes with comparator: range"))
        key = (_scope_key(target.scope, names), target.indicator, target.measure, target.year)
        if key in target_keys:
            first = target_keys[key]
            add(base, msg("duplicate target: the same scope, indicator, measure and year as targets[{index}] ({code})",
                          index=first, code=plan.targets[first].code))
        else:
            target_keys[key] = i
        if target.measure == "relative" and target.base_year is None:
            add(base + ("base_year",), msg("a relative target needs the base year its multiple is of"))
        elif target.measure != "relative" and target.base_year is not None:
            add(base + ("base_year",), msg("only a relative target has a base year"))
        elif target.base_year is not None and target.base_year >= target.year:
            add(base + ("base_year",), msg("the base year must be before the target year"))
        if target.year < min((d.issued.year for d in plan.documents if d.issued), default=target.year):
            add(base + ("year",), msg("the target year is before every document's issue date"))
    return problems


def _check_layout(plan: PlanFile, names: Names, documents: set[str], add) -> None:
    for t, table in enumerate(plan.layout):
        base = ("layout", t)
        if table.document not in documents:
            add(base + ("document",), msg("unknown document {code}", code=repr(table.document)))
        seen_clusters: set[str] = set()
        counted: dict[str, int] = {}
        for r, row in enumerate(table.rows):
            slug = names.cluster(row.cluster)
            if slug is None:
                add(base + ("rows", r, "cluster"), msg("unknown cluster {name}", name=repr(row.cluster)))
            elif slug in seen_clusters:
                add(base + ("rows", r, "cluster"), msg("cluster {name} appears twice in the table", name=repr(row.cluster)))
            else:
                seen_clusters.add(slug)
            for city in row.cells:
                code = names.region(city)
                if code is None:
                    add(base + ("rows", r, "cells", city), msg("unknown region {name}", name=repr(city)))
                else:
                    counted[code] = counted.get(code, 0) + 1
            if row.stated_count is not None and row.stated_count != len(row.cells):
                add(base + ("rows", r, "stated_count"),
                    msg("{cluster}: {n} cities placed, the table states {stated}", cluster=row.cluster, n=len(row.cells),
                        stated=row.stated_count))
        for city, stated in table.city_totals.items():
            code = names.region(city)
            if code is None:
                add(base + ("city_totals", city), msg("unknown region {name}", name=repr(city)))
            elif counted.get(code, 0) != stated:
                add(base + ("city_totals", city),
                    msg("{city}: {n} clusters placed, the table states {stated}", city=city, n=counted.get(code, 0), stated=stated))


def _scope_key(scope: ScopeIn, names: Names) -> tuple:
    region = names.region(scope.region) if scope.region else None
    cluster = names.cluster(scope.cluster) if scope.cluster else None
    return (region, cluster, scope.cluster_group)


def _check_scope(scope: ScopeIn, names: Names, base: Path, add) -> None:
    if scope.region is not None and names.region(scope.region) is None:
        add(base + ("scope", "region"), msg("unknown region {name}", name=repr(scope.region)))
    if scope.cluster is not None and names.cluster(scope.cluster) is None:
        add(base + ("scope", "cluster"), msg("unknown cluster {name}", name=repr(scope.cluster)))
    if scope.cluster is not None and scope.cluster_group is not None:
        add(base + ("scope",), msg("give a cluster or a cluster_group, not both"))


def _check_source(source: SourceIn, documents: set[str], base: Path, add) -> None:
    if source.document not in documents:
        add(base + ("source", "document"), msg("unknown document {code}", code=repr(source.document)))


def _check_unit(unit: str, indicator_code: str, measure: str, indicators: dict, base: Path, add) -> None:
    indicator = indicators.get(indicator_code)
    if indicator is None:
        add(base + ("indicator",), msg("unknown indicator {code}", code=repr(indicator_code)))
        return
    try:
        get_unit(unit)
    except UnitError as exc:
        add(base + ("unit",), exc.message)
        return
    if measure == "cagr":
        if unit != "%":
            add(base + ("unit",), msg("a growth-rate (cagr) target is stated in %"))
        return
    if measure == "relative":
        if unit != "倍":
            add(base + ("unit",), msg("a relative target is stated as a multiple (倍) of its base year"))
        return
    try:
        convert(1.0, unit, indicator.unit)
    except UnitError:
        add(base + ("unit",), msg("unit {unit} does not fit indicator {indicator} (measured in {measured})",
                                  unit=unit, indicator=indicator_code, measured=indicator.unit))


def normalise_units(plan: PlanFile) -> None:
    """Express every stated figure and level target in its indicator's unit."""
    units = {i.code: i.unit for i in plan.indicators}
    items: list[StatedFigureIn | TargetIn] = [*plan.stated_figures, *plan.targets]
    for item in items:
        # A stated figure is always a level; only a target has a measure and a value_max.
        if isinstance(item, TargetIn) and item.measure != "level":
            continue
        to = units[item.indicator]
        if item.value is not None:
            item.value = convert(item.value, item.unit, to)
        if isinstance(item, TargetIn) and item.value_max is not None:
            item.value_max = convert(item.value_max, item.unit, to)
        item.unit = to


def embedded_plan_path(name: str = "guangdong") -> FilePath:
    return EMBEDDED_PLANS / f"{name}.yaml"
