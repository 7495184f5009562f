"""ETag and Last-Modified: a client polling with them gets a 304 that asks the database nothing, until what
the endpoint shows changes through a service, which changes the ETag at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from publicity.services import announcements
from tests.factories import GroupStandardFactory

ENDPOINTS = {
    "projects": lambda w: reverse("api:project-list"),
    "a project": lambda w: reverse("api:project-detail", kwargs={"id": w.announcement.projects.first().pk}),
    "notices": lambda w: reverse("api:notice-list"),
    "a notice": lambda w: reverse("api:notice-detail", kwargs={"id": w.open_notice.pk}),
    "announcements": lambda w: reverse("api:announcement-list"),
    "standards": lambda w: reverse("api:standard-list") + "?q=T",
    "a standard": lambda w: reverse("api:standard-detail", kwargs={"id": w.standard.pk}),
    "groups": lambda w: reverse("api:group-list"),
    "a group": lambda w: reverse("api:group-detail", kwargs={"id": w.group.pk}),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_a_current_etag_gets_a_304_without_a_query(world, api, django_assert_num_queries, endpoint):
    url = ENDPOINTS[endpoint](world)
    first = api.get(url)

    with django_assert_num_queries(0):
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_an_answer_is_served_again_from_the_cache_without_a_query(world, api, django_assert_num_queries, endpoint):
    url = ENDPOINTS[endpoint](world)
    first = api.get(url)

    with django_assert_num_queries(0):
        again = api.get(url)

    assert (again.status_code, again.content, again["ETag"]) == (200, first.content, first["ETag"])
    assert again["Content-Type"] == first["Content-Type"] == "application/json"


def test_a_kept_answer_is_not_served_once_its_topic_moved(world, api):
    url = reverse("api:project-list")
    first = api.get(url).json()
    draft = world.draft_announcement

    announcements.publish_announcement(draft, by=draft.call.notice.created_by)

    assert api.get(url).json()["count"] == first["count"] + 1


def test_a_kept_answer_is_in_the_language_asked_for(world, api):
    url = reverse("api:project-list")
    chinese = api.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert chinese["ETag"] != english["ETag"]
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"


@pytest.mark.parametrize("endpoint", ["projects", "a standard"])
def test_if_modified_since_gets_a_304_from_last_modified_and_a_200_before_it(world, api, endpoint):
    url = ENDPOINTS[endpoint](world)
    first = api.get(url)
    last_modified = parse_http_date(first["Last-Modified"])

    current = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    older = api.get(url, HTTP_IF_MODIFIED_SINCE=http_date(last_modified - 60))

    assert (current.status_code, older.status_code, older.json()) == (304, 200, first.json())


def test_if_none_match_wins_over_if_modified_since(world, api):
    url = ENDPOINTS["projects"](world)
    first = api.get(url)

    response = api.get(url, HTTP_IF_NONE_MATCH='W/"stale"', HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert response.status_code == 200


def test_last_modified_is_when_the_topic_last_moved(world, api):
    before = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)

    response = api.get(ENDPOINTS["projects"](world))

    # The cache was emptied for the test: the topic starts now (rounded up to the second).
    modified = datetime.datetime.fromtimestamp(parse_http_date(response["Last-Modified"]), tz=datetime.UTC)
    assert before <= modified <= before + datetime.timedelta(seconds=2)


def test_the_etag_depends_on_the_query_and_the_language(world, api):
    url = reverse("api:standard-list")

    tags = {
        api.get(url)["ETag"],
        api.get(url, {"q": "T"})["ETag"],
        api.get(url, HTTP_ACCEPT_LANGUAGE="en")["ETag"],
    }

    assert len(tags) == 3
    assert api.get(url)["ETag"] in tags


def test_publishing_an_announcement_changes_the_registers_etag_at_once(world, api):
    url = reverse("api:project-list")
    first = api.get(url)
    draft = world.draft_announcement

    announcements.publish_announcement(draft, by=draft.call.notice.created_by)

    response = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert response.json()["count"] == first.json()["count"] + 1
    assert api.get(reverse("api:announcement-detail", kwargs={"id": draft.pk})).status_code == 200


def test_adding_a_standard_changes_the_registrys_etag_and_not_the_registers(world, api):
    standards, projects = reverse("api:standard-list"), reverse("api:project-list")
    before = {url: api.get(url)["ETag"] for url in (standards, projects)}

    added = GroupStandardFactory(issuer=world.group)

    response = api.get(standards, HTTP_IF_NONE_MATCH=before[standards])
    assert (response.status_code, response["ETag"] != before[standards]) == (200, True)
    assert added.pk in [item["id"] for item in api.get(standards, {"page_size": 100}).json()["results"]]
    assert api.get(projects, HTTP_IF_NONE_MATCH=before[projects]).status_code == 304


def test_a_head_request_gets_the_same_validators_and_304(world, api):
    url = ENDPOINTS["a notice"](world)
    first = api.get(url)

    head = api.head(url)
    again = api.head(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (head.status_code, head["ETag"], head.content) == (200, first["ETag"], b"")
    assert again.status_code == 304


def test_a_refusal_carries_no_etag(world, api):
    response = api.get(reverse("api:project-detail", kwargs={"id": "99999999999999999999"}))

    assert (response.status_code, response.has_header("ETag")) == (404, False)
