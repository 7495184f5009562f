"""Who may see, edit and withdraw an application, per actor and state; who may apply and manage calls."""

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.models import User
from projects import permissions, workflow
from projects.models import Application, ApplicationStatus
from projects.services.applications import save_claim
from tests.factories import (
    ExpertFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
ACTORS = ["anonymous", "applicant", "other_applicant", "recommender", "other_recommender", "expert", "secretariat"]


def _reach(state: str, group, department) -> Application:
    """The application in `state`, through the real transitions."""
    if state == S.RECOMMENDED:  # in this stage only a ministry-managed group's submission gets there
        group.ministry_managed = True
        group.save()
        application = make_application(group=group, complete=True)
    else:
        application = make_application(group=group, complete=True, recommender=department)
    if state in {S.SUBMITTED, S.RECOMMENDED, S.WITHDRAWN, S.RETURNED}:
        workflow.submit(application, by=application.created_by)
    if state == S.RETURNED:
        workflow.return_for_revision(application, by=member_of(department), reason="请补充实施效果。")
    if state == S.WITHDRAWN:
        workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")
    application.refresh_from_db()
    assert application.status == state
    return application


@pytest.fixture
def world():
    group = SocialGroupFactory()
    department = ProvincialDepartmentFactory(province=group.province)
    users = {
        "anonymous": AnonymousUser(),
        "applicant": member_of(group),
        "other_applicant": member_of(SocialGroupFactory()),
        "recommender": member_of(department),
        "other_recommender": member_of(ProvincialDepartmentFactory(province=group.province)),
        "expert": ExpertFactory().user,
        "secretariat": member_of(MinistryFactory()),
    }
    return group, department, users


def _rights(application: Application, user) -> tuple[bool, bool, bool]:
    if user.is_authenticated:
        user = User.objects.get(pk=user.pk)  # no permission cache from an earlier check
    return (
        permissions.can_view(user, application),
        permissions.can_edit(user, application),
        permissions.can_withdraw(user, application),
    )


NOTHING = (False, False, False)
SEE = (True, False, False)
# state → actor → (can_view, can_edit, can_withdraw); actors not named get NOTHING. A draft is its group's own
# until it is first submitted; from then on the recommender and the secretariat see it, returned or withdrawn.
EXPECTED = {
    S.DRAFT: {"applicant": (True, True, True)},
    S.SUBMITTED: {"applicant": (True, False, True), "recommender": SEE, "secretariat": SEE},
    S.RETURNED: {"applicant": (True, True, True), "recommender": SEE, "secretariat": SEE},
    # A ministry-managed group's application has no recommender: the department sees nothing.
    S.RECOMMENDED: {"applicant": (True, False, True), "secretariat": SEE},
    S.WITHDRAWN: {"applicant": SEE, "recommender": SEE, "secretariat": SEE},
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_rights_per_actor_and_state(world, state):
    group, department, users = world
    application = _reach(state, group, department)

    rights = {actor: _rights(application, users[actor]) for actor in ACTORS}

    assert rights == {actor: EXPECTED[state].get(actor, NOTHING) for actor in ACTORS}


def test_rights_of_a_draft_withdrawn_before_any_submission_are_its_groups_alone(world):
    group, department, users = world
    application = _reach(S.DRAFT, group, department)
    workflow.withdraw(application, by=application.created_by, reason="暂不申报。")
    application.refresh_from_db()

    rights = {actor: _rights(application, users[actor]) for actor in ACTORS}

    assert rights == {actor: SEE if actor == "applicant" else NOTHING for actor in ACTORS}


def _may(application: Application, user) -> tuple[bool, bool, bool, bool]:
    if user.is_authenticated:
        user = User.objects.get(pk=user.pk)
    return (
        permissions.may_submit(user, application),
        permissions.may_withdraw(user, application),
        permissions.may_decide(user, application),
        permissions.may_check_formally(user, application),
    )


# actor → (may_submit, may_withdraw, may_decide, may_check_formally) once submitted: whatever the state, each
# right belongs to one actor; the state decides only when they may use it.
MAY = {
    "applicant": (True, True, False, False),
    "recommender": (False, False, True, False),
    "secretariat": (False, False, False, True),
}


@pytest.mark.parametrize("state", [S.SUBMITTED, S.RETURNED, S.WITHDRAWN])
def test_may_names_each_moves_actor_whatever_the_state(world, state):
    group, department, users = world
    application = _reach(state, group, department)

    rights = {actor: _may(application, users[actor]) for actor in ACTORS}

    assert rights == {actor: MAY.get(actor, (False, False, False, False)) for actor in ACTORS}


def test_may_decide_needs_a_recommender(world):
    group, department, users = world
    application = _reach(S.RECOMMENDED, group, department)  # a ministry-managed group's: no recommender

    assert [permissions.may_decide(users[actor], application) for actor in ACTORS] == [False] * len(ACTORS)


def test_may_decide_belongs_to_the_recommender_named_now(world):
    group, department, users = world
    application = _reach(S.RETURNED, group, department)
    delegate = IndustryDelegateFactory()
    save_claim(
        application=application,
        by=users["applicant"],
        claims=application.claimed_types,
        industry_field=application.industry_field,
        recommender=delegate,
    )
    workflow.submit(application, by=users["applicant"])
    application.refresh_from_db()

    decides = [permissions.can_recommend(user, application) for user in (users["recommender"], member_of(delegate))]

    assert (decides, permissions.can_view(users["recommender"], application)) == ([False, True], True)


def test_rights_states_match_the_transition_table():
    # The predicates hold their own copy of the states (permissions may not import workflow): keep them equal.
    def states_allowing(name: str) -> frozenset[str]:
        return frozenset(state for state, moves in workflow.TRANSITIONS.items() if name in moves)

    assert (states_allowing("submit"), states_allowing("withdraw")) == (permissions.EDITABLE, permissions.WITHDRAWABLE)


def test_can_edit_and_withdraw_accept_no_user(world):
    group, department, _users = world
    application = _reach(S.DRAFT, group, department)

    assert (permissions.can_edit(None, application), permissions.can_withdraw(None, application)) == (False, False)


def test_can_apply_only_for_an_active_social_group_one_acts_for():
    group, inactive = SocialGroupFactory(), SocialGroupFactory(is_active=False)
    department = ProvincialDepartmentFactory()
    staff, inactive_staff, department_staff = member_of(group), member_of(inactive), member_of(department)

    assert [
        permissions.can_apply(staff, group),
        permissions.can_apply(member_of(SocialGroupFactory()), group),
        permissions.can_apply(AnonymousUser(), group),
        permissions.can_apply(inactive_staff, inactive),
        permissions.can_apply(department_staff, department),
    ] == [True, False, False, False, False]


def test_can_manage_calls_only_the_secretariat():
    assert [
        permissions.can_manage_calls(member_of(MinistryFactory())),
        permissions.can_manage_calls(member_of(SocialGroupFactory())),
        permissions.can_manage_calls(member_of(ProvincialDepartmentFactory())),
        permissions.can_manage_calls(AnonymousUser()),
    ] == [True, False, False, False]


def test_acts_for_needs_a_membership_of_an_active_organisation():
    group = SocialGroupFactory()
    staff = member_of(group)
    before = permissions.acts_for(staff, group)
    group.is_active = False
    group.save()

    assert (before, permissions.acts_for(staff, group), permissions.acts_for(AnonymousUser(), group)) == (
        True,
        False,
        False,
    )
