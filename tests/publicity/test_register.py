"""The public register (/projects/): search by number and text, filters, sort, pagination, CSV export, a project."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from portal.choices import Province
from publicity.models import AnnouncedProject
from publicity.services import register
from tests.factories import GroupProfileFactory, GroupStandardFactory, SocialGroupFactory
from tests.publicity.register_factories import imported_announcement, imported_row, next_number, published_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


LIST = reverse("publicity:project_list")


def _import(rows, *, year=2019, number=""):
    number = number or next_number(year)
    register.record_imported(number=number, year=year, rows=rows, by=None, source="tests")
    return number


def _names(response) -> list[str]:
    return [project.name for project in response.context["page_obj"]]


@pytest.fixture
def three_years():
    """Three lists: 2018 (one project), 2019 (two), 2021 (one), with distinct fields, provinces and types."""
    _import(
        [imported_row(1, year=2018, name="甲", standard_number="T/CAS 115-2018", province=Province.BEIJING)],
        year=2018,
    )
    _import(
        [
            imported_row(
                1, name="乙", standard_number="T/CNTAC 8—2018", industry_field="consumer_goods", advanced=True
            ),
            imported_row(
                2,
                name="丙",
                standard_number="T/CPIA 28.2—2024",
                group_name="中国光伏行业协会",
                recommender_name="江苏省工业和信息化厅",
                province=Province.JIANGSU,
            ),
        ]
    )
    _import([imported_row(1, year=2021, name="丁", standard_number="T/ZZB 2101001—2021", innovative=True)], year=2021)


@pytest.mark.parametrize(
    "typed",
    [
        "T/CAS 115—2018",
        "T/CAS 115-2018",
        "t/cas 115—2018",
        "Ｔ／ＣＡＳ　１１５－２０１８",
        "T/CAS115——2018",
        "T/CAS 0115-2018",
    ],
)
def test_a_whole_number_in_any_written_form_finds_exactly_that_project(client, three_years, typed):
    response = client.get(LIST, {"q": typed})

    assert (response.status_code, _names(response)) == (200, ["甲"])


def test_a_fragment_of_a_number_searches_the_text_in_canonical_characters(client, three_years):
    # Lower case and a hyphen: the stored text has the number in upper case with its em dash.
    response = client.get(LIST, {"q": "t/cntac 8-"})

    assert _names(response) == ["乙"]


@pytest.mark.parametrize(("typed", "found"), [("光伏", ["丙"]), ("江苏省工业", ["丙"]), ("丁", ["丁"]), ("%", [])])
def test_text_search_finds_group_recommender_and_name(client, three_years, typed, found):
    assert _names(client.get(LIST, {"q": typed})) == found


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"year": "2019"}, ["乙", "丙"]),
        ({"industry_field": "consumer_goods"}, ["乙"]),
        ({"province": Province.JIANGSU}, ["丙"]),
        ({"recommender": "江苏"}, ["丙"]),
        ({"type": "innovative"}, ["丁"]),
        ({"type": "advanced", "year": "2019"}, ["乙"]),
        ({"year": "99999999999999999999"}, ["丁", "乙", "丙", "甲"]),  # out of range: the filter is left out
    ],
)
def test_filters_narrow_the_register(client, three_years, params, found):
    response = client.get(LIST, params)

    assert (response.status_code, _names(response)) == (200, found)


@pytest.mark.parametrize(
    ("sort", "found"),
    [
        ("", ["丁", "乙", "丙", "甲"]),  # newest year first, each list in its order
        ("year", ["丁", "乙", "丙", "甲"]),
        ("number", ["甲", "乙", "丙", "丁"]),  # T/CAS, T/CNTAC, T/CPIA, T/ZZB
        ("group", ["丙", "丁", "乙", "甲"]),  # 中国光伏… before 中国标准化…, then by year
    ],
)
def test_sort(client, three_years, sort, found):
    assert _names(client.get(LIST, {"sort": sort} if sort else {})) == found


def test_the_register_is_paginated_by_fifty(client):
    imported_announcement(count=51)

    first, second = client.get(LIST), client.get(LIST, {"page": "2"})

    assert (len(first.context["page_obj"]), len(second.context["page_obj"])) == (50, 1)
    assert first.context["page_obj"].paginator.count == 51


def test_csv_export_holds_the_filtered_list_with_formulas_defused(client, three_years):
    _import([imported_row(1, year=2017, name="=HYPERLINK(1)", group_name="@group")], year=2017)

    response = client.get(reverse("publicity:project_export"), {"year": "2017"})
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))

    assert (response["Content-Type"], len(rows)) == ("text/csv; charset=utf-8", 2)
    assert (rows[1][0], rows[1][3], rows[1][6]) == ("2017", "'=HYPERLINK(1)", "'@group")


def test_csv_export_follows_the_search(client, three_years):
    response = client.get(reverse("publicity:project_export"), {"q": "t/cpia 28.2-2024"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().removeprefix("\ufeff"))))

    assert [row[3] for row in rows[1:]] == ["丙"]


@pytest.mark.parametrize("rows", [1, 50])
def test_register_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    imported_announcement(count=rows)

    # The count and the page of projects with their announcements' numbers (every filter is typed or fixed).
    with django_assert_num_queries(2):
        response = client.get(LIST)

    assert len(response.context["page_obj"]) == rows


def test_project_page_links_the_registry_and_the_announcement(client):
    announcement = published_announcement(count=1)
    project = announcement.projects.get()

    content = client.get(project.get_absolute_url()).content.decode()

    assert project.standard.get_absolute_url() in content
    assert project.group.standards_profile.get_absolute_url() in content
    assert announcement.get_absolute_url() in content
    assert (project.year, project.recommender_name) == (announcement.year, project.recommender.name)
    assert project.recommender_name in content


def test_project_page_of_an_imported_project_links_what_the_registry_knows(client):
    group = SocialGroupFactory(code="CAS", name="中国标准化协会")
    standard = GroupStandardFactory(issuer=GroupProfileFactory(organisation=group), number_as_typed="T/CAS 101—2018")
    announcement = imported_announcement(count=1)
    AnnouncedProject.objects.filter(announcement=announcement).update(standard=standard, group=group)
    project = announcement.projects.get()

    content = client.get(project.get_absolute_url()).content.decode()

    assert (standard.get_absolute_url() in content, group.standards_profile.get_absolute_url() in content) == (
        True,
        True,
    )


def test_a_project_that_does_not_exist_is_the_portals_404(client):
    response = client.get(reverse("publicity:project_detail", kwargs={"pk": 2**62}))

    assert (response.status_code, "404.html" in [t.name for t in response.templates]) == (404, True)


def test_anonymous_visitors_see_a_new_announcement_at_once(client):
    imported_announcement(count=1)
    before = _names(client.get(LIST))
    assert client.get(LIST).context is None  # the second visit is the cached page

    published_announcement(count=2)
    after = client.get(LIST)

    assert (len(before), len(after.context["page_obj"])) == (1, 3)
