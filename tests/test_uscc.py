"""The unified social credit code check (GB 32100), against published examples."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterwatch.uscc import check_character, is_valid, make, organisation_check, problem

# Codes of registered companies (the first is Huawei Technologies Co., Ltd., Shenzhen). Each
# passes both check characters, which a mistyped code does with odds of about 1 in 341.
VALID = ["91440300708461136T", "914403001922038216", "91440101231243173M"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code):
    assert problem(code) is None


def test_the_check_characters_by_hand():
    """The worked example of docs/methods.md, to the digit."""
    from clusterwatch.uscc import ORG_VALUES, ORG_WEIGHTS, VALUES, WEIGHTS

    # Organisation code 70846113-6: Σ = 7·3+0·7+8·9+4·10+6·5+1·8+1·4+3·2 = 181; 11 − 181 mod 11 = 6.
    assert sum(ORG_VALUES[c] * w for c, w in zip("70846113", ORG_WEIGHTS)) == 181
    assert organisation_check("70846113") == "6"
    # 91440300708461136 + T: Σ value × weight = 966; 31 − 966 mod 31 = 26, the 27th symbol, 'T'.
    assert sum(VALUES[c] * w for c, w in zip("91440300708461136", WEIGHTS)) == 966
    assert check_character("91440300708461136") == "T"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91440300708461136", "17 characters, not 18"),
        ("91440300708461136I", "character 'I' is not allowed"),
        ("914403007084611369", "the check character is '9', it should be 'T'"),
        ("91440300708461135T", "the organisation code's check character is '5', it should be '6'"),
        ("91AB0300708461136T", "characters 3-8 must be a region code"),
        ("91440300708461136t", "character 't' is not allowed"),
    ],
)
def test_bad_codes_say_why(code, reason):
    found = problem(code)
    assert found is not None and reason in str(found) and repr(code) in str(found)


@given(st.integers(min_value=0, max_value=2**32))
def test_made_codes_are_valid_and_keep_their_region(seed):
    code = make("440104", random.Random(seed))
    assert is_valid(code) and code[2:8] == "440104"


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=17))
def test_changing_one_character_is_caught(seed, position):
    code = make("440300", random.Random(seed))
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    replacement = alphabet[(alphabet.index(code[position]) + 1) % len(alphabet)]
    changed = code[:position] + replacement + code[position + 1:]
    assert not is_valid(changed)


def test_the_reason_is_a_message_nested_in_the_codes():
    found = problem("91440300708461136")
    assert found is not None and found.reason.id == "{n} characters, not 18" and found.reason.params == {"n": 17}
    message = found.message
    assert message.id == "{code} is not a valid unified social credit code: {reason}" and message.params["reason"] is found.reason
    assert message == str(found) == "'91440300708461136' is not a valid unified social credit code: 17 characters, not 18"
    assert problem(914403).reason.id == "not text"
