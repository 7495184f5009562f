"""The secretariat's view of the recommendation stage: a recommender's deadline extension (service) and the
figures per recommender (selectors), which the recommender's own inbox must agree with."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.models import AuditEvent, User
from projects import workflow
from projects.models import Application, ApplicationStatus, Call, QuotaOverride, RecommenderExtension
from projects.selectors import oversight
from projects.selectors.applications import application_search, deadline_of, list_rows, listed, waiting_for_applicant
from projects.selectors.recommendation import inbox_applications, inbox_counts, quota_rows
from projects.services import calls as services
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
BEIJING = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)


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
    return ProvincialDepartmentFactory(name="浙江省经济和信息化厅")


def _submitted(call: Call, recommender, group=None) -> Application:
    return submitted_application(call=call, group=group, recommender=recommender)


def _close_recommendations(call: Call) -> None:
    """Submission and recommendation deadlines both a little in the past."""
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


def _events(call: Call) -> list[tuple[str, int | None]]:
    return list(
        AuditEvent.objects.filter(action="call.recommender_extension", target_id=call.pk)
        .order_by("id")
        .values_list("note", "actor_id")
    )


# --- extend_recommendation_deadline ----------------------------------------------------------------
def test_extend_records_the_recommender_the_date_in_beijing_time_and_the_reason(secretariat, department):
    call = CallFactory(recommendation_deadline=datetime.datetime(2099, 5, 29, 17, 0, tzinfo=BEIJING))
    until = datetime.datetime(2099, 6, 5, 17, 30, tzinfo=BEIJING)

    extension = services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="省厅系统故障。", by=secretariat
    )

    assert (extension.call, extension.recommender, extension.until, extension.reason, extension.granted_by) == (
        call,
        department,
        until,
        "省厅系统故障。",
        secretariat,
    )
    assert _events(call) == [("浙江省经济和信息化厅: 2099-06-05 17:30\n省厅系统故障。", secretariat.pk)]


def test_extend_again_changes_the_recommenders_one_extension(secretariat, department):
    call = CallFactory()
    first, second = call.recommendation_deadline + DAY, call.recommendation_deadline + 2 * DAY

    services.extend_recommendation_deadline(call=call, recommender=department, until=first, reason="一", by=secretariat)
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=second, reason="二", by=secretariat
    )

    assert list(RecommenderExtension.objects.values_list("until", "reason")) == [(second, "二")]
    assert [note for note, _actor in _events(call)][1] == (
        f"{department.name}: {services.beijing(first)} → {services.beijing(second)}\n二"
    )


def test_extend_works_for_an_industry_delegate(secretariat):
    call = CallFactory()
    delegate = IndustryDelegateFactory()

    services.extend_recommendation_deadline(
        call=call, recommender=delegate, until=call.recommendation_deadline + DAY, reason="延期。", by=secretariat
    )

    assert RecommenderExtension.objects.get().recommender == delegate


@pytest.mark.parametrize(
    ("after_deadline", "reason", "errors"),
    [
        (datetime.timedelta(0), "延期。", {"until": ["An extension ends after the call's recommendation deadline"]}),
        (-DAY, "延期。", {"until": ["An extension ends after the call's recommendation deadline"]}),
        (DAY, " \n", {"reason": ["Give the reason for the extension."]}),
    ],
)
def test_extend_refuses_a_date_not_after_the_deadline_or_no_reason(
    secretariat, department, after_deadline, reason, errors
):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.extend_recommendation_deadline(
            call=call,
            recommender=department,
            until=call.recommendation_deadline + after_deadline,
            reason=reason,
            by=secretariat,
        )

    messages = {field: [m.split(" (")[0] for m in found] for field, found in raised.value.message_dict.items()}
    assert messages == errors
    assert (RecommenderExtension.objects.count(), _events(call)) == (0, [])


def test_extend_names_the_deadline_in_beijing_time(secretariat, department):
    call = CallFactory(recommendation_deadline=datetime.datetime(2099, 5, 29, 17, 0, tzinfo=BEIJING))

    with pytest.raises(ValidationError) as raised:
        services.extend_recommendation_deadline(
            call=call, recommender=department, until=call.recommendation_deadline, reason="延期。", by=secretariat
        )

    assert raised.value.message_dict == {
        "until": ["An extension ends after the call's recommendation deadline (2099-05-29 17:00)."]
    }


def test_extend_refuses_a_moment_already_past(secretariat, department):
    call = CallFactory()
    _close_recommendations(call)

    with pytest.raises(ValidationError) as raised:
        services.extend_recommendation_deadline(
            call=call,
            recommender=department,
            until=timezone.now() - datetime.timedelta(seconds=20),
            reason="延期。",
            by=secretariat,
        )

    assert raised.value.message_dict == {"until": ["An extension ends in the future."]}
    assert (RecommenderExtension.objects.count(), _events(call)) == (0, [])


def test_extend_refuses_an_organisation_that_does_not_recommend(secretariat):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.extend_recommendation_deadline(
            call=call,
            recommender=SocialGroupFactory(),
            until=call.recommendation_deadline + DAY,
            reason="延期。",
            by=secretariat,
        )

    assert raised.value.message_dict == {
        "recommender": ["Only a provincial department or an industry delegate recommends."]
    }
    assert RecommenderExtension.objects.count() == 0


@pytest.mark.parametrize("who", ["recommender", "applicant"])
def test_extend_by_anyone_but_the_secretariat_raises_permission_denied(department, who):
    call = CallFactory()
    actor = member_of(department) if who == "recommender" else member_of(SocialGroupFactory())

    with pytest.raises(PermissionDenied):
        services.extend_recommendation_deadline(
            call=call, recommender=department, until=call.recommendation_deadline + DAY, reason="延期。", by=actor
        )

    assert (RecommenderExtension.objects.count(), _events(call)) == (0, [])


def test_extended_recommender_decides_again_until_the_new_deadline_and_no_later(secretariat, department, monkeypatch):
    call = CallFactory()
    first, second = _submitted(call, department), _submitted(call, department)
    staff = member_of(department)
    _close_recommendations(call)
    with pytest.raises(workflow.TransitionRefused):
        workflow.recommend(first, by=staff, opinion="同意推荐。", rank=1)
    until = (timezone.now() + DAY).replace(microsecond=0)

    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="省厅系统故障。", by=secretariat
    )
    workflow.recommend(first, by=staff, opinion="同意推荐。", rank=1)
    monkeypatch.setattr(timezone, "now", lambda: until + datetime.timedelta(seconds=1))
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.decline(second, by=staff, reason="不予推荐。")

    assert Application.objects.get(pk=first.pk).status == S.RECOMMENDED
    assert Application.objects.get(pk=second.pk).status == S.SUBMITTED
    assert refused.value.message.startswith("The recommendation deadline ")


def test_extension_of_one_recommender_does_not_help_another(secretariat, department):
    call = CallFactory()
    other = ProvincialDepartmentFactory()
    application = _submitted(call, other)
    _close_recommendations(call)
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=timezone.now() + DAY, reason="延期。", by=secretariat
    )

    with pytest.raises(workflow.TransitionRefused):
        workflow.decline(application, by=member_of(other), reason="不予推荐。")

    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


def test_extended_recommender_lets_a_returned_group_resubmit(secretariat, department):
    call = CallFactory()
    application = _submitted(call, department)
    workflow.return_for_revision(application, by=member_of(department), reason="补充实施效果。")
    _close_recommendations(call)
    with pytest.raises(workflow.TransitionRefused):
        workflow.submit(application, by=application.created_by)

    services.extend_recommendation_deadline(
        call=call, recommender=department, until=timezone.now() + DAY, reason="延期。", by=secretariat
    )
    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submission_count) == (S.SUBMITTED, 2)


# --- deadline_of ------------------------------------------------------------------------------------
def test_deadline_of_a_submitted_application_shows_the_recommenders_extension_in_the_list(secretariat, department):
    call = CallFactory()
    extended, plain = _submitted(call, department), _submitted(call, ProvincialDepartmentFactory())
    until = call.recommendation_deadline + 3 * DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )

    rows = list_rows(
        secretariat, listed(list(application_search(user=secretariat, params={}).qs.values_list("pk", flat=True)))
    )

    deadlines = {row.application.pk: (row.deadline.label, row.deadline.at) for row in rows}
    assert deadlines == {
        extended.pk: ("Recommendation deadline", until),
        plain.pk: ("Recommendation deadline", call.recommendation_deadline),
    }


def test_deadline_of_without_the_annotation_reads_the_extension(secretariat, department):
    call = CallFactory()
    application = _submitted(call, department)
    until = call.recommendation_deadline + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )

    deadline = deadline_of(Application.objects.get(pk=application.pk), timezone.now())

    assert (deadline.label, deadline.at, deadline.passed) == ("Recommendation deadline", until, False)


def test_deadline_of_a_returned_application_on_the_dashboard_is_the_extended_one(secretariat, department):
    call = CallFactory()
    application = _submitted(call, department)
    workflow.return_for_revision(application, by=member_of(department), reason="补充实施效果。")
    until = call.recommendation_deadline + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )

    rows = waiting_for_applicant(application.created_by)

    assert [(row.deadline.label, row.deadline.at) for row in rows] == [("Resubmission deadline", until)]


# --- figures per recommender ---------------------------------------------------------------------------
@pytest.fixture
def stage(secretariat, department):
    """A call whose recommendation deadline has passed for `department` (everything decided before it) and
    not for `delegate`, which has its own quota and an extension; the formal check has begun."""
    call = CallFactory(default_quota=5)
    delegate = IndustryDelegateFactory(name="中国电子工业标准化技术协会")
    staff = member_of(department)
    undecided = _submitted(call, department)
    admitted, rejected, recommended = (_submitted(call, department) for _ in range(3))
    returned, declined, withdrawn = (_submitted(call, department) for _ in range(3))
    recommended_withdrawn = _submitted(call, department)
    make_application(call=call, complete=True, recommender=department)  # a draft: not received
    for rank, application in enumerate([admitted, rejected, recommended, recommended_withdrawn], start=1):
        workflow.recommend(application, by=staff, opinion="同意推荐。", rank=rank)
    workflow.return_for_revision(returned, by=staff, reason="补充。")
    workflow.decline(declined, by=staff, reason="不予推荐。")
    for application in (withdrawn, recommended_withdrawn):
        workflow.withdraw(application, by=application.created_by, reason="撤回。")
    waiting = _submitted(call, delegate)
    QuotaOverride.objects.create(call=call, recommender=delegate, quota=7)
    _close_recommendations(call)
    until = timezone.now() + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=delegate, until=until, reason="延期。", by=secretariat
    )
    workflow.admit(admitted, by=secretariat, note="材料齐全。")
    workflow.reject_ineligible(rejected, by=secretariat, reason="缺少标准文本。")
    return {"call": call, "delegate": delegate, "until": until, "undecided": undecided, "waiting": waiting}


def _figures(row: oversight.RecommenderRow) -> tuple:
    return (row.received, row.recommended, row.returned, row.declined, row.undecided, row.quota)


def test_recommender_rows_count_each_decision_and_the_quota(stage, department):
    call = stage["call"]

    rows = oversight.recommender_rows(call, timezone.now())

    # By kind (industry delegates, then provincial departments), then name, as the quota page lists them.
    assert [(row.recommender, _figures(row)) for row in rows] == [
        (stage["delegate"], (1, 0, 0, 0, 1, 7)),
        (department, (8, 3, 1, 1, 1, 5)),
    ]
    assert [(row.deadline, row.extended_until, row.passed) for row in rows] == [
        (stage["until"], stage["until"], False),
        (call.recommendation_deadline, None, True),
    ]


def test_recommender_overview_totals_and_lists_only_the_undecided_past_their_deadline(stage):
    overview = oversight.recommender_overview(stage["call"], timezone.now())

    assert overview.totals == oversight.Totals(received=9, recommended=3, returned=1, declined=1, undecided=2, quota=12)
    assert overview.undecided_late == [stage["undecided"]]


def test_recommender_rows_of_a_call_without_submissions_are_empty():
    call = CallFactory()
    make_application(call=call, complete=True)

    assert oversight.recommender_overview(call, timezone.now()) == oversight.RecommenderOverview([], oversight.Totals())


def test_recommender_rows_ask_two_queries_whatever_the_number_of_recommenders(stage, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = oversight.recommender_rows(stage["call"], timezone.now())

    assert len(rows) == 2


def test_inbox_counts_and_quota_used_agree_with_the_secretariats_figures(stage, department):
    call, staff = stage["call"], member_of(department)
    row = next(row for row in oversight.recommender_rows(call, timezone.now()) if row.recommender == department)

    counts = inbox_counts(inbox_applications(staff, [department]).filter(call=call))
    used = quota_rows(call, [department])[0].used

    assert (counts.received, counts.recommended, counts.returned, counts.declined, counts.undecided, used) == (
        row.received,
        row.recommended,
        row.returned,
        row.declined,
        row.undecided,
        row.recommended,
    )


def test_check_counts_and_rows_of_the_formal_check(stage, department):
    call, delegate = stage["call"], stage["delegate"]
    workflow.recommend(stage["waiting"], by=member_of(delegate), opinion="同意推荐。", rank=1)

    rows = oversight.check_rows(oversight.awaiting_formal_check(call), timezone.now())

    # Issue 10: of the two awaiting, the counts tell the one ready now from the one its recommender still holds.
    assert oversight.check_counts(call) == oversight.CheckCounts(
        awaiting=2, admitted=1, ineligible=1, ready=1, locked=1
    )
    assert {row.application.recommender: (row.opens_after, row.open) for row in rows} == {
        department: (call.recommendation_deadline, True),
        delegate: (stage["until"], False),
    }


def test_awaiting_formal_check_narrows_to_one_recommender(stage, department):
    call, delegate = stage["call"], stage["delegate"]
    workflow.recommend(stage["waiting"], by=member_of(delegate), opinion="同意推荐。", rank=1)

    listed = list(oversight.awaiting_formal_check(call, recommender=delegate))

    assert listed == [stage["waiting"]]
    assert list(oversight.check_recommenders(call).order_by("pk")) == sorted([department, delegate], key=lambda o: o.pk)
