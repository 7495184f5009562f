"""The dashboard's next actions for recommenders and the secretariat: what waits for them, per call."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from projects import workflow
from projects.models import RecommenderExtension
from projects.selectors.dashboard import waiting_for_recommender, waiting_for_secretariat
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _submitted(call, department):
    return submitted_application(call=call, recommender=department)


def _direct(call):
    application = make_application(call=call, group=SocialGroupFactory(ministry_managed=True), complete=True)
    return workflow.submit(application, by=application.created_by)


def test_waiting_for_recommender_counts_undecided_per_call_with_the_extended_deadline():
    department, other = ProvincialDepartmentFactory(), ProvincialDepartmentFactory()
    call, later = CallFactory(), CallFactory()
    _submitted(call, department)
    _submitted(call, department)
    decided = _submitted(later, department)
    workflow.decline(decided, by=member_of(department), reason="不予推荐。")
    _submitted(later, other)
    until = call.recommendation_deadline + datetime.timedelta(days=3)
    RecommenderExtension.objects.create(
        call=call, recommender=department, until=until, reason="延期。", granted_by=member_of(MinistryFactory())
    )

    tasks = waiting_for_recommender([department])

    assert [(t.call, t.organisation, t.undecided, t.deadline) for t in tasks] == [(call, department, 2, until)]


def test_waiting_for_secretariat_counts_formal_checks_and_undecided_per_call():
    department = ProvincialDepartmentFactory()
    call, quiet = CallFactory(), CallFactory()
    _direct(call)
    _submitted(call, department)
    make_application(call=quiet)  # a draft is nobody's work but its group's

    tasks = waiting_for_secretariat()

    assert [(t.call, t.to_check, t.undecided) for t in tasks] == [(call, 1, 1)]


@pytest.mark.parametrize("calls", [1, 5])
def test_recommender_dashboard_links_each_calls_undecided_in_constant_queries(client, django_assert_num_queries, calls):
    department = ProvincialDepartmentFactory()
    made = [CallFactory() for _ in range(calls)]
    for call in made:
        _submitted(call, department)
    client.force_login(member_of(department))

    # the dashboard (6, and the questions about objections forwarded: issue 13), the undecided counts, their calls,
    # extensions
    with django_assert_num_queries(10):
        response = client.get(reverse("portal:dashboard"))

    content = response.content.decode()
    inbox = reverse("projects:recommendation_inbox")
    assert [f"{inbox}?call={call.pk}&amp;status=submitted" in content for call in made] == [True] * calls
    assert content.count("1 application in") == calls


@pytest.mark.parametrize("calls", [1, 5])
def test_secretariat_dashboard_links_the_formal_check_in_constant_queries(client, django_assert_num_queries, calls):
    made = [CallFactory() for _ in range(calls)]
    for call in made:
        _direct(call)
    client.force_login(member_of(MinistryFactory()))

    # the dashboard (7, with the registration requests pending, and the notice stage's three: issue 13), the calls
    with django_assert_num_queries(12):
        response = client.get(reverse("portal:dashboard"))

    content = response.content.decode()
    links = [reverse("projects:formal_check", kwargs={"pk": call.pk}) in content for call in made]
    # Issue 10: the count says how many the check may take now (a direct application: at once).
    assert (links, content.count("Formal check: 1 ready to check</a>")) == ([True] * calls, calls)


def test_recommender_dashboard_without_work_says_so(client):
    client.force_login(member_of(ProvincialDepartmentFactory()))

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert "No application awaits your decision." in content
