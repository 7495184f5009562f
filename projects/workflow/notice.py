"""The public notice (社会公示): the window opens and closes by the scheduled job; an upheld objection withdraws.

The dates and the objections are the publicity stage's (`publicity.rules`), asked inside the move like every
other move's dates: after the right and the state.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from portal.models import User
from projects.models import Application
from projects.workflow.core import S, TransitionRefused, _Effects, _move, _require


def open_notice(application: Application, *, by: User | None = None, note: str = "") -> Application:
    """A shortlisted application's notice has opened: it is in public notice (by the job; audited, group told).

    Refused while its notice is not scheduled or has not reached its start.
    """
    from publicity import rules

    def effects(locked: Application, now: datetime) -> _Effects:
        refusal = rules.open_refusal(locked, now)
        if refusal:
            raise TransitionRefused(refusal)
        return _Effects(to=S.IN_PUBLICITY, fields={}, notify="in_publicity")

    return _move(application, action="open_notice", by=by, effects=effects, note=note.strip())


def close_notice(application: Application, *, by: User | None = None, note: str = "") -> Application:
    """The notice's window has closed with no objection pending or upheld against it: announced.

    Made by the job for every application of a closing notice that nothing holds back, and by the secretariat
    for one held back by an objection it has since dismissed. Audited; the group is told.
    """
    from publicity import rules

    def effects(locked: Application, now: datetime) -> _Effects:
        refusal = rules.close_refusal(locked, now)
        if refusal:
            raise TransitionRefused(refusal)
        return _Effects(to=S.ANNOUNCED, fields={}, notify="announced")

    return _move(application, action="close_notice", by=by, effects=effects, note=note.strip())


def uphold_objection(application: Application, *, by: User, finding: str) -> Application:
    """An objection to an application in public notice is upheld: it is withdrawn, with the finding.

    Called by `publicity.services.objections` when the secretariat upholds; the finding is on the timeline the
    group reads, so it says what was found and never who objected. Audited; the group is told.
    """
    finding = finding.strip()

    def effects(locked: Application, now: datetime) -> _Effects:
        _require(finding, _("Give the finding that upholds the objection."))
        return _Effects(to=S.WITHDRAWN, fields={"group_rank": None}, notify="withdrawn_by_objection")

    return _move(application, action="uphold_objection", by=by, effects=effects, note=finding)
