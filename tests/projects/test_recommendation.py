"""The recommender's decisions through `projects.workflow`: return for revision, recommend, decline.

Each refusal writes nothing; each decision writes one audit row with its reason or opinion and mails the group
once the move is committed. The quota under concurrency is in test_quota_concurrency.py.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from portal.models import AuditEvent, User
from projects import permissions, rules, workflow
from projects.models import Application, ApplicationStatus, QuotaOverride
from tests.factories import (
    CallFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus

# decision → (its arguments, the state it leads to, the notification event)
DECISIONS = {
    "return_for_revision": ({"reason": "补充实施效果的数据。"}, S.RETURNED, "returned"),
    "recommend": ({"opinion": "该标准先进，实施效果显著，同意推荐。", "rank": 1}, S.RECOMMENDED, "recommended"),
    "decline": ({"reason": "实施范围不足。"}, S.NOT_RECOMMENDED, "declined"),
}
NOTES = {"return_for_revision": "reason", "recommend": "opinion", "decline": "reason"}


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages and mail are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def department():
    return ProvincialDepartmentFactory()


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _submitted(call, department) -> Application:
    return submitted_application(call=call, recommender=department)


def _state(application: Application) -> tuple:
    """The application's decision columns and the audit log's length: what a refusal must leave alone."""
    row = Application.objects.values_list(
        "status", "updated_at", "recommendation_opinion", "recommendation_rank", "recommended_at"
    ).get(pk=application.pk)
    return row, AuditEvent.objects.count()


def _decide(name: str, application: Application, by: User, **overrides) -> Application:
    arguments = {**DECISIONS[name][0], **overrides}
    return getattr(workflow, name)(application, by=by, **arguments)


def _recommend(application: Application, by: User, rank: int) -> Application:
    return workflow.recommend(application, by=by, opinion=f"推荐，排序第{rank}。", rank=rank)


# --- rules and permissions -------------------------------------------------------------------------
def test_quota_for_is_the_calls_default_without_override(call, department):
    assert rules.quota_for(call, department) == 3


def test_quota_for_is_the_override_of_that_recommender_only(call, department):
    QuotaOverride.objects.create(call=call, recommender=department, quota=7)

    assert (rules.quota_for(call, department), rules.quota_for(call, ProvincialDepartmentFactory())) == (7, 3)


def test_recommendation_open_up_to_and_including_the_deadline_second(call):
    deadline = call.recommendation_deadline

    assert [rules.recommendation_open(call, deadline + datetime.timedelta(seconds=s)) for s in (-1, 0, 1)] == [
        True,
        True,
        False,
    ]


def test_can_recommend_only_the_recommenders_staff_while_submitted(call, department):
    application = _submitted(call, department)
    staff, other = member_of(department), member_of(ProvincialDepartmentFactory())
    secretariat = member_of(MinistryFactory())

    assert [permissions.can_recommend(_fresh(u), application) for u in (staff, other, secretariat)] == [
        True,
        False,
        False,
    ]
    assert permissions.can_recommend(_fresh(application.created_by), application) is False


def test_can_recommend_refused_once_withdrawn_though_the_right_remains(call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    workflow.withdraw(application, by=application.created_by, reason="重复申报。")

    application.refresh_from_db()
    assert (_fresh(staff).has_perm(workflow.RECOMMEND, application), permissions.can_recommend(staff, application)) == (
        True,
        False,
    )


# --- successes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_moves_and_writes_one_audit_row_with_the_note(name, call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    arguments, to_state, _event = DECISIONS[name]

    moved = _decide(name, application, staff)

    application.refresh_from_db()
    new = AuditEvent.objects.filter(id__gt=last)
    assert (moved.status, application.status) == (to_state, to_state)
    assert [(e.action, e.target_id, e.from_state, e.to_state, e.note, e.actor_id) for e in new] == [
        (f"application.{name}", str(application.pk), S.SUBMITTED, to_state, arguments[NOTES[name]], staff.pk)
    ]


def test_recommend_keeps_opinion_rank_and_time(call, department):
    application = _submitted(call, department)
    start = timezone.now()

    workflow.recommend(application, by=member_of(department), opinion="  同意推荐。\n", rank=2)

    application.refresh_from_db()
    assert (application.recommendation_opinion, application.recommendation_rank) == ("同意推荐。", 2)
    assert start <= application.recommended_at <= timezone.now()


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("return_for_revision", "Application returned for revision: "),
        ("recommend", "Application recommended: "),
        ("decline", "Application not recommended: "),
    ],
)
def test_decision_mails_the_groups_active_members_after_commit(
    name, subject, call, department, django_capture_on_commit_callbacks
):
    application = _submitted(call, department)
    member_of(application.group, email="b@group.example.cn")
    member_of(application.group, email="gone@group.example.cn", is_active=False)
    member_of(department, email="rec@dept.example.cn")
    creator = application.created_by.email

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _decide(name, application, member_of(department, email=""))

    assert len(callbacks) == 1
    # One message per recipient (portal.notifications.notify): no one sees another's address.
    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        ([address], f"{subject}{application}") for address in sorted(["b@group.example.cn", creator])
    ]


def test_decision_sends_nothing_before_commit(call, department, django_capture_on_commit_callbacks):
    application = _submitted(call, department)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _decide("decline", application, member_of(department))

    assert (len(callbacks), mail.outbox) == (1, [])


def test_decision_by_a_second_member_of_the_department_allowed(call, department):
    member_of(department)
    application = _submitted(call, department)
    colleague = member_of(department)

    workflow.recommend(application, by=colleague, opinion="同意。", rank=1)

    assert AuditEvent.objects.for_object(application).filter(action="application.recommend").get().actor == colleague


def test_industry_delegate_decides_like_a_department(call):
    delegate = IndustryDelegateFactory()
    application = _submitted(call, delegate)

    workflow.recommend(application, by=member_of(delegate), opinion="同意推荐。", rank=3)

    application.refresh_from_db()
    assert (application.status, application.recommendation_rank) == (S.RECOMMENDED, 3)


# --- refusals: nothing written ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "blank", "message"),
    [
        ("return_for_revision", {"reason": ""}, "Give the reasons for returning the application."),
        ("return_for_revision", {"reason": "  \n"}, "Give the reasons for returning the application."),
        ("recommend", {"opinion": ""}, "Give the recommendation opinion."),
        ("recommend", {"opinion": " \t"}, "Give the recommendation opinion."),
        ("decline", {"reason": ""}, "Give the reason for not recommending the application."),
        ("decline", {"reason": "\n"}, "Give the reason for not recommending the application."),
    ],
)
def test_decision_without_reason_or_opinion_refused_and_nothing_written(name, blank, message, call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    before = _state(application)

    with pytest.raises(workflow.TransitionRefused) as refused:
        _decide(name, application, staff, **blank)

    assert (refused.value.message, _state(application)) == (message, before)


@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_at_the_deadline_second_accepted(name, call, department, monkeypatch):
    application = _submitted(call, department)
    staff = member_of(department)
    monkeypatch.setattr(timezone, "now", lambda: call.recommendation_deadline)

    moved = _decide(name, application, staff)

    assert moved.status == DECISIONS[name][1]


@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_one_second_after_the_deadline_refused_in_beijing_time(name, department, monkeypatch):
    deadline = datetime.datetime(2026, 12, 31, 9, 0, 0, tzinfo=datetime.UTC)  # 17:00 in Beijing
    call = CallFactory(recommendation_deadline=deadline)
    application = _submitted(call, department)
    staff = member_of(department)
    before = _state(application)
    monkeypatch.setattr(timezone, "now", lambda: deadline + datetime.timedelta(seconds=1))

    with pytest.raises(workflow.TransitionRefused) as refused:
        _decide(name, application, staff)

    assert refused.value.message == (
        "The recommendation deadline 2026-12-31 17:00 (Beijing time) has passed: no decision can be made any more."
    )
    assert _state(application) == before


@pytest.mark.parametrize("rank", [0, 4, -1])
def test_recommend_rank_out_of_range_refused(rank, call, department):
    application = _submitted(call, department)
    before = _state(application)

    with pytest.raises(workflow.TransitionRefused) as refused:
        _recommend(application, member_of(department), rank)

    assert (refused.value.message, _state(application)) == ("The rank must be a whole number from 1 to 3.", before)


def test_recommend_rank_range_follows_the_quota_override(call, department):
    QuotaOverride.objects.create(call=call, recommender=department, quota=5)
    application = _submitted(call, department)

    _recommend(application, member_of(department), 5)

    application.refresh_from_db()
    assert (application.status, application.recommendation_rank) == (S.RECOMMENDED, 5)


def test_recommend_rank_taken_refused_naming_the_holder(call, department):
    staff = member_of(department)
    first, second = _submitted(call, department), _submitted(call, department)
    _recommend(first, staff, 2)
    before = _state(second)

    with pytest.raises(workflow.TransitionRefused) as refused:
        _recommend(second, staff, 2)

    assert (refused.value.message, _state(second)) == (f"Rank 2 is already given to {first}.", before)


def test_recommend_same_rank_by_another_recommender_accepted(call, department):
    other = ProvincialDepartmentFactory()
    first, second = _submitted(call, department), _submitted(call, other)
    _recommend(first, member_of(department), 1)

    _recommend(second, member_of(other), 1)

    assert sorted(Application.objects.values_list("recommender_id", "recommendation_rank")) == sorted(
        [(department.pk, 1), (other.pk, 1)]
    )


def test_recommend_beyond_the_quota_refused_with_the_quota(call, department):
    QuotaOverride.objects.create(call=call, recommender=department, quota=2)
    staff = member_of(department)
    applications = [_submitted(call, department) for _ in range(3)]
    _recommend(applications[0], staff, 1)
    _recommend(applications[1], staff, 2)
    before = _state(applications[2])

    with pytest.raises(workflow.TransitionRefused) as refused:
        _recommend(applications[2], staff, 1)

    assert (refused.value.message, _state(applications[2])) == (
        "The quota of 2 recommendations in this call is used up.",
        before,
    )


def test_recommend_quota_counts_only_this_call(department):
    staff = member_of(department)
    earlier, call = CallFactory(default_quota=1), CallFactory(default_quota=1)
    _recommend(_submitted(earlier, department), staff, 1)
    application = _submitted(call, department)

    _recommend(application, staff, 1)

    application.refresh_from_db()
    assert application.status == S.RECOMMENDED


def test_recommend_withdrawn_recommendation_frees_its_place_and_rank(department):
    call = CallFactory(default_quota=1)
    staff = member_of(department)
    first, second = _submitted(call, department), _submitted(call, department)
    _recommend(first, staff, 1)
    workflow.withdraw(first, by=first.created_by, reason="标准即将修订。")

    _recommend(second, staff, 1)

    assert sorted(Application.objects.values_list("status", "recommendation_rank")) == [
        (S.RECOMMENDED, 1),
        (S.WITHDRAWN, 1),
    ]


@pytest.mark.parametrize("name", list(DECISIONS))
@pytest.mark.parametrize("actor", ["other_department", "applicant", "other_applicant", "secretariat"])
def test_decision_by_someone_else_raises_permission_denied_and_writes_nothing(name, actor, call, department):
    application = _submitted(call, department)
    user = {
        "other_department": lambda: member_of(ProvincialDepartmentFactory(province=department.province)),
        "applicant": lambda: application.created_by,
        "other_applicant": lambda: member_of(SocialGroupFactory()),
        "secretariat": lambda: member_of(MinistryFactory()),
    }[actor]()
    before = _state(application)

    with pytest.raises(PermissionDenied):
        _decide(name, application, user)

    assert _state(application) == before


@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_after_withdraw_raises_invalid_transition_and_writes_nothing(name, call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    workflow.withdraw(application, by=application.created_by, reason="重复申报。")
    before = _state(application)

    with pytest.raises(workflow.InvalidTransition) as invalid:
        _decide(name, application, staff)

    past = {"return_for_revision": "returned for revision", "recommend": "recommended", "decline": "declined"}[name]
    assert (str(invalid.value), _state(application)) == (
        f"An application that is “Withdrawn” cannot be {past}.",
        before,
    )


@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_on_a_draft_is_denied_to_the_recommender_it_names(name, call, department):
    # The recommender's right comes with the submission: before it, the draft is the group's own.
    application = make_application(call=call, complete=True, recommender=department)
    before = _state(application)

    with pytest.raises(PermissionDenied):
        _decide(name, application, member_of(department))

    assert _state(application) == before


@pytest.mark.parametrize("name", list(DECISIONS))
def test_decision_on_a_returned_application_raises_invalid_transition(name, call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    workflow.return_for_revision(application, by=staff, reason="请补充。")
    before = _state(application)

    with pytest.raises(workflow.InvalidTransition):
        _decide(name, application, staff)

    assert _state(application) == before


def test_second_decision_raises_invalid_transition(call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    workflow.decline(application, by=staff, reason="不予推荐。")
    before = _state(application)

    with pytest.raises(workflow.InvalidTransition):
        _recommend(application, staff, 1)

    assert _state(application) == before


def test_returned_then_resubmitted_application_can_be_recommended(call, department):
    application = _submitted(call, department)
    staff = member_of(department)
    workflow.return_for_revision(application, by=staff, reason="补充数据。")
    workflow.submit(application, by=application.created_by)

    _recommend(application, staff, 1)

    actions = AuditEvent.objects.for_object(application).order_by("id").values_list("action", "to_state")
    assert list(actions)[-3:] == [
        ("application.return_for_revision", S.RETURNED),
        ("application.submit", S.SUBMITTED),
        ("application.recommend", S.RECOMMENDED),
    ]
