"""The one door for every change of an application's status.

`TRANSITIONS` is the legal moves as data and `RIGHTS` who may ever make each; each public function is one
move, named by its verb, and all of them pass through `core._move`, which in one transaction locks the row,
checks the actor's right (PermissionDenied: 403), then that the move is legal from the status
(InvalidTransition: 409), then the dates and the rest (TransitionRefused), saves, writes the audit event,
grants or revokes object permissions and queues notifications on commit. Views, admin actions and tasks call
these functions; nothing else assigns `status`.
"""

from django.utils.translation import gettext as _

from projects.workflow.applying import create, submit, withdraw
from projects.workflow.core import (
    CHANGE,
    RECOMMEND,
    RIGHTS,
    TRANSITIONS,
    VIEW,
    InvalidTransition,
    TransitionRefused,
    allowed_transitions,
    check,
)
from projects.workflow.notice import close_notice, open_notice, uphold_objection
from projects.workflow.recommending import decline, recommend, return_for_revision
from projects.workflow.reviewing import admit, not_select, reject_ineligible, shortlist

__all__ = [
    "CHANGE",
    "RECOMMEND",
    "RIGHTS",
    "TRANSITIONS",
    "VIEW",
    "InvalidTransition",
    "TransitionRefused",
    "_",
    "admit",
    "allowed_transitions",
    "check",
    "close_notice",
    "create",
    "decline",
    "not_select",
    "open_notice",
    "recommend",
    "reject_ineligible",
    "return_for_revision",
    "shortlist",
    "submit",
    "uphold_objection",
    "withdraw",
]
