"""Objections (异议) to a project in public notice: filed by anyone, handled by the secretariat.

received → investigating (the grounds may be forwarded, without the filer's identity, to the applicant group
and its recommender, who answer) → upheld (the application is withdrawn through `workflow.uphold_objection`)
or dismissed (announced through `workflow.close_notice` if its notice has closed and nothing else holds it).

Every write is audited (`objection.*`). An audit note never names the filer: not their name, phone or e-mail,
which stay on the objection, for the secretariat's page only.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import Organisation, User
from portal.permissions import is_secretariat
from portal.uploads import CheckedFile
from projects import workflow
from projects.models import ApplicationStatus
from publicity import rules
from publicity.models import Notice, NoticeEntry, NoticeStatus, Objection, ObjectionForward, ObjectionStatus
from publicity.models.objections import PENDING
from publicity.permissions import require_secretariat
from publicity.selectors.objections import is_open_at
from publicity.windows import beijing

# Unambiguous: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_LENGTH = 8


def _mail(kind: str, pk: int) -> None:
    """Queue what `kind` tells people (publicity.objection_mail), once the change has committed."""
    from publicity.tasks import task_objection_mail

    task_objection_mail.delay(kind=kind, pk=pk)


class ObjectionRefused(Exception):
    """The action is refused in the objection's (or its notice's) state; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def closed_message(notice) -> str:
    return _("This public notice closed on %(closes)s (Beijing time): objections are no longer accepted.") % {
        "closes": beijing(notice.closed_at or notice.ends_at)
    }


def new_tracking_number(now: datetime) -> str:
    year = timezone.localtime(now, timezone.get_default_timezone()).year
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"YY{year}-{code}"


@dataclass(frozen=True)
class Filer:
    name: str
    organisation: str
    phone: str
    email: str


def _lock(objection: Objection) -> Objection:
    return (
        Objection.objects.select_for_update(of=("self",))
        .select_related("notice", "application__standard", "application__group", "application__recommender")
        .get(pk=objection.pk)
    )


def _require_pending(objection: Objection) -> None:
    if objection.status not in PENDING:
        raise ObjectionRefused(
            _("This objection was decided on %(at)s (%(status)s): it can no longer change.")
            % {"at": beijing(objection.decided_at), "status": objection.get_status_display()}
        )


# --- filing -----------------------------------------------------------------------------------------------
@transaction.atomic
def file_objection(
    *, entry: NoticeEntry, filer: Filer, grounds: str, evidence: File | None = None, checked: CheckedFile | None = None
) -> Objection:
    """File an objection to one project of an open notice (anyone, no account). Audited as `objection.file`.

    `evidence` is an upload already passed through `portal.uploads.check_upload` (`checked`). Refused
    (ObjectionRefused) when the notice is not open now. The filer is mailed their tracking number and the
    secretariat told, once the transaction commits.
    """
    notice = Notice.objects.select_for_update().get(pk=entry.notice_id)
    now = timezone.now()
    if not is_open_at(notice, now):
        raise ObjectionRefused(closed_message(notice))
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds of your objection.")})
    objection = Objection(
        notice=notice,
        application=entry.application,
        name=filer.name.strip(),
        organisation=filer.organisation.strip(),
        phone=filer.phone.strip(),
        email=filer.email.strip(),
        grounds=grounds.strip(),
        created_at=now,
    )
    if evidence is not None and checked is not None:
        objection.evidence_name = checked.original_name
        objection.evidence.save(checked.stored_name, evidence, save=False)
    try:
        _save_with_new_number(objection, now)
    except Exception:
        # The row rolls back with the transaction; the stored file would not.
        if objection.evidence:
            default_storage.delete(objection.evidence.name)
        raise
    # The note says what was objected to, never who objected.
    note = _("Project %(position)d of the notice: %(standard)s") % {
        "position": entry.position,
        "standard": entry.application.standard.display_number,
    }
    if objection.evidence_name:
        note += " · " + _("with evidence")
    audit.record(action="objection.file", target=objection, to_state=objection.status, note=note)
    objection_id = objection.pk
    transaction.on_commit(lambda: _mail("filed", objection_id))
    return objection


def _save_with_new_number(objection: Objection, now: datetime) -> None:
    # Eight of 25 characters: a collision is rare, but the unique index decides, not a look-up before it.
    for _attempt in range(5):
        objection.tracking_number = new_tracking_number(now)
        try:
            with transaction.atomic():
                objection.save()
        except IntegrityError:
            continue
        return
    raise IntegrityError("no free tracking number after 5 draws")


# --- reads the log keeps --------------------------------------------------------------------------------
def record_read(*, objection: Objection, by: User) -> None:
    """Who opened an objection (the filer's details with it): `objection.read`."""
    audit.record(action="objection.read", target=objection, actor=by)


def record_evidence_download(*, objection: Objection, by: User) -> None:
    audit.record(action="objection.evidence_download", target=objection, actor=by, note=objection.evidence_name)


# --- handling -----------------------------------------------------------------------------------------------
@transaction.atomic
def investigate(*, objection: Objection, by: User) -> Objection:
    """received → investigating (the secretariat). Audited as `objection.investigate`."""
    require_secretariat(by)
    locked = _lock(objection)
    if locked.status != ObjectionStatus.RECEIVED:
        _require_pending(locked)
        raise ObjectionRefused(_("This objection is already under investigation."))
    _set_status(locked, ObjectionStatus.INVESTIGATING, by=by, action="objection.investigate")
    return locked


def _set_status(objection: Objection, status: str, *, by: User, action: str, note: str = "", **fields) -> None:
    from_state = objection.status
    objection.status = status
    for name, value in fields.items():
        setattr(objection, name, value)
    objection.save(update_fields=["status", *fields])
    audit.record(action=action, target=objection, actor=by, from_state=from_state, to_state=status, note=note)


def forward_targets(objection: Objection) -> list[Organisation]:
    """Who the grounds may be forwarded to: the applicant group and its recommender (if any), not yet asked."""
    application = objection.application
    candidates = [application.group, *([application.recommender] if application.recommender_id else [])]
    asked = set(objection.forwards.values_list("organisation_id", flat=True))
    return [organisation for organisation in candidates if organisation.pk not in asked]


@transaction.atomic
def forward(
    *, objection: Objection, by: User, organisations: list[Organisation], question: str
) -> list[ObjectionForward]:
    """Send the question (the grounds as the secretariat words them, without the filer) to the applicant group
    and/or its recommender; a received objection goes under investigation. Audited as `objection.forward`; the
    organisations' staff are notified once the transaction commits."""
    require_secretariat(by)
    locked = _lock(objection)
    _require_pending(locked)
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write the question to forward.")})
    allowed = {organisation.pk: organisation for organisation in forward_targets(locked)}
    chosen = [allowed[organisation.pk] for organisation in organisations if organisation.pk in allowed]
    if not chosen or len(chosen) != len(organisations):
        raise ValidationError({"organisations": _("Choose the applicant group or its recommender, not asked yet.")})
    now = timezone.now()
    forwards = [
        ObjectionForward.objects.create(
            objection=locked, organisation=organisation, question=question, forwarded_by=by, forwarded_at=now
        )
        for organisation in chosen
    ]
    note = "、".join(organisation.name for organisation in chosen)
    if locked.status == ObjectionStatus.RECEIVED:
        _set_status(locked, ObjectionStatus.INVESTIGATING, by=by, action="objection.forward", note=note)
    else:
        audit.record(action="objection.forward", target=locked, actor=by, note=note)
    for made in forwards:
        forward_id = made.pk
        transaction.on_commit(lambda forward_id=forward_id: _mail("forwarded", forward_id))
    return forwards


def _lock_forward(forward: ObjectionForward) -> ObjectionForward:
    return ObjectionForward.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=forward.pk)


@transaction.atomic
def answer(*, forward: ObjectionForward, by: User, text: str) -> ObjectionForward:
    """Record the answer to a forwarded question: by a member of the organisation asked (in the portal), or by
    the secretariat (an answer received outside the portal). Once; while the objection is pending. Audited as
    `objection.answer`; the secretariat is told of an answer given in the portal."""
    from_secretariat = by.is_authenticated and is_secretariat(by)
    if not (from_secretariat or forward.organisation.memberships.filter(user=by).exists()):
        raise PermissionDenied
    objection = _lock(forward.objection)
    locked = _lock_forward(forward)
    if locked.answered_at is not None:
        raise ObjectionRefused(
            _("This question was answered on %(at)s: the answer can no longer change.")
            % {"at": beijing(locked.answered_at)}
        )
    if objection.status not in PENDING:
        raise ObjectionRefused(_("The objection is decided: no answer is taken any more."))
    text = text.strip()
    if not text:
        raise ValidationError({"answer": _("Write the answer.")})
    locked.answer, locked.answered_by, locked.answered_at = text, by, timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    note = locked.organisation.name
    if from_secretariat:
        note += " · " + _("recorded by the secretariat")
    audit.record(action="objection.answer", target=objection, actor=by, note=note)
    if not from_secretariat:
        forward_id = locked.pk
        transaction.on_commit(lambda: _mail("answered", forward_id))
    return locked


# --- the decision -----------------------------------------------------------------------------------------
@transaction.atomic
def uphold(*, objection: Objection, by: User, finding: str, response: str) -> Objection:
    """The objection is upheld: its application, if still in public notice, is withdrawn with the finding
    (`workflow.uphold_objection`). `response` is what the filer reads. Audited as `objection.uphold`; the filer
    is mailed."""
    require_secretariat(by)
    locked = _lock(objection)
    _require_pending(locked)
    finding, response = finding.strip(), response.strip()
    errors = {}
    if not finding:
        errors["finding"] = _("Give the finding: it is what the application's timeline says.")
    if not response:
        errors["response"] = _("Write the response the filer reads.")
    if errors:
        raise ValidationError(errors)
    _decide(locked, ObjectionStatus.UPHELD, by=by, finding=finding, response=response)
    if locked.application.status == ApplicationStatus.IN_PUBLICITY:
        workflow.uphold_objection(locked.application, by=by, finding=finding)
    return locked


@transaction.atomic
def dismiss(*, objection: Objection, by: User, response: str) -> Objection:
    """The objection is dismissed with the response the filer reads. If the notice has closed and nothing else
    holds the application back, it is announced now (`workflow.close_notice`). Audited as `objection.dismiss`;
    the filer is mailed."""
    require_secretariat(by)
    locked = _lock(objection)
    _require_pending(locked)
    response = response.strip()
    if not response:
        raise ValidationError({"response": _("Write the response the filer reads.")})
    _decide(locked, ObjectionStatus.DISMISSED, by=by, response=response)
    application = locked.application
    closed = locked.notice.status == NoticeStatus.CLOSED
    if (
        closed
        and application.status == ApplicationStatus.IN_PUBLICITY
        and not rules.close_refusal(application, timezone.now())
    ):
        workflow.close_notice(application, by=by, note=_("The objections to it were dismissed."))
    return locked


def _decide(objection: Objection, status: str, *, by: User, response: str, finding: str = "") -> None:
    action = "objection.uphold" if status == ObjectionStatus.UPHELD else "objection.dismiss"
    # The finding is the note of an upheld one (as on the application's timeline); the filer is never named.
    _set_status(
        objection,
        status,
        by=by,
        action=action,
        note=finding,
        response=response,
        finding=finding,
        decided_at=timezone.now(),
        decided_by=by,
    )
    objection_id = objection.pk
    transaction.on_commit(lambda: _mail("decided", objection_id))
