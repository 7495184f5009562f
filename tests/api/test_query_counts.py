"""Every list of the API asks the database the same number of questions for 1 row and for 20; each detail a
fixed number, whatever it holds."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AdoptionFactory, EvaluationFactory, GroupProfileFactory, GroupStandardFactory
from tests.publicity.factories import open_notice
from tests.publicity.register_factories import imported_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.API_ANON_RATE = "100000/min"


def _queries(api, url: str) -> int:
    cache.clear()  # an answer kept from an earlier request of the test would ask nothing
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


# Each list's rows, n more at a time; and what a page of it asks: the count, the page, and any prefetch.
LISTS = {
    "api:project-list": (lambda n: imported_announcement(count=n), 2),
    "api:announcement-list": (lambda n: [imported_announcement(count=2) for _ in range(n)], 3),
    "api:standard-list": (lambda n: [GroupStandardFactory(co_issuers=[GroupProfileFactory()]) for _ in range(n)], 2),
    "api:group-list": (lambda n: [GroupStandardFactory().issuer for _ in range(n)], 2),
    "api:notice-list": (lambda n: [open_notice(count=1) for _ in range(n)], 3),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_asks_as_much_for_20_rows_as_for_1(api, django_assert_num_queries, name):
    url, (add, queries) = reverse(name), LISTS[name]
    add(1)
    with django_assert_num_queries(queries):
        one = api.get(url).json()["count"]

    add(19)
    cache.clear()  # the factories write rows directly, not through the services that move the topics
    with django_assert_num_queries(queries):
        twenty = len(api.get(url).json()["results"])

    assert (one, twenty) == (1, 20)


def test_a_project_is_one_query(api):
    project = imported_announcement(count=3).projects.first()

    assert _queries(api, reverse("api:project-detail", kwargs={"id": project.pk})) == 1


def test_a_standard_asks_the_same_whatever_it_holds(api):
    bare = GroupStandardFactory()
    full = GroupStandardFactory(co_issuers=[GroupProfileFactory(), GroupProfileFactory()])
    for _ in range(3):
        AdoptionFactory(standard=full)
        EvaluationFactory(standard=full)

    counts = [_queries(api, reverse("api:standard-detail", kwargs={"id": s.pk})) for s in (bare, full)]

    assert counts == [6, 6]


def test_a_group_asks_the_same_whatever_it_holds(api):
    bare = GroupProfileFactory()
    full = GroupStandardFactory().issuer
    for _ in range(3):
        GroupStandardFactory(issuer=full)

    counts = [_queries(api, reverse("api:group-detail", kwargs={"id": g.pk})) for g in (bare, full)]

    assert counts == [3, 3]


def test_a_notice_and_an_announcement_ask_a_fixed_number(api):
    notice = open_notice(count=3)
    announcement = imported_announcement(count=5)

    counts = (
        _queries(api, reverse("api:notice-detail", kwargs={"id": notice.pk})),
        _queries(api, reverse("api:announcement-detail", kwargs={"id": announcement.pk})),
    )

    assert counts == (3, 4)
