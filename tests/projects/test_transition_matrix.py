"""(state × transition): a legal move writes exactly one audit row, an illegal one raises and writes nothing.

The transitions are discovered from `workflow.TRANSITIONS`, so a later stage's move joins the matrix by being
added to the table; it then needs a row in `CALLS` (who makes the move, with which arguments) and, for the
states it leads to, a row in `REACH`. The one making each move holds its right (`workflow.RIGHTS`), so an
illegal move is refused for its state (InvalidTransition) unless no one can hold the right yet (`NO_RIGHT_YET`).
"""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.models import AuditEvent, User
from projects import workflow
from projects.models import Application, ApplicationStatus
from publicity.services import notices
from tests.factories import (
    MinistryFactory,
    make_application,
    member_of,
    submitted_application,
)
from tests.publicity import factories as publicity_factories

pytestmark = pytest.mark.django_db
S = ApplicationStatus

TRANSITION_NAMES = sorted(set().union(*workflow.TRANSITIONS.values()))


def _draft() -> Application:
    return make_application(complete=True)


def _submitted() -> Application:
    return submitted_application()


def _recommended() -> Application:
    """Recommended by its recommender, whose deadline then passes: the formal check may begin."""
    application = _submitted()
    workflow.recommend(application, by=_recommender_staff(application), opinion="同意推荐。", rank=1)
    call = application.call
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])
    application.refresh_from_db()
    return application


def _returned() -> Application:
    application = _submitted()
    return workflow.return_for_revision(application, by=_recommender_staff(application), reason="补充实施效果的数据。")


def _not_recommended() -> Application:
    application = _submitted()
    return workflow.decline(application, by=_recommender_staff(application), reason="不符合本地区推荐条件。")


def _withdrawn() -> Application:
    # Withdrawn once submitted, so that its recommender holds its right (a draft's never does).
    application = _submitted()
    return workflow.withdraw(application, by=application.created_by, reason="重复申报。")


def _under_review() -> Application:
    return workflow.admit(_recommended(), by=_secretariat_staff(), note="材料齐全。")


def _ineligible() -> Application:
    return workflow.reject_ineligible(_recommended(), by=_secretariat_staff(), reason="标准实施不满六个月。")


def _shortlisted() -> Application:
    return workflow.shortlist(_under_review(), by=_secretariat_staff())


def _not_selected() -> Application:
    return workflow.not_select(_under_review(), by=_secretariat_staff())


def _in_publicity() -> Application:
    return publicity_factories.open_notice(count=1).applications.get()


def _announced() -> Application:
    return publicity_factories.closed_notice(count=1).applications.get()


def _notice_opening(application: Application) -> User:
    """For `open_notice`: a shortlisted application's call gets a notice scheduled and due (as the job finds it)."""
    if application.status == S.SHORTLISTED:
        notice = publicity_factories.prepared_notice_of(application.call)
        notices.schedule_notice(notice, by=notice.created_by)
        publicity_factories.move_window(notice, timezone.now() - datetime.timedelta(minutes=1))
    return _secretariat_staff()


def _notice_closing(application: Application) -> User:
    """For `close_notice`: an application in public notice has its window end (no objection holds it back)."""
    if application.status == S.IN_PUBLICITY:
        publicity_factories.end_window(application.notices.get())
    return _secretariat_staff()


# Each state reached through the real transitions, so its audit rows exist.
REACH: dict[str, Callable[[], Application]] = {
    S.DRAFT: _draft,
    S.SUBMITTED: _submitted,
    S.RETURNED: _returned,
    S.RECOMMENDED: _recommended,
    S.NOT_RECOMMENDED: _not_recommended,
    S.WITHDRAWN: _withdrawn,
    S.UNDER_REVIEW: _under_review,
    S.INELIGIBLE: _ineligible,
    S.SHORTLISTED: _shortlisted,
    S.NOT_SELECTED: _not_selected,
    S.IN_PUBLICITY: _in_publicity,
    S.ANNOUNCED: _announced,
}


def _recommender_staff(application: Application) -> User:
    return member_of(application.recommender)


def _secretariat_staff() -> User:
    return member_of(MinistryFactory())


# transition → the one who may make it and the arguments it takes.
CALLS: dict[str, Callable[[Application], tuple[User, dict[str, object]]]] = {
    "submit": lambda application: (application.created_by, {}),
    "withdraw": lambda application: (application.created_by, {"reason": "标准即将修订。"}),
    "return_for_revision": lambda application: (_recommender_staff(application), {"reason": "请补充证明材料。"}),
    "recommend": lambda application: (_recommender_staff(application), {"opinion": "同意推荐。", "rank": 1}),
    "decline": lambda application: (_recommender_staff(application), {"reason": "不予推荐。"}),
    "admit": lambda application: (_secretariat_staff(), {"note": "形式审查通过。"}),
    "reject_ineligible": lambda application: (_secretariat_staff(), {"reason": "缺少标准文本。"}),
    "shortlist": lambda application: (_secretariat_staff(), {}),
    "not_select": lambda application: (_secretariat_staff(), {}),
    "open_notice": lambda application: (_notice_opening(application), {}),
    "close_notice": lambda application: (_notice_closing(application), {}),
    "uphold_objection": lambda application: (_secretariat_staff(), {"finding": "经核实，实施企业数量不实。"}),
}


# The recommender's right comes with the first submission: on a draft no one may decide, so the move is
# refused for who asks (PermissionDenied) before its state is considered.
NO_RIGHT_YET = {(S.DRAFT, name) for name in ("return_for_revision", "recommend", "decline")}


def _cases() -> list:
    later = pytest.mark.skip(reason="reached by a later stage's transition")
    return [
        pytest.param(state.value, name, marks=() if state in REACH else later, id=f"{state.value}-{name}")
        for state in S
        for name in TRANSITION_NAMES
    ]


def _row(application: Application) -> tuple:
    application.refresh_from_db()
    return application.status, application.updated_at, application.submission_count, application.submitted_at


@pytest.mark.parametrize(("state", "name"), _cases())
def test_transition_from_state(state, name):
    if name not in CALLS:
        pytest.fail(f"workflow.{name} is in TRANSITIONS: add who makes it and with what to CALLS")
    application = REACH[state]()
    assert application.status == state
    actor, arguments = CALLS[name](application)
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    if name in workflow.TRANSITIONS.get(state, frozenset()):
        moved = getattr(workflow, name)(application, by=actor, **arguments)
        new = AuditEvent.objects.filter(id__gt=last_event).order_by("id")
        assert [(e.action, e.target_id, e.from_state, e.to_state, e.actor_id) for e in new] == [
            (f"application.{name}", str(application.pk), state, moved.status, actor.pk)
        ]
        assert (moved.status != state, _row(application)[0]) == (True, moved.status)
    else:
        before = _row(application)
        refusal = PermissionDenied if (state, name) in NO_RIGHT_YET else workflow.InvalidTransition
        with pytest.raises(refusal):
            getattr(workflow, name)(application, by=actor, **arguments)
        assert (AuditEvent.objects.filter(id__gt=last_event).count(), _row(application)) == (0, before)


def test_transition_table_names_only_statuses_and_public_functions():
    assert set(workflow.TRANSITIONS) <= set(S)
    assert [name for name in TRANSITION_NAMES if not callable(getattr(workflow, name, None))] == []


def test_every_transition_names_its_right():
    assert sorted(workflow.RIGHTS) == TRANSITION_NAMES


def test_transition_table_every_state_it_leaves_is_reached_or_awaits_a_later_stage():
    # Every state with a move out of it is reached through the real transitions (issue 5 added `returned`).
    awaiting_later_stage: set[str] = set()
    assert set(workflow.TRANSITIONS) - set(REACH) == awaiting_later_stage
