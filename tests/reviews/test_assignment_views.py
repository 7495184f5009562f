"""The assignment pages: the call's list and its proposal (inline and by task), an application's experts (by hand,
unassigning, the replacement), the expert's decline page; who reaches them, and their queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reviews.models import Assignment, AssignmentStatus, ReviewSettings
from reviews.services import assignments as services
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def _expert(*fields, **kwargs):
    expert = ExpertFactory(**kwargs)
    for field in fields:
        expert.expertise.create(field=field)
    return expert


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _application_page(application) -> str:
    return reverse("projects:application_detail", kwargs={"pk": application.pk})


def test_propose_then_confirm_grants_the_experts_the_application(staff, django_capture_on_commit_callbacks):
    applications = admitted_applications(count=2)
    call = applications[0].call
    ReviewSettings.objects.create(call=call, reviews_per_application=2)
    experts = [_expert("electronics", user__name=f"专家{n}") for n in range(3)]
    assert _as(experts[0].user).get(_application_page(applications[0])).status_code == 404

    response = staff.post(reverse("reviews:assignment_list", kwargs={"pk": call.pk}), {"draw": "on", "seed": "42"})
    assert response.status_code == 302
    page = staff.get(response["Location"])
    assert page.status_code == 200
    assert "seed 42" in page.content.decode()
    assert page.content.decode().count('class="proposal-expert"') == 4
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = staff.post(response["Location"])

    assert confirmed.status_code == 302
    assert Assignment.objects.filter(application__call=call, status=AssignmentStatus.ACTIVE, seed=42).count() == 4
    assigned = Assignment.objects.select_related("expert__user", "application").first()
    assert _as(assigned.expert.user).get(_application_page(assigned.application)).status_code == 200
    listing = staff.get(reverse("reviews:assignment_list", kwargs={"pk": call.pk})).content.decode()
    assert listing.count('class="assignment-expert"') == 4


def test_an_infeasible_proposal_is_shown_with_its_reasons_never_a_500(staff):
    application = admitted_applications()[0]
    _expert("electronics")

    response = staff.post(reverse("reviews:assignment_list", kwargs={"pk": application.call_id}), {}, follow=True)

    assert response.status_code == 409
    assert (
        f"{application.standard.display_number} (electronics): only 1 expert in that field is free of conflicts; "
        "5 are needed"
    ) in response.content.decode()


def test_a_large_call_is_proposed_by_a_task_while_the_page_polls(staff, settings, django_capture_on_commit_callbacks):
    settings.ASSIGN_INLINE_LIMIT = 0
    application = admitted_applications()[0]
    ReviewSettings.objects.create(call=application.call, reviews_per_application=1)
    _expert("electronics", user__name="专家甲")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff.post(reverse("reviews:assignment_list", kwargs={"pk": application.call_id}), {})
    url = response["Location"]

    waiting = staff.get(url)
    assert waiting.status_code == 200
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    for callback in callbacks:
        callback()  # the task, run eagerly
    polled = staff.get(url, headers={"HX-Request": "true"})
    shown = staff.get(url)

    assert polled["HX-Refresh"] == "true"
    assert "专家甲" in shown.content.decode()


def test_a_proposal_of_another_call_or_unknown_is_not_found(staff):
    applications = admitted_applications()
    call_id = applications[0].call_id
    token = services.start_proposal(applications[0].call)

    other = staff.get(reverse("reviews:assignment_proposal", kwargs={"pk": call_id + 999, "token": token}))
    unknown = staff.get(reverse("reviews:assignment_proposal", kwargs={"pk": call_id, "token": "x"}))

    assert (other.status_code, unknown.status_code) == (404, 404)


def test_assign_by_hand_is_refused_with_the_reason_on_the_page(staff):
    application = admitted_applications()[0]
    expert = _expert("electronics", user__name="张三", organisation=application.group)
    url = reverse("reviews:application_assignments", kwargs={"pk": application.pk})

    response = staff.post(url, {"expert": expert.pk})

    assert response.status_code == 400
    assert f"张三&#x27;s affiliation {application.group.name} is the applicant group" in response.content.decode()
    assert Assignment.objects.count() == 0


def test_unassign_revokes_and_only_the_secretariat_may(staff, secretariat):
    application = admitted_applications()[0]
    expert, other = _expert("electronics"), _expert("electronics")
    assignment = services.assign(application, expert, by=secretariat)
    url = reverse("reviews:assignment_unassign", kwargs={"pk": assignment.pk})
    assert _as(expert.user).get(_application_page(application)).status_code == 200

    assert _as(expert.user).post(url, {"reason": "x"}).status_code == 403
    assert _as(other.user).post(url, {"reason": "x"}).status_code == 404
    refused = staff.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Give the reason." in refused.content.decode()
    response = staff.post(url, {"reason": "工作调整"})

    assert response.status_code == 302
    assert _as(expert.user).get(_application_page(application)).status_code == 404


def test_decline_is_the_experts_own_and_the_secretariat_sees_a_replacement(
    staff, secretariat, django_capture_on_commit_callbacks
):
    application = admitted_applications()[0]
    ReviewSettings.objects.create(call=application.call, reviews_per_application=1)
    expert = _expert("electronics")
    replacement = _expert("electronics", user__name="替补专家")
    assignment = services.assign(application, expert, by=secretariat)
    url = reverse("reviews:assignment_decline", kwargs={"pk": assignment.pk})

    assert _as(replacement.user).get(url).status_code == 404
    assert _as(expert.user).get(url).status_code == 200
    assert _as(expert.user).post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(expert.user).post(url, {"reason": "本人为起草人"})

    assert response.status_code == 302
    assert _as(expert.user).get(_application_page(application)).status_code == 404
    page = staff.get(reverse("reviews:application_assignments", kwargs={"pk": application.pk})).content.decode()
    assert '<span class="replacement-expert">替补专家' in page
    assert "本人为起草人" in page


def _page_queries(staff, call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(reverse("reviews:assignment_list", kwargs={"pk": call.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_assignments_page_takes_the_same_queries_for_1_and_20_rows(staff, secretariat):
    one = admitted_applications()[0]
    services.assign(one, _expert("electronics"), by=secretariat)
    many = admitted_applications(count=20)
    experts = [_expert("electronics") for _ in range(5)]
    ReviewSettings.objects.create(call=many[0].call, reviews_per_application=5)
    for application in many:
        for expert in experts[:2]:
            services.assign(application, expert, by=secretariat)

    assert _page_queries(staff, one.call) == _page_queries(staff, many[0].call)
