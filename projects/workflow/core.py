"""The one door's machinery: the table of legal moves, who may make each, and `_move`, which they all pass.

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
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm

from portal import audit
from portal.models import Organisation, User
from projects import permissions
from projects.models import Application, ApplicationStatus

S = ApplicationStatus

# state → the transitions it allows. Later stages add their moves here.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({"submit", "withdraw"}),
    S.RETURNED: frozenset({"submit", "withdraw"}),
    S.SUBMITTED: frozenset({"withdraw", "return_for_revision", "recommend", "decline"}),
    S.RECOMMENDED: frozenset({"withdraw", "admit", "reject_ineligible"}),
    S.UNDER_REVIEW: frozenset({"withdraw", "shortlist", "not_select"}),
    S.SHORTLISTED: frozenset({"open_notice"}),
    S.IN_PUBLICITY: frozenset({"close_notice", "uphold_objection"}),
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
    "open_notice": permissions.may_run_notice,
    "close_notice": permissions.may_run_notice,
    "uphold_objection": permissions.may_handle_objections,
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
    "open_notice": gettext_lazy("put in public notice"),
    "close_notice": gettext_lazy("announced"),
    "uphold_objection": gettext_lazy("withdrawn on an upheld objection"),
}
