"""The transitions of the application stage, through `projects.workflow`: create, submit, resubmit, withdraw."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from guardian.shortcuts import get_perms

from portal.models import AuditEvent, User
from projects import workflow
from projects.completeness import SECTIONS
from projects.models import Application, ApplicationStatus, DeadlineExtension
from standards.models import StandardStatus
from standards.services import update_standard
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    fill_complete,
    make_application,
    member_of,
    profile_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def _events(application: Application, action: str) -> list[tuple[str, str, str, int | None]]:
    rows = AuditEvent.objects.for_object(application).filter(action=action).order_by("id")
    return [(event.from_state, event.to_state, event.note, event.actor_id) for event in rows]


def _fresh(user: User) -> User:
    # A new instance, so no permission cache of an earlier check answers for it.
    return User.objects.get(pk=user.pk)


def _written() -> tuple[int, int]:
    return Application.objects.count(), AuditEvent.objects.count()


def _standard_of(group, **fields):
    return GroupStandardFactory(issuer=profile_of(group), fills_gap=True, **fields)


def _returned(application: Application, *, by: User) -> Application:
    """A returned application, reached through the recommendation stage's real transition."""
    return workflow.return_for_revision(application, by=by, reason="补充实施效果的数据。")


# --- create ----------------------------------------------------------------------------------------
def test_create_by_member_makes_draft_with_audit_row_and_group_rights():
    group = SocialGroupFactory()
    staff = member_of(group)
    call, standard = CallFactory(), _standard_of(group)

    application = workflow.create(call, group=group, standard=standard, by=staff, industry_field="electronics")

    application.refresh_from_db()
    assert (application.status, application.group, application.standard, application.industry_field) == (
        S.DRAFT,
        group,
        standard,
        "electronics",
    )
    assert _events(application, "application.create") == [("", S.DRAFT, "", staff.pk)]
    assert sorted(get_perms(_fresh(staff), application)) == ["change_application", "view_application"]


def test_create_by_non_member_raises_permission_denied_and_writes_nothing():
    group = SocialGroupFactory()
    outsider = member_of(SocialGroupFactory())
    call, standard = CallFactory(), _standard_of(group)
    before = _written()

    with pytest.raises(PermissionDenied):
        workflow.create(call, group=group, standard=standard, by=outsider)

    assert _written() == before


def test_create_for_a_department_raises_permission_denied():
    department = ProvincialDepartmentFactory()
    staff, call, standard = member_of(department), CallFactory(), _standard_of(SocialGroupFactory())
    before = _written()

    with pytest.raises(PermissionDenied):
        workflow.create(call, group=department, standard=standard, by=staff)

    assert _written() == before


def test_create_for_an_inactive_group_raises_permission_denied():
    group = SocialGroupFactory()
    staff = member_of(group)
    standard = _standard_of(group)
    group.is_active = False
    group.save()

    with pytest.raises(PermissionDenied):
        workflow.create(CallFactory(), group=group, standard=standard, by=staff)

    assert Application.objects.count() == 0


def test_create_before_call_opens_refused_with_the_dates():
    group = SocialGroupFactory()
    now = timezone.now()
    call = CallFactory(opens_at=now + datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=30))
    standard, staff = _standard_of(group), member_of(group)
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.create(call, group=group, standard=standard, by=staff)

    assert refused.value.message.startswith("The call is not open for applications: it opens ")
    assert refused.value.message.endswith(" (Beijing time).")
    assert _written() == before


def test_create_after_deadline_refused():
    group = SocialGroupFactory()
    now = timezone.now()
    call = CallFactory(opens_at=now - datetime.timedelta(days=30), deadline=now - datetime.timedelta(seconds=1))
    standard, staff = _standard_of(group), member_of(group)
    before = _written()

    with pytest.raises(workflow.TransitionRefused):
        workflow.create(call, group=group, standard=standard, by=staff)

    assert _written() == before


def test_create_after_deadline_with_extension_honoured_for_that_group_only():
    now = timezone.now()
    call = CallFactory(opens_at=now - datetime.timedelta(days=30), deadline=now - datetime.timedelta(hours=1))
    extended, other = SocialGroupFactory(), SocialGroupFactory()
    DeadlineExtension.objects.create(
        call=call,
        organisation=extended,
        until=now + datetime.timedelta(days=2),
        reason="系统故障",
        granted_by=member_of(MinistryFactory()),
    )

    application = workflow.create(call, group=extended, standard=_standard_of(extended), by=member_of(extended))
    with pytest.raises(workflow.TransitionRefused):
        workflow.create(call, group=other, standard=_standard_of(other), by=member_of(other))

    assert list(Application.objects.values_list("pk", flat=True)) == [application.pk]


def test_create_standard_of_another_group_refused():
    group, issuer = SocialGroupFactory(), SocialGroupFactory()
    standard = _standard_of(issuer)
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.create(CallFactory(), group=group, standard=standard, by=member_of(group))

    assert refused.value.message == f"{standard.display_number} was not issued or co-issued by your group."
    assert _written() == before


def test_create_co_issued_standard_accepted():
    group, issuer = SocialGroupFactory(), SocialGroupFactory()
    standard = GroupStandardFactory(issuer=profile_of(issuer), co_issuers=[profile_of(group)])

    application = workflow.create(CallFactory(), group=group, standard=standard, by=member_of(group))

    assert (application.status, application.group, application.standard) == (S.DRAFT, group, standard)


@pytest.mark.parametrize(
    ("status", "label"),
    [(StandardStatus.ABOLISHED, "Abolished (废止)"), (StandardStatus.REPLACED, "Replaced (被代替)")],
)
def test_create_standard_not_current_refused(status, label):
    group = SocialGroupFactory()
    standard = _standard_of(group, status=status, repeal_date=datetime.date(2024, 1, 1))
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.create(CallFactory(), group=group, standard=standard, by=member_of(group))

    assert refused.value.message == f"{standard.display_number} is not current ({label})."
    assert _written() == before


@pytest.mark.parametrize(
    ("cutoff", "implemented", "accepted"),
    [
        (datetime.date(2026, 6, 30), datetime.date(2025, 12, 30), True),  # exactly six months before
        (datetime.date(2026, 6, 30), datetime.date(2025, 12, 31), False),  # one day later
        (datetime.date(2026, 8, 31), datetime.date(2026, 2, 28), True),  # 31 August clamps to 28 February
        (datetime.date(2026, 8, 31), datetime.date(2026, 3, 1), False),
        (datetime.date(2024, 8, 31), datetime.date(2024, 2, 29), True),  # leap year
        (datetime.date(2024, 8, 31), datetime.date(2024, 3, 1), False),
    ],
)
def test_create_implementation_six_months_before_cutoff(cutoff, implemented, accepted):
    group = SocialGroupFactory()
    call = CallFactory(implementation_cutoff=cutoff)
    standard = _standard_of(group, publication_date=datetime.date(2020, 1, 1), implementation_date=implemented)

    if accepted:
        application = workflow.create(call, group=group, standard=standard, by=member_of(group))
        assert application.status == S.DRAFT
        return
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.create(call, group=group, standard=standard, by=member_of(group))
    latest = implemented - datetime.timedelta(days=1)
    assert refused.value.message == (
        f"{standard.display_number} was implemented on {implemented.isoformat()}; this call requires implementation "
        f"on or before {latest.isoformat()} (six months before the cut-off {cutoff.isoformat()})."
    )
    assert Application.objects.count() == 0


def test_create_second_application_for_same_standard_in_call_refused():
    first = make_application()
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.create(first.call, group=first.group, standard=first.standard, by=first.created_by)

    assert refused.value.message == f"{first.standard.display_number} already has an application in this call."
    assert _written() == before


def test_create_same_standard_in_another_call_accepted():
    first = make_application()

    second = workflow.create(CallFactory(), group=first.group, standard=first.standard, by=first.created_by)

    assert (second.status, second.standard) == (S.DRAFT, first.standard)


def test_create_after_withdrawn_application_for_same_standard_accepted():
    first = make_application()
    workflow.withdraw(first, by=first.created_by, reason="数据有误，重新申报。")

    second = workflow.create(first.call, group=first.group, standard=first.standard, by=first.created_by)

    assert list(Application.objects.order_by("pk").values_list("status", flat=True)) == [S.WITHDRAWN, S.DRAFT]
    assert second.pk != first.pk


def test_create_failing_after_the_insert_leaves_nothing(monkeypatch):
    group = SocialGroupFactory()
    call, standard, staff = CallFactory(), _standard_of(group), member_of(group)
    before = _written()

    def broken_grant(*args, **kwargs):
        raise RuntimeError("guardian unavailable")

    monkeypatch.setattr(workflow.applying, "assign_perm", broken_grant)
    with pytest.raises(RuntimeError):
        workflow.create(call, group=group, standard=standard, by=staff)

    assert _written() == before


@pytest.mark.parametrize("field", ["status", "submitted_at", "submission_count"])
def test_create_refuses_fields_only_transitions_write(field):
    group = SocialGroupFactory()
    call, standard, staff = CallFactory(), _standard_of(group), member_of(group)
    value = {"status": S.SUBMITTED, "submitted_at": timezone.now(), "submission_count": 1}[field]

    with pytest.raises(TypeError):
        workflow.create(call, group=group, standard=standard, by=staff, **{field: value})

    assert Application.objects.count() == 0


# --- submit ----------------------------------------------------------------------------------------
def test_submit_incomplete_refused_with_every_missing_section_and_nothing_written():
    application = make_application()
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert refused.value.message == "The application is not complete yet."
    assert list(refused.value.missing) == [section.key for section in SECTIONS]
    assert (application.status, application.submitted_at, application.submission_count) == (S.DRAFT, None, 0)
    assert _written() == before


def test_submit_missing_one_item_lists_only_that_section():
    application = make_application(complete=True)
    application.contact_phone = ""
    application.save()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    assert refused.value.missing == {"contact": ["Give the contact person's phone number."]}
    assert _events(application, "application.submit") == []


def test_submit_refused_when_the_standard_was_abolished_since_the_draft_began():
    application = make_application(complete=True)
    update_standard(
        standard=application.standard, status=StandardStatus.ABOLISHED, repeal_date=datetime.date(2026, 1, 1)
    )
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (refused.value.message, application.status) == (
        f"{application.standard.display_number} is not current (Abolished (废止)).",
        S.DRAFT,
    )
    assert _written() == before


def test_submit_complete_goes_to_submitted_with_time_count_and_audit_row():
    application = make_application(complete=True)
    staff = application.created_by
    start = timezone.now()

    returned = workflow.submit(application, by=staff)

    application.refresh_from_db()
    assert (application.status, application.submission_count, returned.status) == (S.SUBMITTED, 1, S.SUBMITTED)
    assert start <= application.submitted_at <= timezone.now()
    assert _events(application, "application.submit") == [(S.DRAFT, S.SUBMITTED, "", staff.pk)]


def test_submit_grants_the_recommender_view_and_recommend_rights_and_no_one_else():
    department, other_department = ProvincialDepartmentFactory(), ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    recommender_staff, other_staff = member_of(department), member_of(other_department)
    assert get_perms(_fresh(recommender_staff), application) == []

    workflow.submit(application, by=application.created_by)

    assert sorted(get_perms(_fresh(recommender_staff), application)) == [
        "recommend_application",
        "view_application",
    ]
    assert get_perms(_fresh(other_staff), application) == []
    assert _fresh(recommender_staff).has_perm("projects.change_application", application) is False


def test_submit_ministry_managed_goes_straight_to_recommended_without_recommender():
    group = SocialGroupFactory(ministry_managed=True)
    application = make_application(group=group, complete=True)
    department_staff = member_of(ProvincialDepartmentFactory(province=group.province))

    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.recommender, application.submission_count) == (S.RECOMMENDED, None, 1)
    assert _events(application, "application.submit") == [(S.DRAFT, S.RECOMMENDED, "", application.created_by.pk)]
    assert get_perms(_fresh(department_staff), application) == []


@pytest.mark.parametrize("actor", ["other_applicant", "recommender", "secretariat"])
def test_submit_by_someone_else_raises_permission_denied_and_writes_nothing(actor):
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    user = {
        "other_applicant": lambda: member_of(SocialGroupFactory()),
        "recommender": lambda: member_of(department),
        "secretariat": lambda: member_of(MinistryFactory()),
    }[actor]()
    before = _written()

    with pytest.raises(PermissionDenied):
        workflow.submit(application, by=user)

    application.refresh_from_db()
    assert (application.status, application.submission_count) == (S.DRAFT, 0)
    assert _written() == before


def test_submit_twice_raises_invalid_transition_the_second_time():
    application = make_application(complete=True)
    workflow.submit(application, by=application.created_by)
    before = _written()

    with pytest.raises(workflow.InvalidTransition) as invalid:
        workflow.submit(application, by=application.created_by)

    assert str(invalid.value) == "An application that is “Submitted” cannot be submitted."
    assert _written() == before


def test_submit_refreshes_the_callers_instance():
    application = make_application(complete=True)

    workflow.submit(application, by=application.created_by)

    assert (application.status, application.submission_count) == (S.SUBMITTED, 1)


def test_resubmit_returned_application_goes_to_submitted_again():
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    _returned(application, by=member_of(department))

    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submission_count) == (S.SUBMITTED, 2)
    assert _events(application, "application.submit")[-1] == (S.RETURNED, S.SUBMITTED, "", application.created_by.pk)


def test_resubmit_edited_returned_application_notifies_the_recommender(settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"  # mail is composed in the portal's language; English is the source
    department = ProvincialDepartmentFactory()
    member_of(department, email="rec@dept.example.cn")
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    _returned(application, by=member_of(department, email=""))
    Application.objects.filter(pk=application.pk).update(effect="产品合格率提高 8%。")  # the group's revision

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submission_count, application.effect) == (
        S.SUBMITTED,
        2,
        "产品合格率提高 8%。",
    )
    receipts = [m for m in mail.outbox if m.subject.startswith("Submission receipt")]
    assert [(m.to, m.subject) for m in mail.outbox if m not in receipts] == [
        (["rec@dept.example.cn"], f"Revised application resubmitted: {application}")
    ]
    assert [m.to for m in receipts] == [[application.created_by.email]]  # the group's own receipt, by e-mail


def test_resubmit_after_the_recommendation_deadline_refused_and_nothing_written(monkeypatch):
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    _returned(application, by=member_of(department))
    deadline = application.call.recommendation_deadline
    monkeypatch.setattr(timezone, "now", lambda: deadline + datetime.timedelta(seconds=1))
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert refused.value.message.startswith("The recommendation deadline ")
    assert (application.status, application.submission_count, _written()) == (S.RETURNED, 1, before)


# --- withdraw --------------------------------------------------------------------------------------
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_withdraw_without_reason_refused_and_nothing_written(reason):
    application = make_application()
    before = _written()

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.withdraw(application, by=application.created_by, reason=reason)

    application.refresh_from_db()
    assert (refused.value.message, application.status) == ("Give the reason for withdrawing.", S.DRAFT)
    assert _written() == before


def _draft():
    return make_application(complete=True)


def _submitted():
    return submitted_application()


def _recommended():
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)
    return workflow.submit(application, by=application.created_by)


@pytest.mark.parametrize("reach", [_draft, _submitted, _recommended], ids=["draft", "submitted", "recommended"])
def test_withdraw_from_allowed_state_records_reason_and_clears_rank(reach):
    application = reach()
    Application.objects.filter(pk=application.pk).update(group_rank=1)  # the summary table's order, not the status
    from_state = application.status

    workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    application.refresh_from_db()
    assert (application.status, application.group_rank) == (S.WITHDRAWN, None)
    assert _events(application, "application.withdraw") == [
        (from_state, S.WITHDRAWN, "标准即将修订。", application.created_by.pk)
    ]


def test_withdraw_twice_raises_invalid_transition_and_writes_nothing():
    application = make_application()
    workflow.withdraw(application, by=application.created_by, reason="重复申报。")
    before = _written()

    with pytest.raises(workflow.InvalidTransition) as invalid:
        workflow.withdraw(application, by=application.created_by, reason="再次撤回。")

    assert str(invalid.value) == "An application that is “Withdrawn” cannot be withdrawn."
    assert _written() == before


def test_submit_after_withdraw_raises_invalid_transition():
    application = make_application(complete=True)
    workflow.withdraw(application, by=application.created_by, reason="重复申报。")

    with pytest.raises(workflow.InvalidTransition):
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submission_count) == (S.WITHDRAWN, 0)


@pytest.mark.parametrize("actor", ["other_applicant", "recommender", "secretariat"])
def test_withdraw_by_someone_else_raises_permission_denied_and_writes_nothing(actor):
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    user = {
        "other_applicant": lambda: member_of(SocialGroupFactory()),
        "recommender": lambda: member_of(department),
        "secretariat": lambda: member_of(MinistryFactory()),
    }[actor]()
    before = _written()

    with pytest.raises(PermissionDenied):
        workflow.withdraw(application, by=user, reason="不是我们的申报。")

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert _written() == before


def test_allowed_transitions_follow_the_table():
    application = make_application(complete=True)
    draft_moves = workflow.allowed_transitions(application)
    workflow.withdraw(application, by=application.created_by, reason="重复申报。")

    assert (draft_moves, workflow.allowed_transitions(application)) == (
        frozenset({"submit", "withdraw"}),
        frozenset(),
    )


def test_fill_complete_then_submit_by_second_member_of_the_group_allowed():
    group = SocialGroupFactory()
    application = make_application(group=group)
    fill_complete(application)
    colleague = member_of(group)

    workflow.submit(application, by=colleague)

    assert _events(application, "application.submit") == [(S.DRAFT, S.SUBMITTED, "", colleague.pk)]
