"""The 申报书's free-text sections have limits: counted as the browser counts, refused on the server with what was
typed kept, shown as `maxlength` and a counter (static/js/counter.js; the browser test is in tests/e2e)."""

import html
import json
import re

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation

from projects.forms.applications import TEXT_LIMITS, section_form, typed_length
from projects.models import Application
from projects.services.applications import SECTION_FIELDS
from tests.factories import make_application

pytestmark = pytest.mark.django_db
# The pages speak Chinese; the new messages are compared with their English msgids.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def application():
    return make_application()


def edit_url(application, section: str) -> str:
    return reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section})


def textarea(body: str, name: str) -> tuple[dict[str, str], str]:
    """The attributes and the content of the page's textarea `name`."""
    found = re.search(rf'<textarea ([^>]*name="{name}"[^>]*)>(.*?)</textarea>', body, flags=re.S)
    attributes = {key: html.unescape(value) for key, value in re.findall(r'([\w-]+)="([^"]*)"', found.group(1))}
    return attributes, html.unescape(found.group(2)).removeprefix("\n")


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("团体标准", 4),
        ("第一行\r\n第二行", 7),  # a line break posted as CR LF is one, as in the browser
        ("第一行\n第二行\r第三行", 11),
        ("𠀀𠀁", 4),  # beyond the BMP: two UTF-16 code units each, as `maxlength` counts them
        ("", 0),
    ],
)
def test_typed_length_counts_as_the_browser_does(text, length):
    assert typed_length(text) == length


def test_every_free_text_field_of_the_application_has_a_limit():
    sections = {name for names in SECTION_FIELDS.values() for name in names}
    free_text = {name for name in sections if isinstance(Application._meta.get_field(name), models.TextField)}

    assert set(TEXT_LIMITS) == free_text


def test_section_form_refuses_a_text_over_its_limit_saying_by_how_much(application):
    form = section_form("market")({"market_competitiveness": "市" * 2001}, instance=application)

    with translation.override("en"):
        errors = form.errors.get_json_data()

    assert errors == {
        "market_competitiveness": [
            {"message": "At most 2,000 characters here: you typed 2,001. Shorten it by 1.", "code": "max_length"}
        ]
    }


def test_section_form_counts_a_line_break_once(application):
    # 2,001 in Python's len(), 2,000 in the browser's count: accepted, as the browser let it be typed.
    text = "市" * 1000 + "\r\n" + "场" * 999

    form = section_form("market")({"market_competitiveness": text}, instance=application)

    assert (len(text), form.is_valid(), form.cleaned_data) == (2001, True, {"market_competitiveness": text})


def test_section_page_refuses_a_text_over_its_limit_and_keeps_what_was_typed(client, application):
    client.force_login(application.created_by)
    typed = "示范" * 2500 + "。"
    before = Application.objects.get(pk=application.pk).advancement

    data = {"advancement": typed, "indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0", "save": ""}

    response = client.post(edit_url(application, "advancement"), data, **ENGLISH)

    body = response.content.decode()
    errors = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', body)]
    assert (response.status_code, errors) == (
        400,
        ["At most 5,000 characters here: you typed 5,001. Shorten it by 1."],
    )
    assert textarea(body, "advancement")[1] == typed
    assert Application.objects.get(pk=application.pk).advancement == before


def test_section_page_gives_each_text_its_limit_and_the_counters_sentences(client, application):
    client.force_login(application.created_by)

    response = client.get(edit_url(application, "implementation"), **ENGLISH)

    body = response.content.decode()
    limits = {name: textarea(body, name)[0]["maxlength"] for name in ("implementation", "effect")}
    sentences = json.loads(textarea(body, "effect")[0]["data-counter"])
    assert (limits, sentences) == (
        {"implementation": "5000", "effect": "3000"},
        {
            "left": {"one": "%(count)s character left", "other": "%(count)s characters left"},
            "over": {"one": "%(count)s character too many", "other": "%(count)s characters too many"},
        },
    )
    assert "/static/js/counter.js" in re.findall(r'<script src="([^"]+)"', body)
