"""The secretariat's formal check (形式审查) and the outcome of the expert review (专家评审)."""

from datetime import datetime

from django.utils.translation import gettext as _

from portal.models import User
from projects import rules
from projects.models import Application
from projects.workflow.applying import _beijing
from projects.workflow.core import S, TransitionRefused, _Effects, _move, _require

# --- the secretariat's formal check (形式审查) -------------------------------------------------------------
# Of recommended applications, once their recommender can no longer reorder them (its deadline passed), or at
# once for a ministry-managed group's, which has no recommender. The reasons of a rejection go to the group.


def _check_formal_check_open(application: Application, now: datetime) -> None:
    if application.recommender_id is None:
        return
    deadline = rules.recommendation_deadline(application.call, application.recommender)
    if now <= deadline:
        raise TransitionRefused(
            _(
                "The formal check starts after the recommendation deadline %(deadline)s (Beijing time): "
                "until then the recommender may still reorder its recommendations."
            )
            % {"deadline": _beijing(deadline)}
        )


def admit(application: Application, *, by: User, note: str = "") -> Application:
    """The formal check passed: the recommended application goes to expert review (audited, group notified)."""

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_formal_check_open(locked, now)
        return _Effects(to=S.UNDER_REVIEW, fields={}, notify="admitted")

    return _move(application, action="admit", by=by, effects=effects, note=note.strip())


def reject_ineligible(application: Application, *, by: User, reason: str) -> Application:
    """The formal check failed: the application is ineligible, with the reasons the group will see."""
    reason = reason.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_formal_check_open(locked, now)
        _require(reason, _("Give the reasons why the application is ineligible."))
        return _Effects(to=S.INELIGIBLE, fields={}, notify="ineligible")

    return _move(application, action="reject_ineligible", by=by, effects=effects, note=reason)


# --- the outcome of the expert review (专家评审) ----------------------------------------------------------------
# Decided by the review stage from its ranking (reviews.services.shortlisting), which checks that every review
# is in (or records the override) and writes the ranking's figures where the group cannot read them: the note
# here is on the application's timeline, which the group reads, so it never carries a score.


def shortlist(application: Application, *, by: User, note: str = "") -> Application:
    """Put an application under review on the shortlist for the public notice (audited, group notified)."""
    return _move(
        application,
        action="shortlist",
        by=by,
        effects=lambda locked, now: _Effects(to=S.SHORTLISTED, fields={}, notify="shortlisted"),
        note=note.strip(),
    )


def not_select(application: Application, *, by: User, note: str = "") -> Application:
    """Mark an application under review not selected (audited, group notified)."""
    return _move(
        application,
        action="not_select",
        by=by,
        effects=lambda locked, now: _Effects(to=S.NOT_SELECTED, fields={}, notify="not_selected"),
        note=note.strip(),
    )
