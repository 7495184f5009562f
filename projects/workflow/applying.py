"""The group's own moves: starting a draft, submitting it, withdrawing it."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from portal import audit
from portal.models import Organisation, User
from projects import permissions, rules, snapshots
from projects.completeness import missing_items
from projects.models import Application, Call, SubmissionSnapshot
from projects.workflow.core import CHANGE, RECOMMEND, VIEW, S, TransitionRefused, _Effects, _move, _require
from standards.models import GroupStandard

# --- create ----------------------------------------------------------------------------------------
# Written only by the transitions: a caller's **fields may not start an application in another state.
_WORKFLOW_FIELDS = frozenset({"status", "submitted_at", "submission_count"})


@transaction.atomic
def create(call: Call, *, group: Organisation, standard: GroupStandard, by: User, **fields: object) -> Application:
    """Start a draft application of `group` on `standard` in `call`.

    Preconditions: `by` acts for the social group; the call is open for it; the standard was issued or
    co-issued by the group, is current and was implemented six months before the cut-off; no other live
    application names the standard in the call. Grants the group view and change rights; audited.
    """
    owned = _WORKFLOW_FIELDS.intersection(fields)
    if owned:
        raise TypeError(f"create() sets {', '.join(sorted(owned))} itself")
    if not permissions.can_apply(by, group):
        raise PermissionDenied
    now = timezone.now()
    if not rules.is_open_for(call, group, now):
        raise TransitionRefused(_call_closed_message(call, group))
    problems = rules.standard_problems(call, group, standard)
    if problems:
        raise TransitionRefused(" ".join(problems))
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, group=group, standard=standard, created_by=by, **fields)
    except IntegrityError as error:
        raise TransitionRefused(
            _("%(number)s already has an application in this call.") % {"number": standard.display_number}
        ) from error
    audit.record(action="application.create", target=application, actor=by, to_state=application.status)
    assign_perm(VIEW, group.group, application)
    assign_perm(CHANGE, group.group, application)
    return application


def _beijing(moment: datetime) -> str:
    # The default time zone (Asia/Shanghai), not the active one: the message says "Beijing time".
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "DATETIME_FORMAT")


def _call_closed_message(call: Call, group: Organisation) -> str:
    deadline = rules.submission_deadline(call, group)
    return _("The call is not open for applications: it opens %(opens)s and closes %(closes)s (Beijing time).") % {
        "opens": _beijing(call.opens_at),
        "closes": _beijing(deadline),
    }


# --- submit ----------------------------------------------------------------------------------------
def submit(application: Application, *, by: User) -> Application:
    """Send a complete draft (or a revised returned application) on.

    A draft goes before the call's deadline (or the group's extension); a returned one before the
    recommendation deadline. The standard must still meet the call's rules (current, issued by the group,
    implemented in time). Goes to `submitted`, and the recommender's group gets view and recommend rights;
    a ministry-managed group's application goes straight to `recommended`. Audited; notifies on commit.
    Raises TransitionRefused with the missing items per section when the application is incomplete.
    """

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_submission_dates(locked, now)
        # Checked at create, and again here: the registry may have abolished or replaced it since.
        problems = rules.standard_problems(locked.call, locked.group, locked.standard)
        if problems:
            raise TransitionRefused(" ".join(problems))
        missing = missing_items(locked)
        if missing:
            raise TransitionRefused(_("The application is not complete yet."), missing=missing)
        fields = {"submitted_at": now, "submission_count": locked.submission_count + 1}
        # What it says now, so the recommender can see what a later revision changes.
        SubmissionSnapshot.objects.create(
            application=locked, number=fields["submission_count"], taken_at=now, data=snapshots.capture(locked)
        )
        if locked.group.ministry_managed:
            return _Effects(to=S.RECOMMENDED, fields=fields, notify="submitted_directly")
        grants = [(VIEW, locked.recommender), (RECOMMEND, locked.recommender)]
        event = "resubmitted" if locked.status == S.RETURNED else "submitted"
        return _Effects(to=S.SUBMITTED, fields=fields, grant=grants, notify=event)

    return _move(application, action="submit", by=by, effects=effects)


def _check_submission_dates(application: Application, now: datetime) -> None:
    if application.status == S.RETURNED:
        deadline = rules.resubmission_deadline(application)
        if now > deadline:
            raise TransitionRefused(
                _("The recommendation deadline %(deadline)s has passed: the application can no longer be resubmitted.")
                % {"deadline": _beijing(deadline)}
            )
        return
    if not rules.is_open_for(application.call, application.group, now):
        raise TransitionRefused(_call_closed_message(application.call, application.group))


# --- withdraw --------------------------------------------------------------------------------------
def withdraw(application: Application, *, by: User, reason: str) -> Application:
    """The group withdraws its application, up to and during expert review, with a reason (audited).

    During the review its experts' assignments end and their rights on it are revoked (the review stage's
    `end_for_withdrawal`, in the same transaction); reviews already submitted stay, for the record.
    """

    def effects(locked: Application, now: datetime) -> _Effects:
        _require(reason, _("Give the reason for withdrawing."))
        if locked.status == S.UNDER_REVIEW:
            from reviews.services.withdrawal import end_for_withdrawal  # the later stage's, asked inside the move

            end_for_withdrawal(locked, by=by, reason=reason)
        return _Effects(to=S.WITHDRAWN, fields={"group_rank": None}, notify="withdrawn")

    return _move(application, action="withdraw", by=by, effects=effects, note=reason)
