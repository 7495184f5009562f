"""The secretariat's formal check (形式审查) through `projects.workflow`: admit and reject_ineligible.

Both wait for the recommender's deadline (with its extension), so that the recommender can no longer reorder;
a ministry-managed group's application, which has no recommender, is checked at once. Each refusal writes
nothing; each move writes one audit row with its note.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from portal.models import AuditEvent, User
from projects import workflow
from projects.models import Application, ApplicationStatus, Call
from projects.services import calls as services
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
DEADLINE = datetime.datetime(2099, 12, 31, 9, 0, tzinfo=datetime.UTC)  # 17:00 in Beijing
SECOND = datetime.timedelta(seconds=1)
CHECKS = {
    "admit": ({"note": "材料齐全。"}, S.UNDER_REVIEW, "材料齐全。"),
    "reject_ineligible": ({"reason": "缺少标准文本。"}, S.INELIGIBLE, "缺少标准文本。"),
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat() -> User:
    return member_of(MinistryFactory())


@pytest.fixture
def department():
    return ProvincialDepartmentFactory()


@pytest.fixture
def call() -> Call:
    return CallFactory(recommendation_deadline=DEADLINE)


def _recommended(call: Call, department, rank: int = 1) -> Application:
    application = make_application(call=call, complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    return workflow.recommend(application, by=member_of(department), opinion="同意推荐。", rank=rank)


def _direct(call: Call) -> Application:
    application = make_application(call=call, group=SocialGroupFactory(ministry_managed=True), complete=True)
    return workflow.submit(application, by=application.created_by)


def _check(name: str, application: Application, by: User, **overrides) -> Application:
    return getattr(workflow, name)(application, by=by, **{**CHECKS[name][0], **overrides})


def _state(application: Application) -> tuple:
    return Application.objects.values_list("status", "updated_at").get(pk=application.pk), AuditEvent.objects.count()


def _at(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- the recommender's deadline ------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(CHECKS))
@pytest.mark.parametrize("before", [datetime.timedelta(days=30), datetime.timedelta(0)], ids=["a month", "the second"])
def test_check_before_the_recommenders_deadline_refused_and_nothing_written(
    name, before, call, department, secretariat, monkeypatch
):
    application = _recommended(call, department)
    _at(monkeypatch, DEADLINE - before)
    written = _state(application)

    with pytest.raises(workflow.TransitionRefused) as refused:
        _check(name, application, secretariat)

    assert refused.value.message == (
        "The formal check starts after the recommendation deadline 2099-12-31 17:00 (Beijing time): "
        "until then the recommender may still reorder its recommendations."
    )
    assert _state(application) == written


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_after_the_deadline_moves_and_writes_one_audit_row_with_the_note(
    name, call, department, secretariat, monkeypatch
):
    application = _recommended(call, department)
    _at(monkeypatch, DEADLINE + SECOND)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    _arguments, to_state, note = CHECKS[name]

    moved = _check(name, application, secretariat)

    new = AuditEvent.objects.filter(id__gt=last)
    assert (moved.status, Application.objects.get(pk=application.pk).status) == (to_state, to_state)
    assert list(new.values_list("action", "actor_id", "from_state", "to_state", "note")) == [
        (f"application.{name}", secretariat.pk, S.RECOMMENDED, to_state, note)
    ]


def test_check_waits_for_the_recommenders_extension(call, department, secretariat, monkeypatch):
    application = _recommended(call, department)
    until = DEADLINE + datetime.timedelta(days=1)
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )
    _at(monkeypatch, DEADLINE + datetime.timedelta(hours=1))

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.admit(application, by=secretariat)
    _at(monkeypatch, until + SECOND)
    moved = workflow.admit(application, by=secretariat)

    assert refused.value.message.startswith(
        "The formal check starts after the recommendation deadline 2100-01-01 17:00"
    )
    assert moved.status == S.UNDER_REVIEW


def test_extension_of_another_recommender_does_not_delay_the_check(call, department, secretariat, monkeypatch):
    application = _recommended(call, department)
    services.extend_recommendation_deadline(
        call=call,
        recommender=ProvincialDepartmentFactory(),
        until=DEADLINE + datetime.timedelta(days=1),
        reason="延期。",
        by=secretariat,
    )
    _at(monkeypatch, DEADLINE + SECOND)

    assert workflow.admit(application, by=secretariat).status == S.UNDER_REVIEW


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_of_a_ministry_managed_groups_application_allowed_at_once(name, call, secretariat):
    application = _direct(call)

    moved = _check(name, application, secretariat)

    assert (application.recommender, moved.status) == (None, CHECKS[name][1])


# --- what the check needs --------------------------------------------------------------------------
@pytest.mark.parametrize("reason", ["", "  \n "])
def test_reject_ineligible_without_reasons_refused_and_nothing_written(reason, call, secretariat):
    application = _direct(call)
    written = _state(application)

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.reject_ineligible(application, by=secretariat, reason=reason)

    assert refused.value.message == "Give the reasons why the application is ineligible."
    assert _state(application) == written


def test_admit_without_a_note_allowed(call, secretariat):
    application = _direct(call)

    workflow.admit(application, by=secretariat)

    assert AuditEvent.objects.filter(action="application.admit").values_list("note", flat=True).get() == ""


@pytest.mark.parametrize("name", list(CHECKS))
@pytest.mark.parametrize("actor", ["recommender", "applicant", "other_department"])
def test_check_by_anyone_but_the_secretariat_raises_permission_denied(name, actor, call, department, monkeypatch):
    application = _recommended(call, department)
    users = {
        "recommender": lambda: member_of(department),
        "applicant": lambda: application.created_by,
        "other_department": lambda: member_of(ProvincialDepartmentFactory()),
    }
    user = users[actor]()
    _at(monkeypatch, DEADLINE + SECOND)
    written = _state(application)

    with pytest.raises(PermissionDenied):
        _check(name, application, user)

    assert _state(application) == written


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_of_a_submitted_application_raises_invalid_transition(name, call, department, secretariat):
    application = make_application(call=call, complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    written = _state(application)

    with pytest.raises(workflow.InvalidTransition):
        _check(name, application, secretariat)

    assert _state(application) == written


@pytest.mark.parametrize("name", list(CHECKS))
def test_second_check_raises_invalid_transition(name, call, secretariat):
    application = _check(name, _direct(call), secretariat)

    with pytest.raises(workflow.InvalidTransition):
        _check(name, application, secretariat)


def test_admitted_recommendation_still_uses_its_place_in_the_quota(department, secretariat, monkeypatch):
    call = CallFactory(recommendation_deadline=DEADLINE, default_quota=1)
    admitted = _recommended(call, department)
    waiting = make_application(call=call, complete=True, recommender=department)
    workflow.submit(waiting, by=waiting.created_by)
    _at(monkeypatch, DEADLINE + SECOND)
    workflow.admit(admitted, by=secretariat)
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=DEADLINE + datetime.timedelta(days=2), reason="延期。", by=secretariat
    )

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.recommend(waiting, by=member_of(department), opinion="同意推荐。", rank=1)

    assert refused.value.message == "The quota of 1 recommendations in this call is used up."
    assert Application.objects.get(pk=waiting.pk).status == S.SUBMITTED
