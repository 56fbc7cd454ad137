"""A refusal's problems said by their codes (`api.web.refusals`): pydantic's types with their
parameters, an upload's own codes, field names; a service's sentence without a code stays."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from api.web.i18n import translator
from api.web.refusals import where, why


class Body(BaseModel):
    year: int = Field(ge=1, le=6)
    first_name: str


def items() -> list[dict]:
    with pytest.raises(ValidationError) as error:
        Body.model_validate({"year": 9})
    return [dict(e) for e in error.value.errors()]


def test_pydantic_types_are_said_with_their_parameters_in_dutch_and_english():
    nl, en = translator("nl"), translator("en")
    too_big, missing = items()
    assert (where(too_big, nl), why(too_big, nl)) == ("leerjaar", "mag hoogstens 6 zijn")
    assert (where(missing, nl), why(missing, nl)) == ("voornaam", "verplicht, maar leeg")
    assert (where(too_big, en), why(too_big, en)) == ("year", "must be at most 6")


def test_an_upload_problem_names_its_row_and_says_its_code():
    nl = translator("nl")
    problem = {"row": 3, "column": "preferences", "type": "upload.unknown_wish",
               "ctx": {"wish": 2, "code": "PL9"}, "reason": "wish 2: no placement"}  # fmt: skip
    assert where(problem, nl) == "rij 3 preferences"  # the column as the file names it
    assert why(problem, nl) == "wens 2: geen stageplek PL9 in de regio"


def test_a_problem_without_words_of_its_own_keeps_its_message():
    problem = {"loc": ["body", "calendar", "weeks"], "msg": "ends before it starts",
               "type": "value_error"}  # fmt: skip
    assert where(problem, translator("nl")) == "calendar weeks"
    assert why(problem, translator("nl")) == "ends before it starts"
