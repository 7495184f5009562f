"""Punctuation and formats as a Chinese reader expects them, and as an English one does (issue 10)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

MOMENT = datetime.datetime(2027, 1, 13, 17, 0)  # noqa: DTZ001 -- naive on purpose: read in the current zone


class _Form(forms.Form):
    name = forms.CharField(label="联系人")
    pledge = forms.BooleanField(label="本人已阅读上述诚信承诺，代表本单位同意上述诚信承诺。")
    english = forms.CharField(label="Contact person")
    question = forms.CharField(label="Agree?")


def _label(form: forms.Form, name: str) -> str:
    html = form[name].as_field_group()
    return html[html.index("<label") : html.index("</label>") + len("</label>")]


def test_label_suffix_is_a_full_width_colon_in_chinese_and_a_colon_in_english():
    with translation.override("zh-hans"):
        chinese = _label(_Form(), "name")
    with translation.override("en"):
        english = _label(_Form(), "english")

    assert (chinese, english) == (
        '<label for="id_name">联系人：</label>',
        '<label for="id_english">Contact person:</label>',
    )


def test_label_ending_in_a_full_stop_or_a_question_mark_gets_no_suffix():
    with translation.override("zh-hans"):
        labels = [_label(_Form(), "pledge"), _label(_Form(), "question")]

    assert labels == [
        '<label for="id_pledge">本人已阅读上述诚信承诺，代表本单位同意上述诚信承诺。</label>',
        '<label for="id_question">Agree?</label>',
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_and_moments_read_the_same_in_code_and_templates(language):
    template = Template(
        '{{ moment|date }} · {{ moment|date:"DATETIME_FORMAT" }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }}'
    )

    with translation.override(language):
        written = [
            date_format(MOMENT, "DATETIME_FORMAT"),
            date_format(MOMENT.date()),
            template.render(Context({"moment": MOMENT})),
        ]

    assert written == ["2027-01-13 17:00", "2027-01-13", "2027-01-13 · 2027-01-13 17:00 · 2027-01-13 17:00"]
