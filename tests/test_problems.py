"""The one problems type: counting, the dry run's answer, pydantic's errors in our words."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from clusterwatch.problems import BadInput, DryRun, Problems, msg, pydantic_message


def test_problems_are_counted_exactly_and_the_first_few_kept():
    problems = Problems(shown=2)
    for n in range(5):
        problems.error(msg("line {n}", n=n), row=n, cell=f"B{n}", indicator="revenue")
    problems.warn(msg("sign in first"))
    problems.count_errors(10)
    problems.count_warnings(3)
    assert (problems.error_count, problems.warning_count, len(problems.errors), len(problems.warnings)) == (15, 4, 2, 1)
    assert problems.errors[1].extra == {"indicator": "revenue"} and problems.errors[1].cell == "B1"
    with pytest.raises(BadInput) as caught:
        problems.raise_errors()
    assert [p.row for p in caught.value.problems] == [0, 1]


def test_a_dry_run_answers_in_one_shape():
    run = DryRun(created=2, unchanged=1)
    run.problems.error(msg("{value} is not a number", value="'x'"), row=4, column="C", cell="C4")
    assert run.has_errors and run.summary() == {
        "created": 2, "updated": 0, "unchanged": 1, "ignored": 0, "error_count": 1, "warning_count": 0,
        "errors": [{"row": 4, "column": "C", "cell": "C4", "reason": "'x' is not a number"}], "warnings": []}


class _Form(BaseModel):
    share: float = Field(gt=0)
    code: str

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value.isdigit():
            raise ValueError(msg("{raw} is not a year", raw=repr(value)))
        return value


def test_pydantic_errors_in_our_words():
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate({"share": 0, "code": "abc"})
    messages = {error["loc"][0]: pydantic_message(error) for error in caught.value.errors()}
    assert messages["share"] == "Input should be greater than 0" and messages["share"].id == "Input should be greater than {n}"
    # A validator's own message keeps its words and its id.
    assert messages["code"] == "'abc' is not a year" and messages["code"].id == "{raw} is not a year"


def test_a_listing_translates_each_item():
    from clusterwatch.problems import listing
    from clusterwatch.web.i18n import localized

    cells = listing(["B5", msg("line {n}, {column}", n=7, column="value")], more=True)
    assert cells == "B5, line 7, value …" and localized(cells, "zh") == "B5、第 7 行 value等"
    states = listing([msg("draft"), msg("submitted")], separator="、")
    assert localized(states, "zh") == "草稿、已提交" and listing([]) == ""
