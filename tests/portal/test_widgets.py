"""portal.widgets.Select writes what Django's template-rendered select writes, character for character."""

import pytest
from django import forms

from portal import widgets
from portal.choices import Province
from portal.filters import FilterSet
from portal.models import Organisation

CHOICES = [
    ("", "Any"),
    ("a&b", 'Tom & "Jerry" <b>'),
    ("Group <1>", [("x", "X"), ("y", "Y")]),
    (3, "three"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "y", 3, "3", ["x"]])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_f", "required": True, "disabled": False, "data-x": 'a"b'}])
def test_the_html_is_djangos_own(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("f", value, attrs=dict(attrs))
    ours = widgets.Select(choices=CHOICES).render("f", value, attrs=dict(attrs))

    assert ours == django_html


def test_a_bound_form_field_renders_the_same(db):
    class Form(forms.Form):
        province = forms.ChoiceField(choices=[("", "—"), *Province.choices], required=False)

    django_html = str(Form({"province": "330000"})["province"])
    Form.base_fields["province"].widget = widgets.Select(choices=Form.base_fields["province"].choices)

    assert str(Form({"province": "330000"})["province"]) == django_html
    assert 'value="330000" selected' in django_html


def test_every_filterset_select_is_the_fast_one(db):
    class OrganisationFilter(FilterSet):
        class Meta:
            model = Organisation
            fields = ["kind", "province", "group"]

    form = OrganisationFilter({}).form

    assert {name: type(field.widget) for name, field in form.fields.items()} == {
        "kind": widgets.Select,
        "province": widgets.Select,
        "group": widgets.Select,
    }
    assert form["kind"].as_widget().startswith('<select name="kind" id="id_kind">')
