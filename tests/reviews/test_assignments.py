"""Assigning experts (分配): by hand, by the solver's proposal (with a reproducible draw), and ending assignments."""

import datetime
import json
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal.models import AuditEvent, Notification, User
from projects.models import Application, ApplicationStatus
from reviews.assignment.solver import Infeasible
from reviews.models import Assignment, AssignmentStatus, Expert, ExpertField, ReviewSettings
from reviews.services import assignments as services
from reviews.services import experts as expert_services
from standards.models import GroupStandard
from tests.factories import (
    CallFactory,
    ExpertFactory,
    MinistryFactory,
    SocialGroupFactory,
    admitted_applications,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
VIEW, REVIEW = services.RIGHTS


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def _expert(*fields: str, **kwargs) -> Expert:
    expert = ExpertFactory(**kwargs)
    for field in fields:
        expert.expertise.create(field=field)
    return expert


def _reasons(error) -> list[str]:
    return error.value.messages


# --- by hand ------------------------------------------------------------------------------------------
def test_assign_grants_view_and_review_and_audits(secretariat, django_capture_on_commit_callbacks):
    application = admitted_applications()[0]
    expert = _expert("electronics")

    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assign(application, expert, by=secretariat)

    assert (assignment.status, assignment.assigned_by) == (AssignmentStatus.ACTIVE, secretariat)
    assert (expert.user.has_perm(VIEW, application), expert.user.has_perm(REVIEW, application)) == (True, True)
    assert AuditEvent.objects.filter(action="assignment.assign").count() == 1
    assert list(Notification.objects.filter(recipient=expert.user).values_list("subject", flat=True)) == [
        "请您评审 1 项申报"  # composed in the portal's language
    ]


def test_assign_refuses_a_conflict_with_its_reason(secretariat):
    application = admitted_applications()[0]
    expert = _expert("electronics", user__name="张三", organisation=application.recommender)

    with pytest.raises(ValidationError) as error:
        services.assign(application, expert, by=secretariat)

    assert _reasons(error) == [
        f"张三's affiliation {application.recommender.name} is the recommender of {application.standard.display_number}"
    ]
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("case", ["field", "inactive", "load", "status", "k", "twice"])
def test_assign_refuses_what_the_rules_forbid(secretariat, case):
    application, other = admitted_applications(count=2)
    expert = _expert("equipment" if case == "field" else "electronics", user__name="张三")
    number = application.standard.display_number
    if case == "inactive":
        Expert.objects.filter(pk=expert.pk).update(is_active=False)
    if case == "load":
        ReviewSettings.objects.create(call=application.call, max_load=1)
        services.assign(other, expert, by=secretariat)
    if case == "status":
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SHORTLISTED)
    if case == "k":
        ReviewSettings.objects.create(call=application.call, reviews_per_application=1)
        services.assign(application, _expert("electronics"), by=secretariat)
    if case == "twice":
        services.assign(application, expert, by=secretariat)
    expected = {
        "field": f"张三 does not review in the field Electronic information of {number}",
        "inactive": "张三 is no longer active in the pool",
        "load": "张三 already holds the maximum load of 1 reviews in this call",
        "status": f"{number} is not under expert review in this call",
        "k": f"{number} has its 1 experts already",
        "twice": f"张三 is assigned to {number} already",
    }

    with pytest.raises(ValidationError) as error:
        services.assign(application, expert, by=secretariat)

    assert _reasons(error) == [expected[case]]


def test_unassign_revokes_the_rights_and_keeps_the_row(secretariat):
    application = admitted_applications()[0]
    expert = _expert("electronics")
    assignment = services.assign(application, expert, by=secretariat)

    services.unassign(assignment, by=secretariat, reason="工作调整")

    assignment.refresh_from_db()
    expert.user = User.objects.get(pk=expert.user_id)  # a fresh user: guardian caches the rights it read
    assert (assignment.status, assignment.end_reason) == (AssignmentStatus.REMOVED, "工作调整")
    assert (expert.user.has_perm(VIEW, application), expert.user.has_perm(REVIEW, application)) == (False, False)
    assert AuditEvent.objects.filter(action="assignment.unassign").count() == 1


def test_unassign_without_reason_is_refused(secretariat):
    assignment = services.assign(admitted_applications()[0], _expert("electronics"), by=secretariat)

    with pytest.raises(ValidationError):
        services.unassign(assignment, by=secretariat, reason=" ")

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_decline_is_the_experts_own_revokes_and_tells_the_secretariat(secretariat, django_capture_on_commit_callbacks):
    application = admitted_applications()[0]
    expert = _expert("electronics", user__name="张三")
    assignment = services.assign(application, expert, by=secretariat)
    with pytest.raises(PermissionDenied):
        services.decline(assignment, by=_expert("electronics").user, reason="原单位")

    with django_capture_on_commit_callbacks(execute=True):
        services.decline(assignment, by=expert.user, reason="曾在申报单位任职")

    assignment.refresh_from_db()
    assert (assignment.status, assignment.end_reason) == (AssignmentStatus.DECLINED, "曾在申报单位任职")
    assert User.objects.get(pk=expert.user_id).has_perm(VIEW, application) is False
    assert list(Notification.objects.filter(recipient=secretariat).values_list("subject", flat=True)) == [
        f"张三 声明存在利益冲突：{application}"
    ]
    with pytest.raises(ValidationError) as error:
        services.assign(application, expert, by=secretariat)
    assert _reasons(error) == [f"张三 declined {application.standard.display_number}, declaring a conflict of interest"]


def test_a_declined_pair_is_never_proposed_and_a_replacement_is(secretariat):
    application = admitted_applications()[0]
    ReviewSettings.objects.create(call=application.call, reviews_per_application=2)
    first, second, third = (_expert("electronics") for _ in range(3))
    services.assign(application, first, by=secretariat)
    declined = services.assign(application, second, by=secretariat)
    services.decline(declined, by=second.user, reason="利益相关")

    replacement = services.replacement_for(declined)

    assert replacement.pairs == ((application.pk, third.pk),)


def test_replacement_says_why_there_is_none(secretariat):
    application = admitted_applications()[0]
    ReviewSettings.objects.create(call=application.call, reviews_per_application=1)
    only = _expert("electronics")
    declined = services.assign(application, only, by=secretariat)
    services.decline(declined, by=only.user, reason="利益相关")

    with pytest.raises(Infeasible) as refusal:
        services.replacement_for(declined)

    assert refusal.value.reasons == [
        f"{application.standard.display_number} (electronics): the only expert in that field is in conflict; "
        "1 are needed"
    ]


# --- proposals on a generated call of 300 applications and 60 experts -----------------------------------
FIELDS = ["electronics", "equipment", "communications"]


def _generated_call(n_applications: int = 300, n_experts: int = 60):
    """A call with `n_applications` under review in three fields, and `n_experts` experts (two fields each),
    some affiliated with an applicant group. Made in bulk: the workflow's way takes minutes for 300, and the
    solver reads only rows (the transitions are tested in tests/projects)."""
    call = CallFactory()
    groups = [SocialGroupFactory() for _ in range(10)]
    profiles = [profile_of(group) for group in groups]
    author = member_of(groups[0])
    standards = GroupStandard.objects.bulk_create(
        GroupStandard(
            number=f"T/GEN{n % 10} {n + 1}-2020",
            number_as_typed=f"T/GEN{n % 10} {n + 1}—2020",
            title_zh=f"生成标准 {n}",
            issuer=profiles[n % 10],
            publication_date=datetime.date(2020, 1, 1),
            implementation_date=datetime.date(2020, 2, 1),
        )
        for n in range(n_applications)
    )
    Application.objects.bulk_create(
        Application(
            call=call,
            group=groups[n % 10],
            standard=standard,
            status=ApplicationStatus.UNDER_REVIEW,
            industry_field=FIELDS[n % 3],
            created_by=author,
            submission_count=1,
        )
        for n, standard in enumerate(standards)
    )
    users = User.objects.bulk_create(
        User(username=f"gen-expert-{n}", name=f"专家{n:02d}", email=f"gen{n}@example.cn") for n in range(n_experts)
    )
    experts = Expert.objects.bulk_create(
        Expert(user=user, affiliation=f"研究院{n}", organisation=groups[n % 10] if n % 6 == 0 else None)
        for n, user in enumerate(users)
    )
    ExpertField.objects.bulk_create(
        ExpertField(expert=expert, field=field)
        for n, expert in enumerate(experts)
        for field in (FIELDS[n % 3], FIELDS[(n + 1) % 3])
    )
    return call


def test_propose_300_applications_60_experts_exactly_k_without_conflict_balanced(secretariat):
    call = _generated_call()
    ReviewSettings.objects.create(call=call, reviews_per_application=5, max_load=30)

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        proposal = services.propose(call)
    elapsed = time.perf_counter() - started
    print(f"propose 300 × 60: {elapsed:.2f} s, {len(queries)} queries")  # noqa: T201 - the measure, with -s

    applications = {a.pk: a for a in Application.objects.filter(call=call).select_related("group")}
    experts = {e.pk: e for e in Expert.objects.prefetch_related("expertise")}
    per_application = dict.fromkeys(applications, 0)
    for paper, expert in proposal.pairs:
        per_application[paper] += 1
        assert applications[paper].industry_field in experts[expert].field_codes
        assert experts[expert].organisation_id != applications[paper].group_id
    loads = [proposal.loads[pk] for pk in experts]
    assert set(per_application.values()) == {5}
    assert max(loads) - min(loads) <= 1
    assert max(loads) <= 30
    assert len(queries) < 20
    assert elapsed < 10


def test_the_same_seed_on_the_same_data_gives_the_same_draw():
    call = _generated_call(60, 20)

    first = services.propose(call, seed=20261202)
    again = services.propose(call, seed=20261202)
    other = services.propose(call, seed=7)
    plain = services.propose(call)

    assert (first.pairs, first.seed) == (again.pairs, 20261202)
    assert other.pairs != first.pairs
    assert plain.seed is None


def test_a_draw_without_seed_picks_one_and_confirm_records_it(secretariat, django_capture_on_commit_callbacks):
    call = _generated_call(30, 12)
    ReviewSettings.objects.create(call=call, reviews_per_application=3)
    proposal = services.propose(call, draw=True)

    with django_capture_on_commit_callbacks(execute=True):
        created = services.confirm(call, proposal, by=secretariat)

    event = AuditEvent.objects.get(action="assignment.confirm")
    assert proposal.seed is not None
    assert json.loads(event.note)["seed"] == proposal.seed
    assert {assignment.seed for assignment in created} == {proposal.seed}
    assert services.propose(call, seed=proposal.seed).pairs == ()  # everything is assigned now
    assigned = {expert for _, expert in proposal.pairs}
    # Each expert is told once, whatever the number of applications.
    assert Notification.objects.filter(key__startswith="assignment:").count() == len(assigned)
    some = created[0]
    assert some.expert.user.has_perm(REVIEW, some.application)


def test_confirm_rechecks_what_moved_since_the_proposal(secretariat):
    call = _generated_call(6, 6)
    ReviewSettings.objects.create(call=call, reviews_per_application=1)
    proposal = services.propose(call)
    paper, expert_id = proposal.pairs[0]
    expert = Expert.objects.select_related("user").get(pk=expert_id)
    application = Application.objects.get(pk=paper)
    Expert.objects.filter(pk=expert_id).update(organisation=application.group)

    with pytest.raises(ValidationError) as error:
        services.confirm(call, proposal, by=secretariat)

    assert _reasons(error)[0].startswith(f"{expert.user.get_full_name()}'s affiliation {application.group.name}")
    assert Assignment.objects.count() == 0


def test_propose_for_a_panel_uses_its_members_and_its_field(secretariat):
    call = _generated_call(9, 9)
    panel = expert_services.create_panel(call=call, field="equipment", name="装备组")
    members = [e for e in Expert.objects.prefetch_related("expertise") if "equipment" in e.field_codes][:3]
    for member in members:
        expert_services.add_panel_member(panel=panel, expert=member)
    ReviewSettings.objects.create(call=call, reviews_per_application=2)

    proposal = services.propose(call, panel)

    fields = set(Application.objects.filter(pk__in=[p for p, _ in proposal.pairs]).values_list("industry_field"))
    assert fields == {("equipment",)}
    assert {expert for _, expert in proposal.pairs} <= {member.pk for member in members}


def test_propose_says_why_it_is_infeasible():
    call = _generated_call(3, 2)
    ReviewSettings.objects.create(call=call, reviews_per_application=5)

    with pytest.raises(Infeasible) as refusal:
        services.propose(call)

    assert any("experts in that field are free of conflicts; 5 are needed" in r for r in refusal.value.reasons)


def test_start_proposal_of_a_large_call_runs_as_a_task(settings, django_capture_on_commit_callbacks):
    settings.ASSIGN_INLINE_LIMIT = 5
    call = _generated_call(12, 9)
    ReviewSettings.objects.create(call=call, reviews_per_application=2)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        token = services.start_proposal(call, draw=True)
    assert services.read_proposal(token)["state"] == "queued"
    for callback in callbacks:
        callback()  # the eager Celery task

    state = services.read_proposal(token)
    assert state["state"] == "done"
    assert len(state["pairs"]) == 24
    assert services.proposal_of(state).pairs == services.propose(call, seed=state["seed"]).pairs


def test_run_proposal_twice_changes_nothing():
    call = _generated_call(6, 6)
    ReviewSettings.objects.create(call=call, reviews_per_application=1)
    token = services.start_proposal(call, seed=3)
    first = services.read_proposal(token)

    assert services.run_proposal(token) == first
    assert timezone.now()


def test_a_proposal_that_fails_says_so_instead_of_running_for_ever(monkeypatch):
    call = _generated_call(3, 3)
    token = services.start_proposal(call, seed=1)
    services._write(token, {**services.read_proposal(token), "state": "queued"})

    def broken(*args, **kwargs):
        raise RuntimeError("min-cost flow failed")

    monkeypatch.setattr(services, "propose", broken)
    with pytest.raises(RuntimeError):
        services.run_proposal(token)

    state = services.read_proposal(token)
    assert (state["state"], state["reasons"]) == (
        "infeasible",
        ["The proposal could not be computed (the error is logged): propose again."],
    )
