"""Preparing and scheduling a call's public notice (公示), and correcting its published list.

A notice is prepared (a draft), then scheduled: its list is snapshotted then (`publicity.lists`), and it opens
and closes by the scheduled job (`publicity.jobs`). Until it opens, its text and window may be edited; once
open it is frozen, save that a change of the holidays moves its end later (never earlier).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from projects.models import Application, ApplicationStatus, Call
from publicity import lists
from publicity.models import Notice, NoticeEntry, NoticeStatus, PublishedList
from publicity.permissions import require_secretariat
from publicity.windows import beijing, notice_end

EDITABLE_FIELDS = ("title", "body", "contact", "starts_at", "working_days")
MAX_WORKING_DAYS = 30


class NoticeRefused(Exception):
    """The change is refused now; `message` says why, for the user."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def shortlist_of(call: Call):
    """The applications a notice of `call` would list now, in the list's order (by standard number)."""
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.SHORTLISTED)
        .select_related("standard", "group", "recommender")
        .order_by("standard__number", "pk")
    )


def _check_window(starts_at: datetime, working_days: int, now: datetime) -> dict[str, str]:
    errors = {}
    if starts_at <= now:
        errors["starts_at"] = _("The notice must open in the future.")
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = _("A public notice lasts 1 to %(max)d working days.") % {"max": MAX_WORKING_DAYS}
    return errors


@transaction.atomic
def prepare_notice(
    call: Call, *, by: User, title: str, body: str, contact: str, starts_at: datetime, working_days: int
) -> Notice:
    """Draft the public notice of `call`'s shortlist (one per call). Its end is computed from the calendar."""
    require_secretariat(by)
    Call.objects.select_for_update().get(pk=call.pk)
    if Notice.objects.filter(call=call).exists():
        raise NoticeRefused(_("This call already has a public notice."))
    errors = _check_window(starts_at, working_days, timezone.now())
    if errors:
        raise NoticeRefused(_("Correct the window of the notice."), errors)
    notice = Notice.objects.create(
        call=call,
        title=title.strip(),
        body=body.strip(),
        contact=contact.strip(),
        starts_at=starts_at,
        working_days=working_days,
        ends_at=notice_end(starts_at, working_days),
        created_by=by,
    )
    audit.record(action="notice.create", target=notice, actor=by, to_state=notice.status)
    return notice


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("call").get(pk=notice.pk)


def _keep_call_in_step(notice: Notice) -> None:
    """The call's phase follows its scheduled notice (`Call.notice_opens_at`)."""
    call = notice.call
    call.notice_opens_at = notice.starts_at
    call.notice_closes_at = notice.ends_at
    call.publicity_opens_on = timezone.localtime(notice.starts_at, timezone.get_default_timezone()).date()
    call.publicity_working_days = notice.working_days
    call.save(update_fields=["notice_opens_at", "notice_closes_at", "publicity_opens_on", "publicity_working_days"])


def frozen_refusal(notice: Notice, now: datetime) -> str:
    """Why the notice can no longer be edited at `now` (it has opened); empty while it can."""
    # A draft whose start has passed unscheduled stays editable: its start must be moved before scheduling.
    if notice.status == NoticeStatus.DRAFT or (notice.status == NoticeStatus.SCHEDULED and now < notice.starts_at):
        return ""
    return _("The notice opened %(opens)s: it can no longer be changed.") % {"opens": beijing(notice.starts_at)}


@transaction.atomic
def update_notice(notice: Notice, *, by: User, **fields: object) -> Notice:
    """Change a draft or scheduled notice's text or window, until it opens (audited with the fields changed)."""
    require_secretariat(by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_notice() cannot change {', '.join(sorted(unknown))}")
    locked = _lock(notice)
    now = timezone.now()
    refusal = frozen_refusal(locked, now)
    if refusal:
        raise NoticeRefused(refusal)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        value = fields[name]
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    errors = _check_window(locked.starts_at, locked.working_days, now)
    if errors:
        raise NoticeRefused(_("Correct the window of the notice."), errors)
    locked.ends_at = notice_end(locked.starts_at, locked.working_days)
    locked.save()
    if locked.status == NoticeStatus.SCHEDULED:
        _keep_call_in_step(locked)
    audit.record(action="notice.update", target=locked, actor=by, note=", ".join(changed))
    return locked


def list_header(notice: Notice) -> dict:
    return {
        "kind": lists.KIND_NOTICE,
        "call": notice.call.notice_number,
        "title": notice.title,
    }


@transaction.atomic
def schedule_notice(notice: Notice, *, by: User) -> PublishedList:
    """Schedule a draft notice: its list is the call's shortlist now, published as version 1 (audited).

    Refused while an application of the call is still under review, when the shortlist is empty, or when the
    notice would open in the past.
    """
    require_secretariat(by)
    locked = _lock(notice)
    if locked.status != NoticeStatus.DRAFT:
        raise NoticeRefused(_("The notice is already scheduled."))
    if locked.starts_at <= timezone.now():
        raise NoticeRefused(_("The notice must open in the future: change its start first."))
    undecided = Application.objects.filter(call=locked.call, status=ApplicationStatus.UNDER_REVIEW).count()
    if undecided:
        raise NoticeRefused(
            _("%(count)d applications of the call are still under review: decide the shortlist first.")
            % {"count": undecided}
        )
    applications = list(shortlist_of(locked.call))
    if not applications:
        raise NoticeRefused(_("The call has no shortlisted application to publish."))
    NoticeEntry.objects.bulk_create(
        NoticeEntry(notice=locked, application=application, position=position)
        for position, application in enumerate(applications, start=1)
    )
    locked.status = NoticeStatus.SCHEDULED
    locked.scheduled_at = timezone.now()
    locked.save(update_fields=["status", "scheduled_at", "updated_at"])
    _keep_call_in_step(locked)
    published = lists.publish(of=locked, header=list_header(locked), entries=lists.entries_of(applications), by=by)
    audit.record(
        action="notice.schedule",
        target=locked,
        actor=by,
        from_state=NoticeStatus.DRAFT,
        to_state=NoticeStatus.SCHEDULED,
        note=_("%(count)d projects; list version %(version)d, SHA-256 %(hash)s")
        % {"count": len(applications), "version": published.version, "hash": published.sha256},
    )
    return published


def listed_applications(notice: Notice):
    return (
        Application.objects.filter(notice_entries__notice=notice)
        .select_related("standard", "group", "recommender")
        .order_by("notice_entries__position")
    )


@transaction.atomic
def correct_list(notice: Notice, *, by: User, reason: str) -> PublishedList:
    """Publish a corrected version of a notice's list, from what its projects say now, with the reason.

    The earlier versions stay readable and unchanged; refused when nothing would change.
    """
    require_secretariat(by)
    locked = _lock(notice)
    if locked.status == NoticeStatus.DRAFT:
        raise NoticeRefused(_("A notice being prepared has no published list yet."))
    if not reason.strip():
        raise NoticeRefused(_("Give the reason for the correction."), {"reason": _("This field is required.")})
    entries = lists.entries_of(listed_applications(locked))
    latest = lists.current(locked)
    if latest is not None and lists.document(latest)["projects"] == entries:
        raise NoticeRefused(_("The list has not changed since version %(version)d.") % {"version": latest.version})
    published = lists.publish(of=locked, header=list_header(locked), entries=entries, by=by, reason=reason)
    audit.record(
        action="notice.correct",
        target=locked,
        actor=by,
        note=_("Version %(version)d, SHA-256 %(hash)s: %(reason)s")
        % {"version": published.version, "hash": published.sha256, "reason": reason.strip()},
    )
    return published


@dataclass(frozen=True)
class Moved:
    notice: Notice
    old: datetime
    new: datetime
    event_id: int


def recompute_end(notice: Notice) -> Moved | None:
    """After a change of the holidays: the end as the calendar now counts it, if it moved (audited).

    An open notice's end only moves later, never earlier: what the public was told stays true.
    """
    with transaction.atomic():
        locked = _lock(notice)
        if locked.status not in (NoticeStatus.DRAFT, NoticeStatus.SCHEDULED, NoticeStatus.OPEN):
            return None
        new = notice_end(locked.starts_at, locked.working_days)
        old = locked.ends_at
        if new == old or (locked.status == NoticeStatus.OPEN and new < old):
            return None
        locked.ends_at = new
        locked.save(update_fields=["ends_at", "updated_at"])
        if locked.status != NoticeStatus.DRAFT:
            _keep_call_in_step(locked)
        event = audit.record(
            action="notice.reschedule",
            target=locked,
            note=_("The holidays changed: the notice now closes %(new)s instead of %(old)s (Beijing time).")
            % {"new": beijing(new), "old": beijing(old)},
        )
        return Moved(notice=locked, old=old, new=new, event_id=event.pk)
