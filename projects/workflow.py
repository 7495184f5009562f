"""The one door for every change of an application's status.

`TRANSITIONS` is the legal moves as data and `RIGHTS` who may ever make each; each public function is one
move, named by its verb, and all of them pass through `_move`, which in one transaction locks the row, checks
the actor's right (PermissionDenied: 403), then that the move is legal from the status (InvalidTransition:
409), then the dates and the rest (TransitionRefused), saves, writes the audit event, grants or revokes object
permissions and queues notifications on commit. Views, admin actions and tasks call these functions; nothing
else assigns `status`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm

from portal import audit
from portal.models import Organisation, User
from projects import permissions, rules, snapshots
from projects.completeness import missing_items
from projects.models import Application, ApplicationStatus, Call, SubmissionSnapshot
from standards.models import GroupStandard

S = ApplicationStatus

# state → the transitions it allows. Later stages add their moves here.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({"submit", "withdraw"}),
    S.RETURNED: frozenset({"submit", "withdraw"}),
    S.SUBMITTED: frozenset({"withdraw", "return_for_revision", "recommend", "decline"}),
    S.RECOMMENDED: frozenset({"withdraw", "admit", "reject_ineligible"}),
    S.UNDER_REVIEW: frozenset({"shortlist", "not_select"}),
}

# transition → who may ever make it on an application, whatever its state (`projects.permissions`).
RIGHTS: dict[str, Callable[[User | None, Application], bool]] = {
    "submit": permissions.may_submit,
    "withdraw": permissions.may_withdraw,
    "return_for_revision": permissions.may_decide,
    "recommend": permissions.may_decide,
    "decline": permissions.may_decide,
    "admit": permissions.may_check_formally,
    "reject_ineligible": permissions.may_check_formally,
    "shortlist": permissions.may_shortlist,
    "not_select": permissions.may_shortlist,
}

VIEW = "projects.view_application"
CHANGE = "projects.change_application"
RECOMMEND = "projects.recommend_application"


class InvalidTransition(Exception):
    """The move is not legal from the application's current status."""


class TransitionRefused(Exception):
    """The move is legal but refused now: a deadline passed, the application is incomplete, …

    `message` is for the user; `missing` lists, per section, what an incomplete application lacks.
    """

    def __init__(self, message: str, missing: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing or {}


@dataclass(frozen=True)
class _Effects:
    to: str
    fields: dict[str, object]
    grant: Iterable[tuple[str, Organisation]] = ()
    notify: str = ""


def allowed_transitions(application: Application) -> frozenset[str]:
    return TRANSITIONS.get(application.status, frozenset())


def check(application: Application, *actions: str, by: User | None) -> None:
    """Refuse as `_move` refuses first: PermissionDenied when `by` may never make one of `actions` on the
    application, else InvalidTransition when one of them is not legal from its status.

    A view asks before it binds a form, so that a refusal of who or of when is not hidden behind what was
    typed. Several actions for a page that offers them together (the recommender's three decisions share
    their right and their states).
    """
    if not all(RIGHTS[action](by, application) for action in actions):
        raise PermissionDenied
    allowed = allowed_transitions(application)
    illegal = next((action for action in actions if action not in allowed), None)
    if illegal is not None:
        raise InvalidTransition(
            _("An application that is “%(status)s” cannot be %(action)s.")
            % {"status": application.get_status_display(), "action": _ACTION_PAST[illegal]}
        )


def _move(
    application: Application,
    *,
    action: str,
    by: User | None,
    effects: Callable[[Application, datetime], _Effects],
    note: str = "",
) -> Application:
    now = timezone.now()
    with transaction.atomic():
        # The lock makes two browsers submitting the same draft at once produce one submission.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "group", "recommender", "standard__issuer")
            .get(pk=application.pk)
        )
        # The right, then the state, then (in `effects`) the dates and what was typed: 403, 409, then 400.
        check(locked, action, by=by)
        result = effects(locked, now)
        from_state = locked.status
        locked.status = result.to
        for field, value in result.fields.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "updated_at", *result.fields])
        recorded = audit.record(
            action=f"application.{action}",
            target=locked,
            actor=by,
            from_state=from_state,
            to_state=result.to,
            note=note,
        )
        for perm, organisation in result.grant:
            assign_perm(perm, organisation.group, locked)
        if result.notify:
            _queue_notification(locked, result.notify, recorded.pk)
    application.refresh_from_db()
    return locked


def _queue_notification(application: Application, event: str, event_id: int) -> None:
    """Send the notification of `event` once the transaction commits; it quotes the audit event's note."""
    from projects.tasks import task_notify

    application_id = application.pk
    transaction.on_commit(lambda: task_notify.delay(application_id=application_id, event=event, event_id=event_id))


def _require(text: str, message: str) -> None:
    # Asked inside the move, after the right and the state: a refusal of who or when comes first.
    if not text.strip():
        raise TransitionRefused(message)


# Lazy: built at import, translated when a message is composed, in the language of that request.
_ACTION_PAST = {
    "submit": gettext_lazy("submitted"),
    "withdraw": gettext_lazy("withdrawn"),
    "return_for_revision": gettext_lazy("returned for revision"),
    "recommend": gettext_lazy("recommended"),
    "decline": gettext_lazy("declined"),
    "admit": gettext_lazy("admitted to expert review"),
    "reject_ineligible": gettext_lazy("rejected as ineligible"),
    "shortlist": gettext_lazy("shortlisted"),
    "not_select": gettext_lazy("marked not selected"),
}


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
    """The group withdraws its application, before expert review, with a reason (audited)."""

    def effects(locked: Application, now: datetime) -> _Effects:
        _require(reason, _("Give the reason for withdrawing."))
        return _Effects(to=S.WITHDRAWN, fields={"group_rank": None}, notify="withdrawn")

    return _move(application, action="withdraw", by=by, effects=effects, note=reason)


# --- the recommender's decisions -------------------------------------------------------------------
# Each by staff of the application's recommender (permissions.may_decide), while it is `submitted`, before the
# recommender's deadline (with its extension). The reason or opinion goes into the audit note.


def _check_recommendation_open(application: Application, now: datetime) -> None:
    if not rules.recommendation_open(application.call, now, application.recommender):
        deadline = rules.recommendation_deadline(application.call, application.recommender)
        raise TransitionRefused(
            _("The recommendation deadline %(deadline)s (Beijing time) has passed: no decision can be made any more.")
            % {"deadline": _beijing(deadline)}
        )


def return_for_revision(application: Application, *, by: User, reason: str) -> Application:
    """Send a submitted application back to its group for revision, with the reasons the group will see."""
    reason = reason.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(reason, _("Give the reasons for returning the application."))
        return _Effects(to=S.RETURNED, fields={}, notify="returned")

    return _move(application, action="return_for_revision", by=by, effects=effects, note=reason)


def recommend(application: Application, *, by: User, opinion: str, rank: int) -> Application:
    """Recommend a submitted application with an opinion and its rank (1..quota) among the recommender's.

    The quota holds under concurrency: the recommender's organisation row is locked (after the application's,
    the one order every caller takes) before its recommendations in the call are counted, so two of its staff
    recommending at once are served one after the other. The rank may be none held by another recommendation
    that counts (`rules.COUNTS_AS_RECOMMENDED`), those the formal check has decided on included: their ranks
    stay theirs (`projects.services.recommendation` says why).
    """
    opinion = opinion.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(opinion, _("Give the recommendation opinion."))
        recommender = Organisation.objects.select_for_update().get(pk=locked.recommender_id)
        quota = rules.quota_for(locked.call, recommender)
        recommended = Application.objects.filter(
            rules.COUNTS_AS_RECOMMENDED, call=locked.call, recommender=recommender
        ).exclude(pk=locked.pk)
        if recommended.count() >= quota:
            raise TransitionRefused(
                _("The quota of %(quota)d recommendations in this call is used up.") % {"quota": quota}
            )
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= quota:
            raise TransitionRefused(_("The rank must be a whole number from 1 to %(quota)d.") % {"quota": quota})
        holder = recommended.filter(recommendation_rank=rank).select_related("standard").first()
        if holder is not None:
            raise TransitionRefused(
                _("Rank %(rank)d is already given to %(application)s.") % {"rank": rank, "application": holder}
            )
        fields = {"recommendation_opinion": opinion, "recommendation_rank": rank, "recommended_at": now}
        return _Effects(to=S.RECOMMENDED, fields=fields, notify="recommended")

    return _move(application, action="recommend", by=by, effects=effects, note=opinion)


def decline(application: Application, *, by: User, reason: str) -> Application:
    """Decline to recommend a submitted application, with the reason the group will see."""
    reason = reason.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _check_recommendation_open(locked, now)
        _require(reason, _("Give the reason for not recommending the application."))
        return _Effects(to=S.NOT_RECOMMENDED, fields={}, notify="declined")

    return _move(application, action="decline", by=by, effects=effects, note=reason)


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
