"""What each resource of the API says: the public pages' rows for the same query, and what each object shows."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from publicity import lists
from publicity.models import Notice
from tests.api.conftest import ids, message, results
from tests.factories import MinistryFactory, member_of


def _page_ids(url: str, query: dict) -> list[int]:
    return [row.pk for row in Client().get(url, query).context["page_obj"]]


def _first_project(world):
    return world.announcement.projects.order_by("position").first()


PROJECT_QUERIES = {
    "nothing": lambda w: {},
    "a standard number typed otherwise": lambda w: {"q": _first_project(w).standard_number.replace("—", "-")},
    "words of a title": lambda w: {"q": _first_project(w).standard_title[-4:]},
    "sorted by number": lambda w: {"sort": "number"},
    "sorted by group": lambda w: {"sort": "group"},
    "a province": lambda w: {"province": _first_project(w).province},
    "a type": lambda w: {"type": "innovative"},
    "a year": lambda w: {"year": _first_project(w).year},
    "a recommender": lambda w: {"recommender": _first_project(w).recommender_name[:4]},
}


@pytest.mark.parametrize("query", list(PROJECT_QUERIES))
def test_projects_list_the_register_pages_rows_for_the_same_query(world, api, query):
    params = PROJECT_QUERIES[query](world)

    response = api.get(reverse("api:project-list"), {**params, "page_size": 100})

    assert (response.status_code, ids(response)) == (200, _page_ids(reverse("publicity:project_list"), params))


def test_projects_list_finds_a_project_by_its_standard_number(world, api):
    project = _first_project(world)

    response = api.get(reverse("api:project-list"), {"q": project.standard_number})

    assert ids(response) == [project.pk]


STANDARD_QUERIES = {
    "nothing": lambda w: {},
    "its number": lambda w: {"q": w.standard.display_number},
    "its group's code": lambda w: {"group": w.group.code},
    "a status": lambda w: {"status": "current"},
    "a year": lambda w: {"year": 2020},
    "an ICS prefix": lambda w: {"ics": "59.080"},
    "a type": lambda w: {"type": "innovative"},
}


@pytest.mark.parametrize("query", list(STANDARD_QUERIES))
def test_standards_list_the_registry_pages_rows_for_the_same_query(world, api, query):
    params = STANDARD_QUERIES[query](world)

    response = api.get(reverse("api:standard-list"), {**params, "page_size": 20})

    assert (response.status_code, ids(response)) == (200, _page_ids(reverse("standards:standard_list"), params))


@pytest.mark.parametrize("params", [{}, {"type": "association"}, {"q": "示例协会1"}])
def test_groups_list_the_group_pages_rows_for_the_same_query(world, api, params):
    response = api.get(reverse("api:group-list"), params)

    assert (response.status_code, ids(response)) == (200, _page_ids(reverse("standards:group_list"), params))


def test_notices_list_what_publicity_lists_open_ones_first_and_never_a_draft_or_scheduled_one(world, api):
    response = api.get(reverse("api:notice-list"))

    assert ids(response) == _page_ids(reverse("publicity:notice_list"), {})
    assert {item["status"] for item in results(response)} == {"open", "closed"}
    assert results(response)[0]["id"] == world.open_notice.pk
    assert not {world.scheduled_notice.pk, world.draft_notice.pk} & set(ids(response))


def test_notices_filter_by_status(world, api):
    response = api.get(reverse("api:notice-list"), {"status": "open"})

    assert ids(response) == [world.open_notice.pk]


def test_notice_detail_gives_its_list_and_the_hash_of_the_download(world, api):
    notice = world.open_notice

    body = api.get(reverse("api:notice-detail", kwargs={"id": notice.pk})).json()

    published = lists.current(notice)
    [version] = body["versions"]
    download = api.get(version["download_url"].removeprefix("http://testserver"))
    assert (version["version"], version["sha256"]) == (1, published.sha256)
    assert hashlib.sha256(download.content).hexdigest() == version["sha256"]
    assert body["projects"] == lists.document(published)["projects"]
    assert (body["title"], body["body"], body["status"], body["project_count"]) == (
        notice.title,
        notice.body,
        "open",
        2,
    )


def test_draft_and_scheduled_notices_are_not_found(world, api):
    answers = [
        api.get(reverse("api:notice-detail", kwargs={"id": notice.pk}))
        for notice in (world.draft_notice, world.scheduled_notice)
    ]

    expected = {"detail": message("Nothing public has this address: check the id.")}
    assert [(answer.status_code, answer.json()) for answer in answers] == [(404, expected)] * 2


def test_announcements_list_only_published_ones(world, api):
    response = api.get(reverse("api:announcement-list"))

    assert ids(response) == [world.announcement.pk]
    assert api.get(reverse("api:announcement-detail", kwargs={"id": world.draft_announcement.pk})).status_code == 404


def test_announcement_detail_links_each_listed_project_to_the_register(world, api):
    announcement = world.announcement

    body = api.get(reverse("api:announcement-detail", kwargs={"id": announcement.pk})).json()

    register = dict(announcement.projects.values_list("position", "pk"))
    assert [(entry["number"], entry["project"]) for entry in body["projects"]] == sorted(register.items())
    assert (body["number"], body["project_count"], body["versions"][0]["sha256"]) == (
        announcement.number,
        2,
        lists.current(announcement).sha256,
    )


def test_project_detail_gives_its_standard_group_recommender_year_and_announcement(world, api):
    project = _first_project(world)

    body = api.get(reverse("api:project-detail", kwargs={"id": project.pk})).json()

    assert body == {
        "id": project.pk,
        "name": project.name,
        "year": project.year,
        "position": 1,
        "types": [str(kind) for kind in project.claimed_types],
        "standard": {"id": project.standard_id, "number": project.standard_number, "title": project.standard_title},
        "group": {"id": project.group.standards_profile.pk, "name": project.group_name},
        "recommender": project.recommender_name,
        "province": project.province,
        "province_label": project.get_province_display(),
        "industry_field": project.industry_field,
        "industry_field_label": project.get_industry_field_display(),
        "announcement": {"id": world.announcement.pk, "number": world.announcement.number},
        "url": f"http://testserver{project.get_absolute_url()}",
    }


def test_standard_detail_gives_its_records_and_no_private_note_or_file(world, api):
    standard = world.standard

    body = api.get(reverse("api:standard-detail", kwargs={"id": standard.pk})).json()

    [adoption] = body["adoptions"]
    [evaluation] = body["evaluations"]
    assert (body["number"], body["scope"], body["drafters"], body["full_text_url"]) == (
        standard.display_number,
        "适用于示例产品。",
        "张三、李四",
        None,
    )
    assert "note" not in adoption
    assert [rating["criterion"] for rating in evaluation["ratings"]] == [
        "legality",
        "compliance",
        "advancement",
        "internationality",
        "influence",
    ]
    assert evaluation["report_url"].endswith(
        f"/standards/{standard.pk}/evaluations/{standard.evaluations.get().pk}/report/"
    )


def test_standard_detail_lists_its_demonstration_projects(world, api):
    project = _first_project(world)

    body = api.get(reverse("api:standard-detail", kwargs={"id": project.standard_id})).json()

    assert body["projects"] == [{"id": project.pk, "name": project.name, "year": project.year}]


def test_group_detail_gives_its_record_documents_and_standards_link(world, api):
    body = api.get(reverse("api:group-detail", kwargs={"id": world.group.pk})).json()

    standards = api.get(body["standards_url"].removeprefix("http://testserver"))
    assert [document["kind"] for document in body["documents"]] == ["procedure"]
    assert (body["code"], body["standard_count"], ids(standards)) == (world.group.code, 1, [world.standard.pk])


def test_the_secretariat_signed_in_reads_what_the_public_reads(world, api):
    staff = Client()
    staff.force_login(member_of(MinistryFactory()))

    for name in ("api:notice-list", "api:announcement-list"):
        assert staff.get(reverse(name)).json() == api.get(reverse(name)).json()
    draft = reverse("api:notice-detail", kwargs={"id": world.draft_notice.pk})
    assert staff.get(draft).status_code == 404
    assert Notice.objects.filter(pk=world.draft_notice.pk).exists()


def test_labels_follow_the_requests_language(world, api):
    project = _first_project(world)
    url = reverse("api:project-detail", kwargs={"id": project.pk})

    chinese, english = api.get(url).json(), api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (chinese["industry_field"], chinese["industry_field_label"]) == ("electronics", "电子信息")
    assert (english["industry_field"], english["industry_field_label"]) == ("electronics", "Electronic information")


def test_the_api_is_read_only(world, api):
    response = api.post(reverse("api:project-list"), {"name": "x"})

    assert (response.status_code, set(response.json())) == (405, {"detail"})
