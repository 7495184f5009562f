"""The public statistics page (/statistics/) and its CSV files: the register's counts per year, province, industry
field, type and social group; the same numbers in each chart's JSON, table and file; a fixed number of queries;
the shared cache for anonymous visitors, dropped when the register changes."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from portal.choices import Province
from publicity.models import AnnouncedProject, Announcement
from publicity.services import register
from tests.factories import CallFactory, MinistryFactory, member_of
from tests.publicity.register_factories import imported_announcement, imported_row, next_number

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:statistics")


def _import(rows, *, year):
    register.record_imported(number=next_number(year), year=year, rows=rows, by=None, source="tests")


@pytest.fixture
def two_years():
    """2018: one project; 2019: two. Beijing twice, Jiangsu once; a group with two projects; types overlapping."""
    _import(
        [
            imported_row(
                1,
                year=2018,
                province=Province.BEIJING,
                industry_field="consumer_goods",
                innovative=True,
                advanced=True,
                group_name="中国标准化协会",
            )
        ],
        year=2018,
    )
    _import(
        [
            imported_row(
                1, province=Province.JIANGSU, industry_field="electronics", advanced=True, group_name="甲协会"
            ),
            imported_row(2, province=Province.BEIJING, international=True, group_name="中国标准化协会"),
        ],
        year=2019,
    )


def chart_data(html: str, slug: str) -> dict:
    found = re.search(rf'<script id="chart-{slug}-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no data of the {slug} chart"
    return json.loads(found.group(1))


def table_rows(html: str, slug: str) -> list[tuple[str, int]]:
    table = re.search(rf'<table class="table" id="chart-{slug}-table".*?</table>', html, re.S).group(0)
    cells = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(\d+)</td></tr>', table)
    return [(label, int(count)) for label, count in cells]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    assert text.startswith("\ufeff")  # the byte-order mark that tells Excel the file is UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


EXPECTED = {
    "years": [("2018", 1), ("2019", 2)],
    "provinces": [("Beijing", 2), ("Jiangsu", 1)],
    "fields": [("Consumer goods", 1), ("Electronic information", 1), ("Not given", 1)],
    "types": [("Innovative (创新性)", 1), ("Advanced (先进性)", 2), ("International (国际性)", 1)],
    "groups": [("中国标准化协会", 2), ("甲协会", 1)],
}


def test_statistics_count_the_register_per_year_province_field_type_and_group(client, two_years):
    html = client.get(PAGE).content.decode()

    assert "3 demonstration projects have been announced so far." in html
    assert {slug: table_rows(html, slug) for slug in EXPECTED} == EXPECTED


def test_each_charts_data_is_its_tables_rows(client, two_years):
    html = client.get(PAGE).content.decode()

    for slug, rows in EXPECTED.items():
        data = chart_data(html, slug)
        assert list(zip(data["labels"], data["values"], strict=True)) == rows
        assert data["series"] == "Projects"
    assert chart_data(html, "provinces")["kind"] == "hbar"


def test_statistics_page_loads_echarts_and_its_script_from_the_portal(client, two_years):
    html = client.get(PAGE).content.decode()

    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in html
    assert '<script src="/static/js/statistics.js" defer></script>' in html
    # No inline script or style: the only <script> elements with content are JSON data.
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html) == []
    assert " style=" not in html


def test_an_unpublished_announcements_projects_are_not_counted(client, two_years):
    draft = Announcement.objects.create(year=2020, number=next_number(2020), title="草稿")
    AnnouncedProject.objects.create(
        announcement=draft, position=1, year=2020, name="未公布", standard_number="T/X 1—2020", group_name="乙"
    )

    html = client.get(PAGE).content.decode()

    assert table_rows(html, "years") == EXPECTED["years"]


def test_top_groups_are_the_ten_with_the_most_projects(client):
    rows = [imported_row(n, group_name=f"协会{n:02d}") for n in range(1, 13)]
    more = [(13, "协会12"), (14, "协会12"), (15, "协会05")]
    rows += [imported_row(position, group_name=name) for position, name in more]
    _import(rows, year=2019)

    html = client.get(PAGE).content.decode()

    groups = table_rows(html, "groups")
    assert groups[:2] == [("协会12", 3), ("协会05", 2)]
    assert len(groups) == 10
    # Ties by name: the first eight of the groups with one project each.
    assert [name for name, _count in groups[2:]] == [f"协会{n:02d}" for n in (1, 2, 3, 4, 6, 7, 8, 9)]


def test_an_empty_register_says_so_without_charts(client):
    html = client.get(PAGE).content.decode()

    assert "0 demonstration projects have been announced so far." in html
    assert html.count("No project has been announced yet.") == 5
    assert 'type="application/json"' not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_statistics_query_count_does_not_grow_with_the_register(client, django_assert_num_queries, rows):
    imported_announcement(count=rows)

    # The types with the total, then per year, province, field and group: GROUP BY, one query each.
    with django_assert_num_queries(5):
        response = client.get(PAGE)

    assert f"{rows} demonstration project" in response.content.decode()


def test_anonymous_visitors_get_the_cached_page_until_the_register_changes(client, django_assert_num_queries):
    imported_announcement(count=2)
    client.get(PAGE)

    with django_assert_num_queries(0):
        cached = client.get(PAGE)
    imported_announcement(count=3, year=2020)
    fresh = client.get(PAGE)

    assert "2 demonstration projects" in cached.content.decode()
    assert "5 demonstration projects" in fresh.content.decode()


def test_the_secretariat_finds_each_calls_statistics(client):
    secretariat = member_of(MinistryFactory())
    call = CallFactory()
    client.force_login(secretariat)

    html = client.get(PAGE).content.decode()

    assert f'href="{reverse("reports:call_statistics", kwargs={"pk": call.pk})}"' in html
    assert "For the secretariat: each call in numbers" in html


def test_anonymous_visitors_see_no_calls_statistics(client):
    CallFactory()

    html = client.get(PAGE).content.decode()

    assert "/statistics/calls/" not in html


@pytest.mark.parametrize("query", ["year=99999999999999999999", "page=NaN", "q=%00", "province=" + "x" * 5000])
def test_unknown_query_parameters_are_ignored(client, two_years, query):
    response = client.get(f"{PAGE}?{query}")

    assert response.status_code == 200
    assert table_rows(response.content.decode(), "years") == EXPECTED["years"]


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_each_charts_csv_holds_its_table(client, two_years, slug):
    response = client.get(reverse("reports:statistics_csv", kwargs={"slug": slug}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="statistics-{slug}.csv"'
    header, *rows = csv_rows(response)
    assert header[1] == "Projects"
    assert [(label, int(count)) for label, count in rows] == EXPECTED[slug]


def test_the_province_csv_names_its_columns(client, two_years):
    response = client.get(reverse("reports:statistics_csv", kwargs={"slug": "provinces"}))

    assert csv_rows(response)[0] == ["Province", "Projects"]


def test_a_group_name_excel_would_run_as_a_formula_is_written_as_text(client):
    _import([imported_row(1, group_name="=HYPERLINK(1)")], year=2019)

    response = client.get(reverse("reports:statistics_csv", kwargs={"slug": "groups"}))

    assert csv_rows(response)[1] == ["'=HYPERLINK(1)", "1"]


def test_an_unknown_chart_has_no_csv(client):
    response = client.get("/statistics/nothing.csv")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_the_csv_is_cached_for_anonymous_visitors_too(client, django_assert_num_queries):
    imported_announcement(count=1)
    url = reverse("reports:statistics_csv", kwargs={"slug": "years"})
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert csv_rows(response)[1] == ["2019", "1"]
