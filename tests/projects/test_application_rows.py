"""The edit page's tables of rows (indicators, enterprises): the endpoint that gives the page's script an empty
row at the next index, the table's markup the script works on, and credit codes typed with spaces (issue 10)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from projects import workflow
from projects.forms.applications import MAX_ROWS
from projects.models import ImplementingEnterprise, IndicatorComparison
from tests.factories import SocialGroupFactory, make_application, make_credit_code, member_of, submitted_application

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **ENGLISH}


@pytest.fixture
def group():
    return SocialGroupFactory(province="330000")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def draft(group, applicant):
    return make_application(group=group, by=applicant)


def row_url(application, section: str) -> str:
    return reverse("projects:application_row", kwargs={"pk": application.pk, "section": section})


def edit_url(application, section: str) -> str:
    return reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section})


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))).strip()


def names_in(response) -> list[str]:
    return re.findall(r'<(?:input|select)[^>]* name="([^"]+)"', response.content.decode())


def row_titles(response) -> list[str]:
    return re.findall(r'<span class="cell-label row-title"[^>]*>(.*?)</span>', response.content.decode())


# --- the endpoint ---------------------------------------------------------------------------------------
def test_row_endpoint_gives_an_empty_row_at_the_next_index(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(row_url(draft, "advancement"), {"indicators-TOTAL_FORMS": "3"}, **HTMX)

    assert response.status_code == 200
    assert response.content.decode().count("<tr ") == 1
    assert names_in(response) == [
        "indicators-3-indicator",
        "indicators-3-this_standard",
        "indicators-3-national_or_industry",
        "indicators-3-international",
    ]
    assert row_titles(response) == ["Row 4"]
    assert "Remove row 4" in text_of(response)
    assert "data-row-remove hidden" in response.content.decode()
    assert 'value="' not in response.content.decode()  # empty


def test_row_endpoint_gives_as_many_rows_as_asked_up_to_the_cap(client, applicant, draft):
    client.force_login(applicant)

    several = client.get(row_url(draft, "implementation"), {"enterprises-TOTAL_FORMS": "5", "count": "3"}, **HTMX)
    capped = client.get(
        row_url(draft, "implementation"), {"enterprises-TOTAL_FORMS": str(MAX_ROWS - 2), "count": "5"}, **HTMX
    )

    assert [name for name in names_in(several) if name.endswith("-name")] == [
        "enterprises-5-name",
        "enterprises-6-name",
        "enterprises-7-name",
    ]
    assert row_titles(capped) == ["Row 99", "Row 100"]


def test_row_endpoint_offers_a_credit_code_box_wider_than_the_code(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(row_url(draft, "implementation"), {"enterprises-TOTAL_FORMS": "0"}, **HTMX)

    boxes = re.findall(r'<input type="text" name="enterprises-0-credit_code"[^>]*>', response.content.decode())
    assert [re.findall(r'maxlength="(\d+)"', box) for box in boxes] == [["40"]]


def test_row_endpoint_refuses_a_row_past_the_cap(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(row_url(draft, "advancement"), {"indicators-TOTAL_FORMS": str(MAX_ROWS)}, **HTMX)

    assert (response.status_code, text_of(response)) == (400, "A table holds at most 100 rows.")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"indicators-TOTAL_FORMS": "99999999999999999999"},
        {"indicators-TOTAL_FORMS": "-1"},
        {"indicators-TOTAL_FORMS": "²"},
        {"indicators-TOTAL_FORMS": "1\x00"},
        {"indicators-TOTAL_FORMS": "1", "count": "0"},
        {"indicators-TOTAL_FORMS": "1", "count": "1e309"},
    ],
)
def test_row_endpoint_refuses_an_index_or_count_it_cannot_read(client, applicant, draft, query):
    client.force_login(applicant)

    response = client.get(row_url(draft, "advancement"), query, **HTMX)

    assert (response.status_code, text_of(response)) == (
        400,
        "No row could be added: reload the page and try again.",
    )


def test_row_endpoint_opened_as_a_page_points_to_the_section(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(row_url(draft, "advancement"), {"indicators-TOTAL_FORMS": "2"}, **ENGLISH)

    body = response.content.decode()
    assert response.status_code == 400
    assert re.findall(r"<h1>(.*?)</h1>", body) == ["No row was added"]
    assert "Rows are added on the section's page, with its “Add a row” button." in html.unescape(body)
    assert f'<a class="btn" href="{edit_url(draft, "advancement")}">Go back</a>' in body
    assert "HX-Request" in response["Vary"].split(", ")  # a page and a fragment at one address


@pytest.mark.parametrize("section", ["contact", "claim", "attachments", "nonsense"])
def test_row_endpoint_of_a_section_without_a_table_is_not_found(client, applicant, draft, section):
    client.force_login(applicant)

    response = client.get(row_url(draft, section), {"indicators-TOTAL_FORMS": "0"}, **HTMX)

    assert response.status_code == 404
    assert "<tr" not in response.content.decode()


def test_row_endpoint_is_refused_in_order():
    application = submitted_application()
    actors = {
        "other group": member_of(SocialGroupFactory()),
        "recommender": member_of(application.recommender),
        "group": application.created_by,
    }
    responses = {}
    for name, user in actors.items():
        client = Client()
        client.force_login(user)
        responses[name] = client.get(row_url(application, "advancement"), {"indicators-TOTAL_FORMS": "1"}, **HTMX)

    assert {name: response.status_code for name, response in responses.items()} == {
        "other group": 404,
        "recommender": 403,
        "group": 409,
    }
    assert text_of(responses["group"]) == (
        "This application is “Submitted”: it can be changed only while it is a draft or returned for revision."
    )


def test_row_endpoint_for_anonymous_is_sent_to_log_in(client, draft):
    url = row_url(draft, "advancement")

    response = client.get(url, {"indicators-TOTAL_FORMS": "1"}, **HTMX)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('login')}?next={url}%3Findicators-TOTAL_FORMS%3D1",
    )


# --- the table the script works on ------------------------------------------------------------------------
def test_edit_page_table_has_what_the_rows_script_needs(client, applicant, group):
    application = make_application(group=group, by=applicant, complete=True)
    client.force_login(applicant)

    response = client.get(edit_url(application, "advancement"), **ENGLISH)

    body = response.content.decode()
    [table] = re.findall(r'<table class="table formset-table"[^>]*>', body)
    assert re.findall(r' (data-[\w-]+)="([^"]*)"', table)[:3] == [
        ("data-prefix", "indicators"),
        ("data-max-rows", "100"),
        ("data-row-url", row_url(application, "advancement")),
    ]
    assert re.findall(r'<button type="button" class="btn" id="indicators-add"[^>]*>', body) == [
        f'<button type="button" class="btn" id="indicators-add" hx-get="{row_url(application, "advancement")}" '
        'hx-include="#id_indicators-TOTAL_FORMS" hx-target="#indicators-rows" hx-swap="beforeend">'
    ]
    # The saved row is removed on saving through its box; the two empty ones by the script's button.
    assert row_titles(response) == ["Row 1", "Row 2", "Row 3"]
    assert re.findall(r'name="(indicators-\d+-DELETE)"', body) == ["indicators-0-DELETE"]
    assert body.count("data-row-remove hidden") == 2
    [columns] = re.findall(r'<ol class="paste-columns"[^>]*>(.*?)</ol>', body, flags=re.S)
    assert re.findall(r"<li>(.*?)</li>", columns) == [
        "Indicator",
        "This group standard",
        "National or industry standard",
        "International standard",
    ]


def test_rows_added_by_the_endpoint_are_saved_with_the_table(client, applicant, draft):
    client.force_login(applicant)
    added = client.get(row_url(draft, "advancement"), {"indicators-TOTAL_FORMS": "2", "count": "2"}, **HTMX)
    names = [name for name in names_in(added) if name.endswith(("-indicator", "-this_standard"))]
    data = {
        "advancement": "关键指标严于行业标准。",
        "indicators-TOTAL_FORMS": "4",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-indicator": "热效率",
        "indicators-0-this_standard": "≥98%",
        **dict(zip(names, ["噪声", "≤45 dB", "寿命", "≥10 年"], strict=True)),
    }

    client.post(edit_url(draft, "advancement"), data, **ENGLISH)

    assert list(IndicatorComparison.objects.filter(application=draft).values_list("indicator", "position")) == [
        ("热效率", 0),
        ("噪声", 1),
        ("寿命", 2),
    ]


# --- a credit code as people paste it -------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "{a} {b} {c} {d}",  # as printed on a licence
        " {a}\u3000{b}\u3000{c}{d} ",  # full-width spaces
        "{a}-{b}{c}{d}",  # a dash is not a space: refused below
    ],
)
def test_implementation_takes_a_credit_code_typed_with_spaces(client, applicant, draft, typed):
    code = make_credit_code(4242, "91")
    client.force_login(applicant)
    data = {
        "implementation": "在省内推广实施。",
        "enterprises-TOTAL_FORMS": "1",
        "enterprises-INITIAL_FORMS": "0",
        "enterprises-0-name": "宁波示例电器有限公司",
        "enterprises-0-credit_code": typed.format(a=code[:4], b=code[4:8], c=code[8:12], d=code[12:]).lower(),
        "enterprises-0-province": "330200",
    }

    response = client.post(edit_url(draft, "implementation"), data, **ENGLISH)

    saved = list(ImplementingEnterprise.objects.filter(application=draft).values_list("credit_code", flat=True))
    if "-" in typed:
        assert (response.status_code, saved) == (400, [])
        assert list(response.context["formset"].errors[0]) == ["credit_code"]
    else:
        assert (response.status_code, saved) == (302, [code])


def test_implementation_refuses_a_credit_code_longer_than_18_once_spaces_are_removed(client, applicant, draft):
    client.force_login(applicant)
    data = {
        "enterprises-TOTAL_FORMS": "1",
        "enterprises-INITIAL_FORMS": "0",
        "enterprises-0-name": "宁波示例电器有限公司",
        "enterprises-0-credit_code": make_credit_code(4242, "91") + " 12",
        "enterprises-0-province": "330200",
    }

    response = client.post(edit_url(draft, "implementation"), data, **ENGLISH)

    assert response.status_code == 400
    assert response.context["formset"].errors[0]["credit_code"] == [
        "Ensure this value has at most 18 characters (it has 20)."
    ]
    assert ImplementingEnterprise.objects.filter(application=draft).count() == 0


def test_row_endpoint_after_withdrawal_is_a_conflict(client, applicant, draft):
    workflow.withdraw(draft, by=applicant, reason="不再申报。")
    client.force_login(applicant)

    response = client.get(row_url(draft, "advancement"), {"indicators-TOTAL_FORMS": "1"}, **HTMX)

    assert response.status_code == 409
    assert "<tr" not in response.content.decode()
