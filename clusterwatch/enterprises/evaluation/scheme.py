"""Evaluation schemes: what is scored, with which weights, against which benchmark, in which pools.

A scheme is a file (schemes/*.yaml) or the same object sent through the API; every problem is
named by its field, and a scheme that is not right is never used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clusterwatch.problems import BadInput, Message, Problem, msg, pydantic_message

SCHEMES = Path(__file__).parent / "schemes"
# What a scheme's formulas can use, in the units its benchmarks and docs speak of. The
# platform's returns hold money in the indicators' units (亿元); inputs.py converts.
INPUT_UNITS = {"tax_paid": "万元", "value_added": "万元", "revenue": "万元", "rd_spending": "万元",
               "energy_use": "吨标准煤", "pollutant_emissions": "吨", "employment": "人", "land_mu": "亩"}
INPUTS = tuple(INPUT_UNITS)
CLASSES: tuple[Literal["A", "B", "C", "D"], ...] = ("A", "B", "C", "D")


class SchemeProblems(ValueError):
    """What a scheme's own rules find wrong, each problem at its field: raised inside pydantic's
    validation, which hands it back to parse_scheme whole (its text is for logs only)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class SchemeIndicator(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    numerator: Literal[INPUTS]  # type: ignore[valid-type]
    denominator: Literal[INPUTS]  # type: ignore[valid-type]
    scale: float = Field(1.0, gt=0)
    unit: str
    weight: float = Field(gt=0, le=100)
    cap: float | None = Field(None, gt=0)  # this indicator's own cap (multiple of its weight)


class Benchmark(_Strict):
    # constant: `values` per indicator; pool_mean: k × this year's mean of the pool;
    # prior_pool_mean: k × last year's mean of the pool (this year's where there is none).
    kind: Literal["constant", "pool_mean", "prior_pool_mean"]
    k: float = Field(1.0, gt=0)
    values: dict[str, float] = {}


class Classing(_Strict):
    kind: Literal["quotas", "cutoffs"]
    quotas: dict[Literal["A", "B", "C", "D"], float] = {}  # per cent of each pool, best first
    cutoffs: dict[Literal["A", "B", "C"], float] = {}  # lowest score of the class; D below


class Unrated(_Strict):
    younger_than_years: float = Field(default=1.0, ge=0)  # default by keyword: type checkers see it


class Scheme(_Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    name_zh: str
    name_en: str
    indicators: list[SchemeIndicator] = Field(min_length=1)
    benchmark: Benchmark
    cap: float = Field(1.5, gt=0)
    pools: list[Literal["size_class", "county", "cluster"]] = ["size_class"]
    classing: Classing
    missing: Literal["pool_average", "zero"] = "pool_average"
    unrated: Unrated = Unrated()
    # The annual return of firms the inputs are read from (a form of the loaded plan).
    source_form: str = "enterprise-annual"

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        problems: list[Problem] = []

        def problem(field: str, message: Message) -> None:
            problems.append(Problem(message, field=field))

        total = sum(i.weight for i in self.indicators)
        if abs(total - 100) > 1e-9:
            problem("indicators", msg("the weights add up to {total}, not 100", total=f"{total:g}"))
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            problem("indicators", msg("an indicator is named twice"))
        if self.classing.kind == "quotas":
            share = sum(self.classing.quotas.values())
            if set(self.classing.quotas) != set(CLASSES):
                problem("classing.quotas", msg("give a quota for each of A, B, C and D"))
            elif abs(share - 100) > 1e-9:
                problem("classing.quotas", msg("the quotas add up to {n}%, not 100%", n=f"{share:g}"))
            elif any(v < 0 for v in self.classing.quotas.values()):
                problem("classing.quotas", msg("a quota cannot be negative"))
        else:
            cut = self.classing.cutoffs
            if set(cut) != {"A", "B", "C"}:
                problem("classing.cutoffs", msg("give the lowest score of A, B and C"))
            elif not cut["A"] > cut["B"] > cut["C"]:
                problem("classing.cutoffs", msg("the cut-offs must fall from A to C"))
        if self.benchmark.kind == "constant":
            missing = [c for c in codes if self.benchmark.values.get(c, 0) <= 0]
            if missing:
                problem("benchmark.values", msg("a constant benchmark above 0 is needed for {codes}", codes=", ".join(missing)))
        if problems:
            raise SchemeProblems(problems)
        return self


def parse_scheme(data: dict) -> Scheme:
    """A scheme from plain data; every problem named by its field (BadInput): where pydantic
    finds it (its `loc`, "indicators.1.weight"), or the field the scheme's own rules name."""
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            found = (error.get("ctx") or {}).get("error")
            if isinstance(found, SchemeProblems):
                problems.extend(Problem(p.message, field=f"{where}.{p.field}" if where else p.field) for p in found.problems)
            else:
                problems.append(Problem(pydantic_message(error), field=where or "scheme"))
        raise BadInput.of(problems) from None


def load_scheme(name: str = "per-mu-default") -> Scheme:
    path = SCHEMES / f"{name}.yaml"
    if not path.exists():
        raise BadInput("scheme", msg("no {kind} {key}", kind=msg("evaluation scheme"), key=repr(name)))
    return parse_scheme(yaml.safe_load(path.read_text(encoding="utf-8")))
