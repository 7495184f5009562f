"""The formal check (形式审查) through the web: the call's list with a selection, and one application's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus, Call
from projects.services import calls as services
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
S = ApplicationStatus
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(name="浙江省经济和信息化厅")


@pytest.fixture
def late_department():
    """A recommender whose deadline the secretariat extended: its recommendations cannot be checked yet."""
    return ProvincialDepartmentFactory(name="江苏省工业和信息化厅")


@pytest.fixture
def call():
    return CallFactory(default_quota=5)


def _recommended(call: Call, department, rank: int) -> Application:
    application = make_application(call=call, complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    return workflow.recommend(application, by=member_of(department), opinion="同意推荐。", rank=rank)


def _close_recommendations(call: Call) -> None:
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


@pytest.fixture
def recommended(call, department, late_department, secretariat):
    """Two recommendations of `department` ready for the check, one of `late_department` not yet."""
    ready = [_recommended(call, department, rank) for rank in (1, 2)]
    waiting = _recommended(call, late_department, 1)
    _close_recommendations(call)
    services.extend_recommendation_deadline(
        call=call, recommender=late_department, until=timezone.now() + DAY, reason="延期。", by=secretariat
    )
    return ready, waiting


def _url(call: Call) -> str:
    return reverse("projects:formal_check", kwargs={"pk": call.pk})


def _statuses(*applications: Application) -> list[str]:
    return [Application.objects.get(pk=application.pk).status for application in applications]


# --- the call's list ---------------------------------------------------------------------------------
def test_formal_check_lists_the_recommended_with_a_box_for_those_ready(client, secretariat, call, recommended):
    (first, second), waiting = recommended
    client.force_login(secretariat)

    response = client.get(_url(call))

    content = response.content.decode()
    listed = [row.application for row in response.context["rows"]]
    assert (len(listed), set(listed)) == (3, {first, second, waiting})
    assert listed.index(first) < listed.index(second)  # by rank within a recommender
    boxes = {a.pk: f'name="applications" value="{a.pk}"' in content for a in (first, second, waiting)}
    assert boxes == {first.pk: True, second.pk: True, waiting.pk: False}
    row = content.split(f'id="check-{first.pk}"', 1)[1].split("</tr>")[0]
    assert (first.standard.display_number in row, "浙江省经济和信息化厅" in row, first.group.name in row) == (
        True,
        True,
        True,
    )
    assert "after " in content.split(f'id="check-{waiting.pk}"', 1)[1].split("</tr>")[0]


def test_formal_check_lists_a_page_of_twenty_and_posts_back_to_that_page(client, secretariat, department):
    call = CallFactory(default_quota=25)
    made = [_recommended(call, department, rank) for rank in range(1, 23)]
    _close_recommendations(call)
    client.force_login(secretariat)

    first = client.get(_url(call))
    second = client.get(_url(call), {"page": 2})
    chosen = [row.application for row in second.context["rows"]]
    moved = client.post(
        f"{_url(call)}?page=2", {"applications": [a.pk for a in chosen], "decision": "admit", "note": ""}
    )

    assert [row.application for row in first.context["rows"]] == made[:20]
    assert chosen == made[20:]
    assert 'rel="next"' in first.content.decode()
    assert (moved.status_code, moved["Location"]) == (302, f"{_url(call)}?page=2")
    assert _statuses(*chosen) == [S.UNDER_REVIEW, S.UNDER_REVIEW]
    assert client.get(_url(call), {"page": 2}).context["page_obj"].number == 1  # the last page left


def test_formal_check_counts_those_already_admitted_and_ineligible(client, secretariat, call, recommended):
    (first, second), _waiting = recommended
    workflow.admit(first, by=secretariat)
    workflow.reject_ineligible(second, by=secretariat, reason="缺少标准文本。")
    client.force_login(secretariat)

    response = client.get(_url(call))

    content = response.content.decode()
    figures = [
        content.split(f'id="count-{name}">', 1)[1].split("<")[0] for name in ("awaiting", "admitted", "ineligible")
    ]
    assert figures == ["1", "1", "1"]


def test_formal_check_filters_by_recommender(client, secretariat, call, recommended, late_department):
    _ready, waiting = recommended
    client.force_login(secretariat)

    response = client.get(_url(call), {"recommender": late_department.pk})

    assert [row.application for row in response.context["rows"]] == [waiting]
    assert f'<option value="{late_department.pk}" selected>' in response.content.decode()


def test_formal_check_without_recommended_applications_says_so(client, secretariat, call):
    client.force_login(secretariat)

    content = client.get(_url(call)).content.decode()

    assert "No recommended application awaits the formal check." in content


def test_formal_check_admits_the_selection_each_with_its_audit_row(client, secretariat, call, recommended):
    (first, second), waiting = recommended
    client.force_login(secretariat)

    response = client.post(
        _url(call), {"applications": [first.pk, second.pk], "decision": "admit", "note": "材料齐全。"}, follow=True
    )

    assert response.redirect_chain == [(_url(call), 302)]
    assert _statuses(first, second, waiting) == [S.UNDER_REVIEW, S.UNDER_REVIEW, S.RECOMMENDED]
    events = AuditEvent.objects.filter(action="application.admit").order_by("id")
    assert list(events.values_list("target_id", "note")) == [
        (str(first.pk), "材料齐全。"),
        (str(second.pk), "材料齐全。"),
    ]
    assert "2 applications are admitted to expert review." in response.content.decode()


def test_formal_check_rejects_the_selection_with_the_reasons(client, secretariat, call, recommended):
    (first, second), _waiting = recommended
    client.force_login(secretariat)

    client.post(_url(call), {"applications": [first.pk], "decision": "reject", "reason": "缺少标准文本。"})

    assert _statuses(first, second) == [S.INELIGIBLE, S.RECOMMENDED]
    assert AuditEvent.objects.filter(action="application.reject_ineligible").values_list("note", flat=True).get() == (
        "缺少标准文本。"
    )


def test_formal_check_keeps_the_others_done_when_one_is_refused(client, secretariat, call, recommended):
    (first, second), waiting = recommended
    client.force_login(secretariat)

    response = client.post(
        _url(call),
        {"applications": [first.pk, waiting.pk], "decision": "reject", "reason": "缺少标准文本。"},
        follow=True,
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert _statuses(first, second, waiting) == [S.INELIGIBLE, S.RECOMMENDED, S.RECOMMENDED]
    refusals = content.split('id="check-refusals"', 1)[1].split("</div>")[0]
    assert waiting.standard.display_number in refusals
    assert "The formal check starts after the recommendation deadline" in refusals
    assert first.standard.display_number not in refusals
    assert "1 application is rejected as ineligible; its group sees the reasons." in content
    # What was typed stays: the refused one still ticked (if shown), the reasons in their box.
    assert "缺少标准文本。</textarea>" in content
    assert response.context["selected"] == {str(first.pk), str(waiting.pk)}


def test_formal_check_of_one_already_checked_elsewhere_is_reported(client, secretariat, call, recommended):
    (first, second), _waiting = recommended
    workflow.admit(first, by=secretariat)
    client.force_login(secretariat)

    response = client.post(_url(call), {"applications": [first.pk, second.pk], "decision": "admit"})

    refusals = response.content.decode().split('id="check-refusals"', 1)[1].split("</div>")[0]
    assert response.status_code == 400
    assert "cannot be admitted to expert review" in refusals
    assert _statuses(first, second) == [S.UNDER_REVIEW, S.UNDER_REVIEW]


def test_formal_check_rejection_without_reasons_refused_and_nothing_moved(client, secretariat, call, recommended):
    (first, second), _waiting = recommended
    client.force_login(secretariat)

    response = client.post(_url(call), {"applications": [first.pk, second.pk], "decision": "reject", "reason": " "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["Give the reasons why the application is ineligible."]}
    assert _statuses(first, second) == [S.RECOMMENDED, S.RECOMMENDED]
    assert response.context["selected"] == {str(first.pk), str(second.pk)}
    assert f'value="{first.pk}" id="id_applications_{first.pk}" checked' in response.content.decode()


def test_formal_check_without_a_selection_refused(client, secretariat, call, recommended):
    client.force_login(secretariat)

    response = client.post(_url(call), {"decision": "admit", "note": "材料齐全。"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"applications": ["Select at least one application."]}
    assert AuditEvent.objects.filter(action="application.admit").count() == 0


def test_formal_check_of_another_calls_application_refused(client, secretariat, call, recommended):
    other = CallFactory()
    client.force_login(secretariat)
    stranger = make_application(call=other, group=SocialGroupFactory(ministry_managed=True), complete=True)
    workflow.submit(stranger, by=stranger.created_by)

    response = client.post(_url(call), {"applications": [stranger.pk], "decision": "admit"})

    assert (response.status_code, list(response.context["form"].errors)) == (400, ["applications"])
    assert _statuses(stranger) == [S.RECOMMENDED]


def test_formal_check_post_by_a_recommender_is_403_and_moves_nothing(client, call, department, recommended):
    (first, _second), _waiting = recommended
    client.force_login(member_of(department))

    response = client.post(_url(call), {"applications": [first.pk], "decision": "admit"})

    assert (response.status_code, _statuses(first)) == (403, [S.RECOMMENDED])


@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request, call, department):
    """As many recommendations of one department, its deadline passed."""
    call.default_quota = 20
    call.save(update_fields=["default_quota"])
    group = SocialGroupFactory(province=department.province)
    profile = profile_of(group)
    staff = member_of(department)
    for rank in range(1, request.param + 1):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = make_application(call=call, group=group, standard=standard, complete=True, recommender=department)
        workflow.submit(application, by=application.created_by)
        workflow.recommend(application, by=staff, opinion="同意推荐。", rank=rank)
    _close_recommendations(call)
    return request.param


def test_formal_check_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, secretariat, call, rows, django_assert_num_queries
):
    client.force_login(secretariat)
    client.get(_url(call))  # warms the content-type cache, as a running server has it

    # session, user, the call, the role (2), the filter's recommenders, the page count, the page, the counts
    with django_assert_num_queries(9):
        response = client.get(_url(call))

    assert [row.open for row in response.context["rows"]] == [True] * rows


# --- one application ---------------------------------------------------------------------------------
def _check_url(application: Application) -> str:
    return reverse("projects:application_formal_check", kwargs={"pk": application.pk})


def _aside(response) -> dict:
    """The page's panels beside the content (portal.panels), by template: what each was given."""
    return {panel.template: panel.context for panel in response.context["aside_panels"]}


def test_detail_shows_the_formal_check_to_the_secretariat_only(client, secretariat, call, department, recommended):
    (first, _second), _waiting = recommended
    seen = {}
    for who, user in {
        "secretariat": secretariat,
        "recommender": member_of(department),
        "applicant": first.created_by,
    }.items():
        client.force_login(user)
        seen[who] = 'id="formal-check-form"' in client.get(first.get_absolute_url()).content.decode()

    assert seen == {"secretariat": True, "recommender": False, "applicant": False}


def test_detail_of_a_submitted_application_has_no_formal_check(client, secretariat, call, department):
    application = make_application(call=call, complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    client.force_login(secretariat)

    response = client.get(application.get_absolute_url())

    assert (_aside(response), 'id="formal-check-form"' in response.content.decode()) == ({}, False)


def test_application_formal_check_admits_and_says_so(client, secretariat, call, recommended):
    (first, _second), _waiting = recommended
    client.force_login(secretariat)

    response = client.post(_check_url(first), {"decision": "admit", "note": "材料齐全。"}, follow=True)

    assert response.redirect_chain == [(first.get_absolute_url(), 302)]
    assert _statuses(first) == [S.UNDER_REVIEW]
    assert "1 application is admitted to expert review." in response.content.decode()


def test_application_formal_check_of_a_ministry_managed_group_at_once(client, secretariat):
    call = CallFactory()
    application = make_application(call=call, group=SocialGroupFactory(ministry_managed=True), complete=True)
    workflow.submit(application, by=application.created_by)
    client.force_login(secretariat)

    client.post(_check_url(application), {"decision": "reject", "reason": "标准实施不满六个月。"})

    assert _statuses(application) == [S.INELIGIBLE]


def test_applicant_reads_the_reasons_of_ineligibility_on_the_detail_page(client, secretariat, call, recommended):
    (first, _second), _waiting = recommended
    client.force_login(secretariat)
    client.post(_check_url(first), {"decision": "reject", "reason": "缺少标准文本。"})
    client.force_login(first.created_by)

    content = client.get(first.get_absolute_url()).content.decode()

    messages = content.split('id="applicant-messages"', 1)[1].split("</section>")[0]
    assert ("Ineligible" in messages, "缺少标准文本。" in messages) == (True, True)


def test_application_formal_check_rejection_without_reasons_keeps_the_form(client, secretariat, call, recommended):
    (first, _second), _waiting = recommended
    client.force_login(secretariat)

    response = client.post(_check_url(first), {"decision": "reject", "note": "补充说明", "reason": ""})

    assert response.status_code == 400
    assert _aside(response)["projects/_formal_check.html"]["form"].errors == {
        "reason": ["Give the reasons why the application is ineligible."]
    }
    assert "补充说明</textarea>" in response.content.decode()
    assert _statuses(first) == [S.RECOMMENDED]


def test_application_formal_check_before_the_deadline_refused_with_the_message(client, secretariat, call, recommended):
    _ready, waiting = recommended
    client.force_login(secretariat)

    response = client.post(_check_url(waiting), {"decision": "reject", "reason": "缺少标准文本。"})

    content = response.content.decode()
    assert response.status_code == 400
    assert "The formal check starts after the recommendation deadline" in content
    assert "缺少标准文本。</textarea>" in content
    assert _statuses(waiting) == [S.RECOMMENDED]


def test_application_formal_check_of_a_checked_application_is_409(client, secretariat, call, recommended):
    (first, _second), _waiting = recommended
    workflow.admit(first, by=secretariat)
    client.force_login(secretariat)

    response = client.post(_check_url(first), {"decision": "admit"})

    assert response.status_code == 409
    assert "cannot be admitted to expert review" in response.content.decode()
    assert AuditEvent.objects.filter(action="application.admit").count() == 1


def test_application_formal_check_of_a_checked_application_is_409_before_the_form_is_judged(
    client, secretariat, call, recommended
):
    (first, _second), _waiting = recommended
    workflow.admit(first, by=secretariat)
    client.force_login(secretariat)

    response = client.post(_check_url(first), {"decision": "reject", "reason": ""})

    assert (response.status_code, response.context["refusal"]) == (
        409,
        "An application that is “Under expert review” cannot be rejected as ineligible.",
    )
    assert _statuses(first) == [S.UNDER_REVIEW]


@pytest.mark.parametrize(("who", "status"), [("recommender", 403), ("applicant", 403), ("other_department", 404)])
def test_application_formal_check_by_others_refused(client, call, department, recommended, who, status):
    (first, _second), _waiting = recommended
    users = {
        "recommender": lambda: member_of(department),
        "applicant": lambda: first.created_by,
        "other_department": lambda: member_of(ProvincialDepartmentFactory()),
    }
    client.force_login(users[who]())

    response = client.post(_check_url(first), {"decision": "admit"})

    assert (response.status_code, _statuses(first)) == (status, [S.RECOMMENDED])
