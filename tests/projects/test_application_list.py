"""The list of applications: each user sees what they may, with status, deadline and next action."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import workflow
from projects.models import DeadlineExtension
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("projects:application_list")
# user, roles (2), the count and the page's ids (rights joined in), the page's rows by id, memberships, the
# user's groups, the call filter, the unread notifications' count (navigation)
QUERIES = 10


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def group():
    return SocialGroupFactory(province="330000")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def department(group):
    return ProvincialDepartmentFactory(province=group.province)


@pytest.fixture
def call():
    return CallFactory()


def listed(response) -> list:
    return [row.application for row in response.context["rows"]]


def test_list_shows_the_groups_applications_only(client, applicant, group, call):
    own = make_application(call=call, group=group, by=applicant)
    make_application(call=call)
    client.force_login(applicant)

    response = client.get(LIST, **ENGLISH)

    assert listed(response) == [own]
    assert response.context["can_apply"] is True


def test_list_row_of_a_draft_shows_the_submission_deadline_and_next_action(client, applicant, group, call):
    make_application(call=call, group=group, by=applicant)
    client.force_login(applicant)

    response = client.get(LIST, **ENGLISH)

    row = response.context["rows"][0]
    assert (row.deadline.label, row.deadline.at, row.deadline.passed) == ("Submission deadline", call.deadline, False)
    assert row.next_action == "Complete every section and submit"
    page = response.content.decode()
    assert '<span class="badge badge-warning">Draft</span>' in page
    assert timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M") in page


def test_list_row_of_a_draft_uses_the_groups_extension(client, applicant, group, call):
    make_application(call=call, group=group, by=applicant)
    until = call.deadline + datetime.timedelta(days=5)
    DeadlineExtension.objects.create(
        call=call, organisation=group, until=until, reason="系统故障", granted_by=applicant
    )
    client.force_login(applicant)

    response = client.get(LIST, **ENGLISH)

    assert response.context["rows"][0].deadline.at == until


def test_list_row_of_a_submitted_application_waits_for_the_recommender(client, applicant, group, call, department):
    application = make_application(call=call, group=group, by=applicant, complete=True, recommender=department)
    workflow.submit(application, by=applicant)
    client.force_login(applicant)

    row = client.get(LIST, **ENGLISH).context["rows"][0]

    assert (row.deadline.label, row.deadline.at) == ("Recommendation deadline", call.recommendation_deadline)
    assert row.next_action == "Wait for the recommender's decision"


def test_list_for_a_recommender_holds_only_submitted_applications_naming_them(
    client, applicant, group, call, department
):
    submitted = make_application(call=call, group=group, by=applicant, complete=True, recommender=department)
    workflow.submit(submitted, by=applicant)
    make_application(call=call, group=group, by=applicant, complete=True, recommender=department)  # a draft
    other = make_application(call=call, complete=True)
    workflow.submit(other, by=other.created_by)
    client.force_login(member_of(department))

    response = client.get(LIST, **ENGLISH)

    assert listed(response) == [submitted]
    assert response.context["rows"][0].next_action == "Recommend, return or decline"
    assert response.context["can_apply"] is False


def test_list_for_the_secretariat_holds_every_application_submitted_once(client, call):
    first, second = (make_application(call=call, complete=True) for _ in range(2))
    for application in (first, second):
        workflow.submit(application, by=application.created_by)
    make_application(call=call)  # a draft: its group's own
    client.force_login(member_of(MinistryFactory()))

    response = client.get(LIST, **ENGLISH)

    assert sorted(application.pk for application in listed(response)) == [first.pk, second.pk]


def test_list_filters_by_call_and_status(client, applicant, group, call, department):
    later_call = CallFactory()
    in_later = make_application(call=later_call, group=group, by=applicant)
    submitted = make_application(call=call, group=group, by=applicant, complete=True, recommender=department)
    workflow.submit(submitted, by=applicant)
    client.force_login(applicant)

    by_call = client.get(LIST, {"call": later_call.pk}, **ENGLISH)
    by_status = client.get(LIST, {"status": "submitted"}, **ENGLISH)

    assert (listed(by_call), listed(by_status)) == ([in_later], [submitted])


def test_list_is_empty_for_an_expert_with_no_application(client):
    make_application()
    client.force_login(member_of(ProvincialDepartmentFactory()))

    response = client.get(LIST, **ENGLISH)

    assert listed(response) == []
    assert "No application to show." in response.content.decode()


@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request):
    """A group's staff member and `request.param` applications of the group, spread over four calls."""
    group = SocialGroupFactory()
    staff = member_of(group)
    profile = profile_of(group)
    calls = [CallFactory() for _ in range(4)]
    for index in range(request.param):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        make_application(call=calls[index % 4], group=group, standard=standard, by=staff)
    return staff, request.param


@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def submitted_rows(request):
    """`request.param` submitted applications of one group, spread over four calls, and a draft."""
    group = SocialGroupFactory()
    staff = member_of(group)
    profile = profile_of(group)
    calls = [CallFactory() for _ in range(4)]
    department = ProvincialDepartmentFactory(province=group.province)
    for index in range(request.param):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = make_application(
            call=calls[index % 4], group=group, standard=standard, by=staff, complete=True, recommender=department
        )
        workflow.submit(application, by=staff)
    make_application(call=calls[0], group=group, by=staff)
    return request.param


def test_list_of_the_secretariat_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, django_assert_num_queries, submitted_rows
):
    client.force_login(member_of(MinistryFactory()))
    client.get(LIST)  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(QUERIES):
        response = client.get(LIST)

    assert len(response.context["rows"]) == submitted_rows


def test_list_asks_the_same_number_of_queries_for_1_and_20_rows(client, django_assert_num_queries, rows):
    staff, count = rows
    client.force_login(staff)
    client.get(LIST)  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(QUERIES):
        response = client.get(LIST)

    assert len(response.context["rows"]) == count
