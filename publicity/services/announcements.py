"""The announcement (公告) of a call's final list: prepared as a draft, published once the notice is over, corrected.

Publishing writes the list (publicity.lists, version 1) and the call's rows of the public register; a correction
is the next version of the list, the earlier ones unchanged. Each step is audited (announcement.*), which also
tells the public pages' cache that the notices and the register changed.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from projects.models import Application, ApplicationStatus, Call
from publicity import lists
from publicity.models import Announcement, Notice, NoticeStatus, PublishedList
from publicity.permissions import require_secretariat
from publicity.services.register import Row, write_rows

DRAFT_FIELDS = ("number", "title", "body")


class AnnouncementRefused(Exception):
    """The step is refused now; `message` says why, for the user; `errors` by form field."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def default_title(call: Call) -> str:
    return f"{call.year}年团体标准应用示范项目名单"


def announced_applications(call: Call) -> QuerySet[Application]:
    """The call's announced applications in the order of its notice's list: what the announcement publishes."""
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.ANNOUNCED, notice_entries__notice__call=call)
        .select_related("standard", "group", "recommender")
        .order_by("notice_entries__position", "pk")
    )


def publish_refusal(call: Call) -> str:
    """Why the call's announcement cannot be published now; empty when it can."""
    notice = Notice.objects.filter(call=call).first()
    if notice is None or notice.status != NoticeStatus.CLOSED:
        return _("The call's public notice has not closed yet: the announcement follows it.")
    pending = Application.objects.filter(call=call, status=ApplicationStatus.IN_PUBLICITY).count()
    if pending:
        return _(
            "%(count)d applications of the call are still in public notice, an objection to them pending: "
            "decide the objections first."
        ) % {"count": pending}
    if not announced_applications(call).exists():
        return _("No application of the call was announced after its public notice.")
    return ""


def _check_number(number: str, announcement: Announcement | None) -> None:
    others = Announcement.objects.filter(number=number)
    if announcement is not None:
        others = others.exclude(pk=announcement.pk)
    if others.exists():
        message = _("Another announcement already has the number %(number)s.") % {"number": number}
        raise AnnouncementRefused(message, {"number": message})


@transaction.atomic
def save_draft(call: Call, *, by: User, number: str, title: str, body: str) -> Announcement:
    """Prepare the call's announcement, or change its draft (audited as announcement.create or .update).

    Refused once it is published (a correction publishes a new version of the list instead) and when another
    announcement has the document number.
    """
    require_secretariat(by)
    Call.objects.select_for_update().get(pk=call.pk)
    announcement = Announcement.objects.filter(call=call).first()
    if announcement is not None and announcement.published_at is not None:
        raise AnnouncementRefused(_("The announcement is published: it can no longer be changed."))
    values = {"number": number.strip(), "title": title.strip(), "body": body.strip()}
    _check_number(values["number"], announcement)
    if announcement is None:
        announcement = Announcement.objects.create(call=call, year=call.year, **values)
        audit.record(action="announcement.create", target=announcement, actor=by)
        return announcement
    changed = [name for name in DRAFT_FIELDS if getattr(announcement, name) != values[name]]
    if changed:
        for name in changed:
            setattr(announcement, name, values[name])
        announcement.save(update_fields=changed)
        audit.record(action="announcement.update", target=announcement, actor=by, note=", ".join(changed))
    return announcement


def list_header(announcement: Announcement) -> dict:
    return {
        "kind": lists.KIND_ANNOUNCEMENT,
        "number": announcement.number,
        "call": announcement.call.notice_number if announcement.call_id else "",
        "title": announcement.title,
        "year": announcement.year,
    }


def row_of(application: Application, position: int) -> Row:
    """The register's row of an announced application (its standard, group and recommender joined)."""
    return Row(
        position=position,
        year=application.call.year,
        name=lists.project_name(application),
        standard_number=application.standard.display_number,
        standard_title=application.standard.title_zh,
        group_name=application.group.name,
        recommender_name=application.recommender.name if application.recommender_id else "",
        province=application.group.province,
        industry_field=application.industry_field,
        innovative=application.claims_innovative,
        advanced=application.claims_advanced,
        international=application.claims_international,
        standard_id=application.standard_id,
        group_id=application.group_id,
        recommender_id=application.recommender_id,
        application_id=application.pk,
    )


def _lock(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update(of=("self",)).select_related("call").get(pk=announcement.pk)


@transaction.atomic
def publish_announcement(announcement: Announcement, *, by: User) -> PublishedList:
    """Publish the draft: its list (version 1) of the call's announced applications, and their register rows.

    Refused when it is already published, while the call's notice has not closed, or while an application of
    the call is still in public notice (an objection pending). Audited as announcement.publish with the hash.
    """
    require_secretariat(by)
    locked = _lock(announcement)
    if locked.published_at is not None:
        raise AnnouncementRefused(_("The announcement is already published."))
    if locked.call_id is None:
        raise AnnouncementRefused(_("This announcement belongs to no call of the portal."))
    # The notice's row is locked too, so that no objection is decided between the check and the list.
    Notice.objects.select_for_update().filter(call=locked.call).first()
    refusal = publish_refusal(locked.call)
    if refusal:
        raise AnnouncementRefused(refusal)
    applications = list(announced_applications(locked.call).select_related("call"))
    published = lists.publish(of=locked, header=list_header(locked), entries=lists.entries_of(applications), by=by)
    write_rows(locked, [row_of(application, position) for position, application in enumerate(applications, 1)])
    locked.published_at = published.created_at
    locked.published_by = by
    locked.save(update_fields=["published_at", "published_by"])
    audit.record(
        action="announcement.publish",
        target=locked,
        actor=by,
        note=_("%(count)d projects; list version %(version)d, SHA-256 %(hash)s")
        % {"count": len(applications), "version": published.version, "hash": published.sha256},
    )
    return published


def listed_applications(announcement: Announcement) -> QuerySet[Application]:
    return (
        Application.objects.filter(announced_project__announcement=announcement)
        .select_related("call", "standard", "group", "recommender")
        .order_by("announced_project__position")
    )


@transaction.atomic
def correct_announcement(announcement: Announcement, *, by: User, reason: str) -> PublishedList:
    """Publish the next version of a published announcement's list from what its projects say now, with the
    reason (audited as announcement.correct); its register rows follow. The earlier versions stay unchanged.

    Refused for a draft, for an imported list (imported again instead), without a reason, and when nothing
    would change.
    """
    require_secretariat(by)
    locked = _lock(announcement)
    if locked.published_at is None:
        raise AnnouncementRefused(_("A draft announcement has no published list yet."))
    if locked.imported:
        raise AnnouncementRefused(_("An imported list is corrected by importing the corrected file again."))
    if not reason.strip():
        raise AnnouncementRefused(_("Give the reason for the correction."), {"reason": _("This field is required.")})
    applications = list(listed_applications(locked))
    entries = lists.entries_of(applications)
    latest = lists.current(locked)
    if latest is not None and lists.document(latest)["projects"] == entries:
        raise AnnouncementRefused(
            _("The list has not changed since version %(version)d.") % {"version": latest.version}
        )
    published = lists.publish(of=locked, header=list_header(locked), entries=entries, by=by, reason=reason)
    write_rows(locked, [row_of(application, position) for position, application in enumerate(applications, 1)])
    audit.record(
        action="announcement.correct",
        target=locked,
        actor=by,
        note=_("Version %(version)d, SHA-256 %(hash)s: %(reason)s")
        % {"version": published.version, "hash": published.sha256, "reason": reason.strip()},
    )
    return published
