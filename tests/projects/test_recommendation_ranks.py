"""Reordering a recommender's recommendations in a call (`projects.services.recommendation`).

A reorder changes only the ranks, up to the recommender's own deadline; every refusal leaves the database as it was.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects import rules, workflow
from projects.models import Application, ApplicationStatus, RecommenderExtension
from projects.services.calls import extend_recommendation_deadline
from projects.services.recommendation import reorder_recommendations
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    UserFactory,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(province="330000")


@pytest.fixture
def recommender(department):
    return member_of(department)


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


def _submitted(call, department) -> Application:
    return submitted_application(call=call, recommender=department, same_province=True)


@pytest.fixture
def recommended(call, department, recommender) -> list[Application]:
    """Two recommended applications, ranked 1 and 2."""
    applications = [_submitted(call, department) for _ in range(2)]
    for rank, application in enumerate(applications, start=1):
        workflow.recommend(application, by=recommender, opinion=f"同意推荐，排序第{rank}。", rank=rank)
    return applications


def _state(applications) -> tuple:
    """What a refusal must leave alone: every column of the applications and the audit log's length."""
    rows = list(Application.objects.filter(pk__in=[a.pk for a in applications]).order_by("pk").values())
    return rows, AuditEvent.objects.count()


def _ranks(applications) -> list[int | None]:
    by_pk = dict(Application.objects.values_list("pk", "recommendation_rank"))
    return [by_pk[application.pk] for application in applications]


def _close(call) -> None:
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


# --- accepted ----------------------------------------------------------------------------------------
def test_reorder_swaps_two_ranks_and_audits_each_change(call, department, recommender, recommended):
    first, second = recommended
    before = {row["id"]: row for row in Application.objects.filter(pk__in=[first.pk, second.pk]).values()}

    reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=recommender)

    assert _ranks(recommended) == [2, 1]
    events = AuditEvent.objects.filter(action="recommendation.reorder").order_by("pk")
    assert [(event.target_id, event.note, event.actor_id) for event in events] == [
        (str(first.pk), "1 → 2", recommender.pk),
        (str(second.pk), "2 → 1", recommender.pk),
    ]
    # Only the rank moves: not the status, the opinion or the time of the last change.
    after = {row["id"]: row for row in Application.objects.filter(pk__in=[first.pk, second.pk]).values()}
    assert {pk: {**row, "recommendation_rank": None} for pk, row in after.items()} == {
        pk: {**row, "recommendation_rank": None} for pk, row in before.items()
    }


def test_reorder_audits_only_the_applications_whose_rank_changed(call, department, recommender, recommended):
    first, second = recommended

    reorder_recommendations(call=call, recommender=department, ranks={first.pk: 1, second.pk: 3}, by=recommender)

    assert _ranks(recommended) == [1, 3]
    notes = list(AuditEvent.objects.filter(action="recommendation.reorder").values_list("target_id", "note"))
    assert notes == [(str(second.pk), "2 → 3")]


def test_reorder_within_the_recommenders_extension_is_accepted(call, department, recommender, recommended):
    first, second = recommended
    _close(call)
    RecommenderExtension.objects.create(
        call=call,
        recommender=department,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="材料补充",
        granted_by=UserFactory(),
    )

    reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=recommender)

    assert _ranks(recommended) == [2, 1]


# --- refused -----------------------------------------------------------------------------------------
def _refused_ranks(first, second, third) -> dict[str, tuple[dict, str]]:
    return {
        "duplicate": (
            {first.pk: 1, second.pk: 1},
            "Rank 1 is given to more than one application: give each a different rank.",
        ),
        "above the quota": ({first.pk: 4, second.pk: 1}, "Each rank must be a whole number from 1 to 3."),
        "zero": ({first.pk: 0, second.pk: 1}, "Each rank must be a whole number from 1 to 3."),
        "not a number": ({first.pk: True, second.pk: 2}, "Each rank must be a whole number from 1 to 3."),
        "missing": (
            {first.pk: 2},
            "The recommended applications changed meanwhile: reload the page and rank them again.",
        ),
        "not recommended": (
            {first.pk: 2, second.pk: 1, third.pk: 3},
            "The recommended applications changed meanwhile: reload the page and rank them again.",
        ),
    }


@pytest.mark.parametrize("case", ["duplicate", "above the quota", "zero", "not a number", "missing", "not recommended"])
def test_reorder_refuses_bad_ranks_and_changes_nothing(call, department, recommender, recommended, case):
    third = _submitted(call, department)  # submitted, not recommended
    ranks, message = _refused_ranks(*recommended, third)[case]
    before = _state([*recommended, third])

    with pytest.raises(ValidationError) as refusal:
        reorder_recommendations(call=call, recommender=department, ranks=ranks, by=recommender)

    assert refusal.value.messages == [message]
    assert _state([*recommended, third]) == before


def test_reorder_refuses_an_application_of_another_recommender(call, department, recommender, recommended):
    first, second = recommended
    other_department = ProvincialDepartmentFactory(province="320000")
    other = _submitted(call, other_department)
    workflow.recommend(other, by=member_of(other_department), opinion="同意推荐。", rank=1)
    before = _state([first, second, other])

    with pytest.raises(ValidationError):
        reorder_recommendations(
            call=call, recommender=department, ranks={first.pk: 2, second.pk: 1, other.pk: 3}, by=recommender
        )

    assert _state([first, second, other]) == before


def test_reorder_after_the_deadline_is_refused_with_beijing_time(call, department, recommender, recommended):
    first, second = recommended
    _close(call)
    before = _state(recommended)

    with pytest.raises(ValidationError) as refusal:
        reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=recommender)

    [message] = refusal.value.messages
    assert message.startswith("The recommendation deadline ")
    assert message.endswith(" (Beijing time) has passed: the ranks can no longer be changed.")
    assert _state(recommended) == before


@pytest.mark.parametrize("who", ["applicant", "other department", "secretariat", "stranger"])
def test_reorder_by_someone_not_acting_for_the_recommender_is_denied(call, department, recommended, who):
    first, second = recommended
    by = {
        "applicant": first.created_by,
        "other department": member_of(ProvincialDepartmentFactory(province="320000")),
        "secretariat": member_of(MinistryFactory()),
        "stranger": UserFactory(),
    }[who]
    before = _state(recommended)

    with pytest.raises(PermissionDenied):
        reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=by)

    assert _state(recommended) == before


# --- after the formal check has decided on some (an extension that follows an admission) ----------------
@pytest.fixture
def admitted_then_extended(call, department, recommended):
    """A (rank 1) admitted and B (rank 2) still recommended, the deadline passed, then the department's
    deadline extended for the two applications it had left undecided: the ranks page and recommending reopen."""
    secretariat = member_of(MinistryFactory())
    first, second = recommended
    undecided = [_submitted(call, department) for _ in range(2)]
    _close(call)
    workflow.admit(first, by=secretariat, note="材料齐全。")
    extend_recommendation_deadline(
        call=call,
        recommender=department,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="补充材料。",
        by=secretariat,
    )
    return first, second, *undecided


def _counted_ranks(call, department) -> list[tuple[int, str, int]]:
    """(application, status, rank) of every recommendation that counts, in rank order."""
    return list(
        Application.objects.filter(rules.COUNTS_AS_RECOMMENDED, call=call, recommender=department)
        .order_by("recommendation_rank", "pk")
        .values_list("pk", "status", "recommendation_rank")
    )


def test_reorder_refuses_the_rank_of_an_admitted_recommendation(call, department, recommender, admitted_then_extended):
    first, second, *_undecided = admitted_then_extended
    before = _state([first, second])

    with pytest.raises(ValidationError) as refusal:
        reorder_recommendations(call=call, recommender=department, ranks={second.pk: 1}, by=recommender)

    assert refusal.value.messages == [
        f"Rank 1 stays with {first}, which the formal check has decided on: give another rank."
    ]
    assert _state([first, second]) == before


def test_reorder_moves_what_is_still_recommended_around_an_admitted_rank(
    call, department, recommender, admitted_then_extended
):
    first, second, *_undecided = admitted_then_extended

    reorder_recommendations(call=call, recommender=department, ranks={second.pk: 3}, by=recommender)

    assert _counted_ranks(call, department) == [(first.pk, "under_review", 1), (second.pk, "recommended", 3)]


def test_reorder_may_not_move_an_admitted_recommendation(call, department, recommender, admitted_then_extended):
    first, second, *_undecided = admitted_then_extended
    before = _state([first, second])

    with pytest.raises(ValidationError) as refusal:
        reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=recommender)

    assert refusal.value.messages == [
        "The recommended applications changed meanwhile: reload the page and rank them again."
    ]
    assert _state([first, second]) == before


def test_reorder_refuses_the_rank_of_a_recommendation_found_ineligible(call, department, recommender, recommended):
    secretariat = member_of(MinistryFactory())
    first, second = recommended
    _close(call)
    workflow.reject_ineligible(second, by=secretariat, reason="标准实施不满六个月。")
    extend_recommendation_deadline(
        call=call,
        recommender=department,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="补充。",
        by=secretariat,
    )
    before = _state([first, second])

    with pytest.raises(ValidationError) as refusal:
        reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2}, by=recommender)

    assert refusal.value.messages == [
        f"Rank 2 stays with {second}, which the formal check has decided on: give another rank."
    ]
    assert _state([first, second]) == before


def test_recommend_during_the_extension_takes_a_rank_no_admitted_one_holds(
    call, department, recommender, admitted_then_extended
):
    first, second, late, _other = admitted_then_extended

    with pytest.raises(workflow.TransitionRefused) as refusal:
        workflow.recommend(late, by=recommender, opinion="补充推荐。", rank=1)
    refused = _counted_ranks(call, department)
    workflow.recommend(late, by=recommender, opinion="补充推荐。", rank=3)

    assert refusal.value.message == f"Rank 1 is already given to {first}."
    assert refused == [(first.pk, "under_review", 1), (second.pk, "recommended", 2)]
    assert _counted_ranks(call, department) == [
        (first.pk, "under_review", 1),
        (second.pk, "recommended", 2),
        (late.pk, "recommended", 3),
    ]


def test_recommend_during_the_extension_counts_the_admitted_against_the_quota(
    call, department, recommender, admitted_then_extended
):
    _first, _second, *late = admitted_then_extended
    workflow.recommend(late[0], by=recommender, opinion="补充推荐。", rank=3)

    with pytest.raises(workflow.TransitionRefused) as refusal:
        workflow.recommend(late[1], by=recommender, opinion="再补充推荐。", rank=4)

    assert refusal.value.message == "The quota of 3 recommendations in this call is used up."
    assert Application.objects.get(pk=late[1].pk).status == "submitted"


def test_ranks_stay_unique_among_what_counts_through_an_extension(
    call, department, recommender, admitted_then_extended
):
    first, second, late, _other = admitted_then_extended
    workflow.recommend(late, by=recommender, opinion="补充推荐。", rank=3)
    reorder_recommendations(call=call, recommender=department, ranks={second.pk: 3, late.pk: 2}, by=recommender)
    for ranks in ({second.pk: 1, late.pk: 2}, {second.pk: 2, late.pk: 1}):
        with pytest.raises(ValidationError):
            reorder_recommendations(call=call, recommender=department, ranks=ranks, by=recommender)

    ranks = [rank for _pk, _status, rank in _counted_ranks(call, department)]
    assert ranks == [1, 2, 3]
    assert _counted_ranks(call, department) == [
        (first.pk, "under_review", 1),
        (late.pk, "recommended", 2),
        (second.pk, "recommended", 3),
    ]


def test_the_database_refuses_a_rank_held_by_an_admitted_recommendation():
    department, call = ProvincialDepartmentFactory(), CallFactory()
    first, second = (submitted_application(call=call, recommender=department, same_province=True) for _ in range(2))
    staff = member_of(department)
    workflow.recommend(first, by=staff, opinion="同意推荐", rank=1)
    workflow.recommend(second, by=staff, opinion="同意推荐", rank=2)
    # As the formal check leaves it; the constraint itself is under test, so the row is set directly.
    Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.UNDER_REVIEW)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=second.pk).update(recommendation_rank=1)
