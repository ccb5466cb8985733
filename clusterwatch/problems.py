"""Problems with what a person gave, named by their place, in words that translate.

A `Message` is made by `msg("{value} is not a number (write the figure in {unit}, …)",
value=…, unit=…)`: its id is an English gettext message id with named placeholders, and
Babel's extraction finds every id in the source (keyword `msg`). The message is also a str,
its English text, so logs, tests and the audit read it as they read any text; the web app and
the CLI show it in the user's language by `render(gettext)`, which looks the id up in the
catalogue and fills in the parameters, each parameter a plain value (shown as it is: a code,
a figure, a quoted cell) or a Message of its own (translated in turn).

A `Problem` is one message at its place (field, row, column, cell); `Problems` collects them
with exact counts while keeping only the first few shown; `BadInput` is the one error that
carries them.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Gettext = Callable[[str], str]
Param = Any  # str, int, float, or a Message


class Message(str):
    """A message for a person: the English text (the str itself), `id` and `params`."""

    id: str
    params: dict[str, Param]

    def __new__(cls, id: str, /, **params: Param) -> Message:
        params = {name: _shortened(value) for name, value in params.items()}
        self = super().__new__(cls, id.format(**params) if params else id)
        self.id = id
        self.params = params
        return self

    def render(self, gettext: Gettext | None = None) -> str:
        """The message in the language of `gettext` (English without one)."""
        if gettext is None:
            return str.__str__(self)
        template = gettext(self.id)
        if not self.params:
            return template
        return template.format(**{name: value.render(gettext) if isinstance(value, Message) else value
                                  for name, value in self.params.items()})

    def to_json(self) -> dict:
        """What a table stores to show the message again later, in any language."""
        return {"id": self.id, "params": {name: value.to_json() if isinstance(value, Message) else value
                                          for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping) -> Message:
        return cls(data["id"], **{name: cls.from_json(value) if isinstance(value, Mapping) else value
                                  for name, value in data.get("params", {}).items()})

    def __reduce__(self):  # str's own would rebuild a plain str and lose the id
        return (_rebuild, (self.id, self.params))


# A message quotes what a person sent (a cell, a parameter) to point at it, never to echo it
# whole: a 5 MB parameter would come back as a 5 MB answer. Lists of places are built by
# `listing` as Messages and stay whole.
_QUOTE_LIMIT = 200


def _shortened(value: Param) -> Param:
    if type(value) is str and len(value) > _QUOTE_LIMIT:
        return value[:_QUOTE_LIMIT - 1] + "…"
    return value


def _rebuild(id: str, params: dict) -> Message:
    return Message(id, **params)


def msg(id: str, /, **params: Param) -> Message:
    """A message by its English id; Babel extracts the id from this call (keyword `msg`)."""
    return Message(id, **params)


def msgid(id: str) -> str:
    """Marks a message id for Babel's extraction where the message is made later (a table of ids)."""
    return id


def listing(items: Sequence[str], separator: Literal[", ", "、"] = ", ", more: bool = False) -> Message | str:
    """Items (each a Message or a plain value) as one parameter of a message, each translated in
    its turn: "B5, line 7, value", or with `separator` "、" as Chinese lists are written;
    `more` adds " …" for items left out."""
    if not items:
        return ""
    joined: Message | str = items[0]
    for item in items[1:]:
        joined = msg("{a}、{b}", a=joined, b=item) if separator == "、" else msg("{a}, {b}", a=joined, b=item)
    return msg("{items} …", items=joined) if more else joined


def placeholders(template: str) -> set[str]:
    """The named placeholders of a message id or its translation."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(value: Any, gettext: Gettext | None) -> Any:
    """`value` with every Message in it (through dicts, lists and Problems) in the language of `gettext`."""
    if isinstance(value, Message):
        return value.render(gettext)
    if isinstance(value, Problem):
        return render(value.as_dict(), gettext)
    if isinstance(value, dict):
        return {key: render(item, gettext) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [render(item, gettext) for item in value]
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, as a warning, to check) at one place of what a person gave."""

    message: Message
    field: str = ""  # the field of a form, an API body or a plan file: "period", "indicators[2].unit"
    row: int | None = None  # the row of a sheet, the line of a file
    column: str | None = None  # the column's letter or header, or the field within a row
    cell: str | None = None  # how the place reads: "B5", or a Message such as "line 7, value"
    warning: bool = False
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # particulars an answer carries: indicator, score, rule …

    @property
    def where(self) -> str | None:
        return self.cell or self.field or None

    def as_dict(self) -> dict:
        """The problem as an API answer gives it: row, column, cell (or field) and reason."""
        out: dict[str, Any] = {"row": self.row, "column": self.column, "cell": self.cell}
        if self.field:
            out["field"] = self.field
        return {**out, **self.extra, "reason": self.message}


class Problems:
    """The problems of one input: every error and warning counted exactly, the first `shown`
    of each kept to describe (a broken province-wide file could name 10⁶ cells)."""

    def __init__(self, shown: int | None = None):
        self.shown = shown
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.error_count = 0
        self.warning_count = 0

    def add(self, problem: Problem) -> None:
        kept, count = (self.warnings, "warning_count") if problem.warning else (self.errors, "error_count")
        setattr(self, count, getattr(self, count) + 1)
        if self.shown is None or len(kept) < self.shown:
            kept.append(problem)

    def error(self, message: Message, **place: Any) -> None:
        self.add(_problem(message, place, warning=False))

    def warn(self, message: Message, **place: Any) -> None:
        self.add(_problem(message, place, warning=True))

    def count_errors(self, n: int) -> None:
        """Errors that are counted but not described (past the first `shown`)."""
        self.error_count += n

    def count_warnings(self, n: int) -> None:
        """Warnings that are counted (and kept elsewhere, as flags) but not described here."""
        self.warning_count += n

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def __iter__(self) -> Iterator[Problem]:
        yield from self.errors
        yield from self.warnings

    def raise_errors(self) -> None:
        """BadInput with every error described, if there is any."""
        if self.errors:
            raise BadInput.of(self.errors)


@dataclass(kw_only=True)
class DryRun:
    """What checking an input found, and what writing it would do: how many records it would
    create, change, leave as they are or pass over (empty), and every problem. Each way in has
    one, adding what it writes: a region's return, a return of firms, rows of values, the register."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    problems: Problems = dataclasses.field(default_factory=Problems)

    @property
    def errors(self) -> list[Problem]:
        return self.problems.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.problems.warnings

    @property
    def error_count(self) -> int:
        return self.problems.error_count

    @property
    def warning_count(self) -> int:
        return self.problems.warning_count

    @property
    def has_errors(self) -> bool:
        return self.problems.has_errors

    def summary(self) -> dict:
        """The answer of a check, as the API gives it (messages in English until rendered)."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "ignored": self.ignored,
                "error_count": self.error_count, "warning_count": self.warning_count,
                "errors": [p.as_dict() for p in self.errors], "warnings": [p.as_dict() for p in self.warnings]}


def _problem(message: Message, place: dict[str, Any], *, warning: bool) -> Problem:
    known = {key: place.pop(key) for key in ("field", "row", "column", "cell") if key in place}
    return Problem(message, warning=warning, extra=place, **known)


class BadInput(ValueError):
    """Values a person gave that cannot be used: `problems` names each of them; `field` and
    `message` the first."""

    def __init__(self, field: str, message: Message, problems: Iterable[Problem] | None = None):
        self.field, self.message = field, message
        self.problems: list[Problem] = list(problems) if problems is not None else [Problem(message, field=field)]
        super().__init__(f"{field}: {message}" if field else str(message))

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> BadInput:
        """One error for several problems, named by the first."""
        problems = list(problems)
        return cls(problems[0].field, problems[0].message, problems)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, Message]]) -> BadInput:
        return cls.of(Problem(message, field=name) for name, message in pairs)


# Pydantic's errors by type, in our words (its own text is English only).
_PYDANTIC = {
    "missing": msgid("the {field} is missing"),
    "extra_forbidden": msgid("{field} is not a field here"),
    "greater_than": msgid("Input should be greater than {n}"),
    "greater_than_equal": msgid("Input should be greater than or equal to {n}"),
    "less_than": msgid("Input should be less than {n}"),
    "less_than_equal": msgid("Input should be less than or equal to {n}"),
    "float_parsing": msgid("Input should be a valid number, unable to parse string as a number"),
    "float_type": msgid("Input should be a valid number, unable to parse string as a number"),
    "finite_number": msgid("Input should be a finite number"),
    "int_parsing": msgid("Input should be a whole number"),
    "int_type": msgid("Input should be a whole number"),
    "int_from_float": msgid("Input should be a whole number"),
    "literal_error": msgid("Input should be {options}"),
    "enum": msgid("Input should be {options}"),
    "string_too_short": msgid("Input should have at least {n} characters"),
    "string_too_long": msgid("Input should have at most {n} characters"),
    "too_short": msgid("Input should have at least {n} items"),
    "too_long": msgid("Input should have at most {n} items"),
    "string_type": msgid("Input should be text"),
    "bool_parsing": msgid("Input should be true or false"),
    "bool_type": msgid("Input should be true or false"),
    "date_from_datetime_parsing": msgid("Input should be a date: write YYYY-MM-DD"),
    "date_parsing": msgid("Input should be a date: write YYYY-MM-DD"),
    "date_type": msgid("Input should be a date: write YYYY-MM-DD"),
    "list_type": msgid("Input should be a list"),
    "dict_type": msgid("Input should be a mapping of fields"),
    "model_type": msgid("Input should be a mapping of fields"),
    "model_attributes_type": msgid("Input should be a mapping of fields"),
    "string_pattern_mismatch": msgid("Input should match the pattern {pattern}"),
}


def pydantic_message(error: Mapping[str, Any]) -> Message:
    """One of pydantic's errors (an item of ValidationError.errors()) as our message."""
    kind, ctx, loc = error.get("type", ""), error.get("ctx") or {}, error.get("loc") or ()
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
        return cause.args[0]  # a validator of ours raised ValueError(msg(...)): its own words
    template = _PYDANTIC.get(kind)
    if template is None:
        # A kind we have no words for keeps pydantic's own (English) text.
        return msg("{detail}", detail=str(error.get("msg", kind)))
    params: dict[str, Param] = {}
    if "{n}" in template:
        params["n"] = next((_figure(ctx[k]) for k in ("gt", "ge", "lt", "le", "min_length", "max_length") if k in ctx), "")
    if "{options}" in template:
        params["options"] = str(ctx.get("expected", ""))
    if "{pattern}" in template:
        params["pattern"] = str(ctx.get("pattern", ""))
    if "{field}" in template:
        params["field"] = str(loc[-1]) if loc else ""
    return Message(template, **params)


def _figure(value: Any) -> str:
    """A limit as people write it: 0, not 0.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)
