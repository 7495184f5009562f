"""Every signed-in page asks a fixed number of queries, at most 15, however many rows the database holds.

Each case renders its page with one row of everything, then again after twenty more (applications of the
applicant's group submitted to the department, ministry-managed ones awaiting the formal check, notifications,
audit events, registration requests, colleagues), and compares the counts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import members
from projects import workflow
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    admin_of,
    make_application,
    make_registration,
    member_of,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 15
MORE = 20

PAGES = [
    ("recommender", "/recommendations/?call={call}"),
    ("applicant", "/dashboard/"),
    ("recommender", "/dashboard/"),
    ("secretariat", "/dashboard/"),
    ("secretariat", "/applications/"),
    ("applicant", "/applications/"),
    ("recommender", "/applications/"),
    ("recommender", "/applications/{submitted}/"),
    ("applicant", "/applications/{submitted}/"),
    ("secretariat", "/applications/{submitted}/"),
    ("secretariat", "/calls/{call}/formal-check/"),
    ("secretariat", "/calls/{call}/recommenders/"),
    ("applicant", "/calls/{call}/summary/"),
    ("recommender", "/notifications/"),
    ("applicant", "/notifications/"),
    ("secretariat", "/audit/"),
    ("secretariat", "/organisations/"),
    ("secretariat", "/organisations/requests/"),
    ("applicant", "/organisation/"),
    ("applicant", "/account/"),
    ("applicant", "/applications/{draft}/submit/"),
    ("applicant", "/applications/{submitted}/receipt/1/"),
    ("secretariat", "/calls/{call}/preview/"),
]


class World:
    """One call, the applicant's group and its department, the secretariat; `grow(n)` adds n of each row."""

    def __init__(self) -> None:
        self.call = CallFactory(default_quota=3)
        self.group = SocialGroupFactory(province="330000")
        self.department = ProvincialDepartmentFactory(province="330000")
        self.users = {
            "applicant": admin_of(self.group),
            "recommender": member_of(self.department),
            "secretariat": member_of(MinistryFactory()),
        }
        self.made = 0
        self.submitted = self._submitted(self.group)
        self.draft = make_application(call=self.call, group=self.group, complete=True, recommender=self.department)
        self.grow(1)

    def _submitted(self, group):
        application = make_application(call=self.call, group=group, complete=True, recommender=self.department)
        return workflow.submit(application, by=application.created_by)

    def grow(self, n: int) -> None:
        for _ in range(n):
            self.made += 1
            self._submitted(self.group)
            self._submitted(SocialGroupFactory(ministry_managed=True))  # straight to the formal check
            make_registration(n=self.made)
            members.invite(
                organisation=self.group, email=f"colleague{self.made}@example.cn", by=self.users["applicant"]
            )
            member_of(self.group)

    def url(self, template: str) -> str:
        return template.format(call=self.call.pk, submitted=self.submitted.pk, draft=self.draft.pk)


def _queries(client, url: str) -> int:
    client.get(url)  # what a first request fills once (content types, the site's caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{role} {url}" for role, url in PAGES])
def test_signed_in_page_queries_do_not_grow_with_the_rows(client, role, url):
    world = World()
    client.force_login(world.users[role])
    url = world.url(url)
    few = _queries(client, url)

    world.grow(MORE)
    many = _queries(client, url)

    assert (few, many <= MAX_QUERIES) == (many, True), f"{url}: {few} queries with one row, {many} with {MORE} more"
