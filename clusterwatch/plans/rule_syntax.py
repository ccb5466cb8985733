"""The syntax of a validation rule, as plan files and form definitions write it: left operator
right, each side a sum of indicator codes (a + b - c). Checked when a plan is read;
evaluated on returns by reporting/rules.py."""

from __future__ import annotations

import re

from clusterwatch.problems import Message, msg

TERM = re.compile(r"\s*([+-]?)\s*([a-z][a-z0-9_]*)\s*")


class RuleSyntaxError(ValueError):
    """A side of a rule that is not a sum of indicator codes; `message` says how."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message)


def parse_side(text: str) -> list[tuple[int, str]]:
    """'value_added + rd_spending' → [(1, 'value_added'), (1, 'rd_spending')]; RuleSyntaxError
    (a ValueError) if malformed."""
    terms: list[tuple[int, str]] = []
    position = 0
    while position < len(text):
        match = TERM.match(text, position)
        if not match or match.end() == position or (terms and not match.group(1)):
            raise RuleSyntaxError(msg("{text} is not a sum of indicator codes (write a + b - c)", text=repr(text)))
        terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        position = match.end()
    if not terms:
        raise RuleSyntaxError(msg("an empty side"))
    return terms
