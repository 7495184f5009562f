"""The unified social credit code check (GB 32100) that the registry relies on for social groups."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.validators import CREDIT_CODE_ALPHABET, credit_code_check_character, validate_credit_code
from standards.services.seed.groups import NEW_ORGANISATIONS

first_17s = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the worked example of GB 32100—2015
        *(spec["credit_code"] for spec in NEW_ORGANISATIONS),
    ],
)
def test_validate_credit_code_accepts_valid_codes(code):
    validate_credit_code(code)


def test_credit_code_check_character_of_the_standards_example():
    assert credit_code_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y433", "18 characters"),
        ("91350100M000100Y44", "should be 3"),
        ("91350100I000100Y43", "found I"),
        ("91350100m000100Y43", "found m"),
        ("9135010OM000100Y43", "found O"),
    ],
)
def test_validate_credit_code_refuses_with_a_reason(code, message):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)

    assert message in raised.value.messages[0]


@given(first_17s)
def test_a_computed_check_character_always_validates(first_17):
    validate_credit_code(first_17 + credit_code_check_character(first_17))


@given(first_17s, st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_other_check_character_is_refused(first_17, wrong):
    if wrong == credit_code_check_character(first_17):
        return
    with pytest.raises(ValidationError):
        validate_credit_code(first_17 + wrong)


@given(first_17s, st.integers(min_value=0, max_value=16), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_changing_one_character_is_detected(first_17, position, replacement):
    code = first_17 + credit_code_check_character(first_17)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    with pytest.raises(ValidationError):
        validate_credit_code(changed)
