"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters: registration authority (1), organisation type (1), the registering region's
GB/T 2260 code (6), the organisation code (9, with its own GB 11714 check character) and a
check character over the first 17. The alphabet is the digits and 21 capital letters (no I,
O, Z, S, V). A code is valid when both check characters are right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from clusterwatch.problems import Message, msg

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# GB 11714 organisation code (positions 9-17): 8 characters and a check character.
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_VALUES = {**{str(d): d for d in range(10)}, **{ch: 10 + i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}


@dataclass(frozen=True)
class UsccProblem:
    code: str
    reason: Message  # what is wrong, in words that translate: "17 characters, not 18"

    @property
    def message(self) -> Message:
        """The whole message for a person: the code and why it is not valid."""
        return msg("{code} is not a valid unified social credit code: {reason}", code=repr(self.code), reason=self.reason)

    def __str__(self) -> str:
        return str.__str__(self.message)


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def organisation_check(first8: str) -> str:
    remainder = 11 - sum(ORG_VALUES[ch] * w for ch, w in zip(first8, ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def problem(code: str) -> UsccProblem | None:
    """Why `code` is not a valid USCC, or None when it is."""
    if not isinstance(code, str):
        return UsccProblem(str(code), msg("not text"))
    if len(code) != 18:
        return UsccProblem(code, msg("{n} characters, not 18", n=len(code)))
    bad = [ch for ch in code if ch not in VALUES]
    if bad:
        return UsccProblem(code, msg("character {ch} is not allowed (digits and capital letters other than I, O, Z, S, V)",
                                     ch=repr(bad[0])))
    if not code[2:8].isdigit():
        return UsccProblem(code, msg("characters 3-8 must be a region code, not {code}", code=repr(code[2:8])))
    expected = organisation_check(code[8:16])
    if code[16] != expected:
        return UsccProblem(code, msg("the organisation code's check character is {written}, it should be {expected}",
                                     written=repr(code[16]), expected=repr(expected)))
    expected = check_character(code[:17])
    if code[17] != expected:
        return UsccProblem(code, msg("the check character is {written}, it should be {expected}",
                                     written=repr(code[17]), expected=repr(expected)))
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def make(region: str, rng: random.Random, *, authority: str = "9", kind: str = "1") -> str:
    """A well-formed code for synthetic data: given region, random organisation code."""
    org = "".join(rng.choice(ALPHABET) for _ in range(8))
    first17 = authority + kind + region + org + organisation_check(org)
    return first17 + check_character(first17)
