"""The shared choice fields refuse, before any query, a key no row could have: with the field's own error."""

import django.forms
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal import fields
from portal.models import Organisation
from projects.models import Call
from tests.factories import CallFactory, SocialGroupFactory
from tests.portal.test_filters import project_subclasses

pytestmark = pytest.mark.django_db

IMPOSSIBLE = ["99999999999999999999", "-99999999999999999999", "1e309", "NaN", "²", "1\x00", "x" * 5000, 2**64]


def refusal(field: django.forms.Field, value) -> list[str]:
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            field.clean(value)
        return raised.value.messages


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_model_choice_field_refuses_an_impossible_key_without_a_query(value, django_assert_num_queries):
    field = fields.ModelChoiceField(queryset=Call.objects.all())

    with django_assert_num_queries(0):
        messages = refusal(field, value)

    assert messages == ["Select a valid choice. That choice is not one of the available choices."]


def test_model_choice_field_finds_a_row_by_its_key():
    call = CallFactory()

    assert fields.ModelChoiceField(queryset=Call.objects.all()).clean(f" {call.pk} ") == call


def test_model_choice_field_refuses_a_possible_key_of_no_row_as_django_does():
    assert refusal(fields.ModelChoiceField(queryset=Call.objects.all()), "9223372036854775807") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("99999999999999999999", "99999999999999999999"), ("²", "²"), ("x" * 5000, "x" * 23 + "…")],
)
def test_model_multiple_choice_field_refuses_an_impossible_key_without_a_query(value, shown, django_assert_num_queries):
    call = CallFactory()
    field = fields.ModelMultipleChoiceField(queryset=Call.objects.all())

    with django_assert_num_queries(0):
        messages = refusal(field, [str(call.pk), value])

    assert messages == [f"Select a valid choice. {shown} is not one of the available choices."]


def test_model_multiple_choice_field_finds_the_rows_by_their_keys():
    calls = [CallFactory(), CallFactory()]

    chosen = fields.ModelMultipleChoiceField(queryset=Call.objects.order_by("pk")).clean([str(c.pk) for c in calls])

    assert list(chosen) == calls


def test_model_choice_field_by_a_text_column_looks_any_value_up():
    # Only integer keys have a range; a code is looked up as typed.
    organisation = SocialGroupFactory(code="CAS")
    field = fields.ModelChoiceField(queryset=Organisation.objects.all(), to_field_name="code")

    assert (field.clean("CAS"), refusal(field, "99999999999999999999")) == (
        organisation,
        ["Select a valid choice. That choice is not one of the available choices."],
    )


def test_every_model_choice_field_of_the_projects_forms_is_the_portals():
    found = project_subclasses(django.forms.BaseForm)

    raw = {
        name: sorted(
            field_name
            for field_name, field in form.base_fields.items()
            if isinstance(field, django.forms.ModelChoiceField)
            and not isinstance(field, fields.ModelChoiceField | fields.ModelMultipleChoiceField)
        )
        for name, form in found.items()
    }

    assert {name: field_names for name, field_names in raw.items() if field_names} == {}
