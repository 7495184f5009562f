"""Writes on calls (申报批次): the call itself, its quotas, its deadline extensions and its attachments.

Callers check the right first (`projects.permissions.can_manage_calls`); these functions check the data and
refuse with a `ValidationError` keyed by field, so a form can show the refusal beside what was typed. Every
write is audited on the call, so the call's history holds them all.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import OrganisationKind
from portal.exceptions import Conflict
from portal.models import Organisation, User
from portal.workdays import local_zone
from projects import files, permissions
from projects.models import Call, CallAttachment, DeadlineExtension, QuotaOverride, RecommenderExtension
from projects.selectors.calls import RECOMMENDER_KINDS, is_frozen
from standards.services.common import schedule_file_removal

# A call's dates may move at any time; everything else is its rules, which freeze at the first submission.
DATE_FIELDS = ("opens_at", "deadline", "implementation_cutoff", "recommendation_deadline", "publicity_opens_on")
RULE_FIELDS = ("year", "title", "notice_number", "notice_text", "default_quota", "publicity_working_days")
CALL_FIELDS = RULE_FIELDS + DATE_FIELDS
MAX_PUBLICITY_WORKING_DAYS = 30
TEMPLATE_KINDS = (files.PDF, files.DOCX, files.XLSX, files.OFD)


def beijing(moment: datetime) -> str:
    """A moment as the audit note and messages show it: Beijing time, to the minute."""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def _check_call(call: Call) -> None:
    """The dates in order and the numbers in range; each refusal beside its field."""
    errors: dict[str, str] = {}
    if call.opens_at and call.deadline and call.opens_at >= call.deadline:
        errors["deadline"] = _("The deadline must come after the opening.")
    if call.deadline and call.recommendation_deadline and call.recommendation_deadline < call.deadline:
        errors["recommendation_deadline"] = _("The recommendation deadline cannot come before the deadline.")
    if call.deadline and call.implementation_cutoff:
        deadline_day = call.deadline.astimezone(local_zone()).date()
        if call.implementation_cutoff > deadline_day:
            errors["implementation_cutoff"] = _("The cut-off cannot be after the deadline's date (%(day)s).") % {
                "day": deadline_day.isoformat()
            }
    if call.publicity_opens_on and call.recommendation_deadline:
        last_day = call.recommendation_deadline.astimezone(local_zone()).date()
        if call.publicity_opens_on <= last_day:
            errors["publicity_opens_on"] = _(
                "The public notice opens after the recommendation deadline's date (%(day)s)."
            ) % {"day": last_day.isoformat()}
    if call.default_quota is not None and call.default_quota < 1:
        errors["default_quota"] = _("The quota is at least 1.")
    if call.publicity_working_days is not None and not 1 <= call.publicity_working_days <= MAX_PUBLICITY_WORKING_DAYS:
        errors["publicity_working_days"] = _("The public notice lasts 1 to %(max)d working days.") % {
            "max": MAX_PUBLICITY_WORKING_DAYS
        }
    if errors:
        raise ValidationError(errors)
    call.full_clean()


def _frozen_refusal(call: Call, what: str) -> ValidationError:
    return ValidationError(
        {
            "reason": _(
                "Applications have been submitted in this call, so its rules are frozen: give the reason for "
                "changing %(what)s."
            )
            % {"what": what}
        }
    )


@transaction.atomic
def create_call(*, by: User | None, **fields: object) -> Call:
    """Open a new call with the given fields (see CALL_FIELDS); dates are checked for order. Audited."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"create_call() got unexpected fields: {sorted(unknown)}")
    call = Call(**fields)
    _check_call(call)
    call.save()
    audit.record(action="call.create", target=call, actor=by, note=_call_summary(call))
    return call


@transaction.atomic
def publish_call(*, call: Call, by: User | None) -> Call:
    """Make the secretariat's draft a public notice: its page and attachments for everyone, and, within its
    dates, a call open for applications. Refused with `Conflict` when it is published already.

    The moment is kept in `published_at`; audited as `call.publish` (who and when).
    """
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.is_published:
        raise Conflict(
            _("The call has been published since %(when)s (Beijing time).") % {"when": beijing(locked.published_at)}
        )
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    audit.record(action="call.publish", target=locked, actor=by)
    call.published_at, call.updated_at = locked.published_at, locked.updated_at
    return call


@transaction.atomic
def unpublish_call(*, call: Call, by: User | None) -> Call:
    """Take a published call back to the secretariat's drafts, before it opens for applications.

    Refused with `Conflict` when it is not published, once it has opened (groups may be preparing their
    applications in it: it is corrected through an audited edit instead), or when an application exists in it.
    Audited as `call.unpublish`.
    """
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.is_published:
        raise Conflict(_("The call is not published."))
    if timezone.now() >= locked.opens_at:
        raise Conflict(
            _(
                "The call opened for applications on %(opens)s (Beijing time), so it stays published: groups may "
                "be preparing applications in it. Correct it with “Edit the call” instead; the change is recorded."
            )
            % {"opens": beijing(locked.opens_at)}
        )
    # Its opening may have been moved later since groups started applications in it.
    if locked.applications.exists():
        raise Conflict(_("Applications have been started in this call, so it stays published."))
    locked.published_at = None
    locked.save(update_fields=["published_at", "updated_at"])
    audit.record(action="call.unpublish", target=locked, actor=by)
    call.published_at, call.updated_at = None, locked.updated_at
    return call


def _call_summary(call: Call) -> str:
    # Field names, not sentences: the note is stored once and read in either language.
    return (
        f"opens_at {beijing(call.opens_at)}, deadline {beijing(call.deadline)}, "
        f"recommendation_deadline {beijing(call.recommendation_deadline)}, "
        f"implementation_cutoff {call.implementation_cutoff.isoformat()}"
    )


@transaction.atomic
def update_call(*, call: Call, by: User | None, reason: str = "", **fields: object) -> list[str]:
    """Change the call's fields; return the names of those that changed (audited when any did).

    Once an application of the call has been submitted, changing a rule (anything but the four dates) needs
    a `reason`, recorded in the audit note; without one a ValidationError keyed `reason` is raised.
    """
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"update_call() got unexpected fields: {sorted(unknown)}")
    current = Call.objects.select_for_update().get(pk=call.pk)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if not changed:
        return []
    rules_changed = [name for name in changed if name in RULE_FIELDS]
    reason = reason.strip()
    if rules_changed and not reason and is_frozen(current):
        labels = ", ".join(str(Call._meta.get_field(name).verbose_name) for name in rules_changed)
        raise _frozen_refusal(current, labels)
    for name in changed:
        setattr(current, name, fields[name])
    _check_call(current)
    current.save(update_fields=[*changed, "updated_at"])
    note = ", ".join(changed) + (f"\n{reason}" if reason else "")
    audit.record(action="call.update", target=current, actor=by, note=note)
    for name in [*changed, "updated_at"]:
        setattr(call, name, getattr(current, name))
    return changed


@transaction.atomic
def set_quota(
    *, call: Call, recommender: Organisation, quota: int | None, by: User | None, reason: str = ""
) -> QuotaOverride | None:
    """Give `recommender` its own quota in the call, or (`quota=None`) put it back on the call's default.

    The recommender is a provincial department or an industry delegate; the quota is at least 1. Quotas are
    rules: once the call is frozen a `reason` is required and recorded. Audited as `call.quota`.
    """
    if recommender.kind not in RECOMMENDER_KINDS:
        raise ValidationError({"recommender": _("Only a provincial department or an industry delegate recommends.")})
    if quota is not None and quota < 1:
        raise ValidationError({"quota": _("The quota is at least 1.")})
    locked = Call.objects.select_for_update().get(pk=call.pk)
    existing = QuotaOverride.objects.filter(call=locked, recommender=recommender).first()
    before = existing.quota if existing else locked.default_quota
    after = quota if quota is not None else locked.default_quota
    if (existing is None and quota is None) or (existing is not None and existing.quota == quota):
        return existing
    reason = reason.strip()
    if not reason and is_frozen(locked):
        raise _frozen_refusal(locked, _("a quota"))
    if quota is None:
        existing.delete()
        override = None
    else:
        override, _created = QuotaOverride.objects.update_or_create(
            call=locked, recommender=recommender, defaults={"quota": quota}
        )
    note = f"{recommender.name}: {before} → {after}" + (f"\n{reason}" if reason else "")
    audit.record(action="call.quota", target=locked, actor=by, note=note)
    return override


@transaction.atomic
def grant_extension(
    *, call: Call, organisation: Organisation, until: datetime, reason: str, by: User
) -> DeadlineExtension:
    """Let one social group submit in the call until `until`, or change the date of its extension.

    `until` falls after the call's deadline and no later than its recommendation deadline; the reason is
    required. Audited as `call.extension` on the call, with the group, the dates and the reason; the group
    alone sees its extension.
    """
    errors = {}
    if organisation.kind != OrganisationKind.SOCIAL_GROUP:
        errors["organisation"] = _("Only a social group applies, so only a social group gets an extension.")
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if until <= locked.deadline:
        errors["until"] = _("An extension ends after the call's deadline (%(deadline)s).") % {
            "deadline": beijing(locked.deadline)
        }
    elif until > locked.recommendation_deadline:
        errors["until"] = _("An extension ends by the recommendation deadline (%(deadline)s).") % {
            "deadline": beijing(locked.recommendation_deadline)
        }
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if errors:
        raise ValidationError(errors)
    existing = DeadlineExtension.objects.select_for_update().filter(call=locked, organisation=organisation).first()
    extension, _created = DeadlineExtension.objects.update_or_create(
        call=locked, organisation=organisation, defaults={"until": until, "reason": reason.strip(), "granted_by": by}
    )
    dates = f"{beijing(existing.until)} → {beijing(until)}" if existing else beijing(until)
    note = f"{organisation.name}: {dates}\n{reason.strip()}"
    audit.record(action="call.extension", target=locked, actor=by, note=note)
    return extension


@transaction.atomic
def extend_recommendation_deadline(
    *, call: Call, recommender: Organisation, until: datetime, reason: str, by: User
) -> RecommenderExtension:
    """Let one recommender decide in the call until `until`, or change the date of its extension.

    Only the secretariat extends (PermissionDenied otherwise). `until` falls after the call's recommendation
    deadline and after now; the reason is required. Until then the recommender may still recommend, return
    or decline, and the groups it returned applications to may resubmit (`projects.rules`); the formal check
    of its recommendations waits as long. Audited as `call.recommender_extension` on the call, with the
    recommender, the dates in Beijing time and the reason; its staff are notified on commit.
    """
    if not permissions.can_manage_calls(by):
        raise PermissionDenied
    errors = {}
    if recommender.kind not in RECOMMENDER_KINDS:
        errors["recommender"] = _("Only a provincial department or an industry delegate recommends.")
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if until <= locked.recommendation_deadline:
        errors["until"] = _("An extension ends after the call's recommendation deadline (%(deadline)s).") % {
            "deadline": beijing(locked.recommendation_deadline)
        }
    elif until <= timezone.now():
        errors["until"] = _("An extension ends in the future.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if errors:
        raise ValidationError(errors)
    existing = RecommenderExtension.objects.select_for_update().filter(call=locked, recommender=recommender).first()
    extension, _created = RecommenderExtension.objects.update_or_create(
        call=locked, recommender=recommender, defaults={"until": until, "reason": reason.strip(), "granted_by": by}
    )
    dates = f"{beijing(existing.until)} → {beijing(until)}" if existing else beijing(until)
    note = f"{recommender.name}: {dates}\n{reason.strip()}"
    event = audit.record(action="call.recommender_extension", target=locked, actor=by, note=note)
    _notify_recommender_extension(extension.pk, event.pk)
    return extension


def _notify_recommender_extension(extension_id: int, event_id: int) -> None:
    from projects.tasks import task_notify_recommender_extension

    transaction.on_commit(lambda: task_notify_recommender_extension.delay(extension_id=extension_id, event_id=event_id))


@transaction.atomic
def add_call_attachment(*, call: Call, kind: str, title: str, file: File, by: User | None) -> CallAttachment:
    """Publish a file with the call's notice (a template of the 申报书 or the 汇总表, …). Audited.

    The content must be PDF, DOCX, XLSX or OFD (checked by its bytes, not only its name); it is stored under
    a random name, and downloaded under the attachment's title.
    """
    try:
        checked = files.check_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if checked.kind not in TEMPLATE_KINDS:
        message = _("A call's attachment is a PDF, DOCX, XLSX or OFD file, not %(kind)s.")
        raise ValidationError({"file": message % {"kind": checked.kind.label}})
    file.name = checked.stored_name
    attachment = CallAttachment(call=call, kind=kind, title=title.strip(), file=file)
    attachment.full_clean()
    attachment.save()
    audit.record(action="call.attachment_add", target=call, actor=by, note=attachment.title)
    return attachment


@transaction.atomic
def delete_call_attachment(*, attachment: CallAttachment, by: User | None) -> None:
    """Remove an attachment from the call, and its file once the deletion has committed. Audited."""
    call, title, name = attachment.call, attachment.title, attachment.file.name
    attachment.delete()
    schedule_file_removal(name)
    audit.record(action="call.attachment_delete", target=call, actor=by, note=title)


def download_name(attachment: CallAttachment) -> str:
    """The attachment's title with its file's extension, safe to put in a header."""
    extension = files.extension_of(attachment.file.name)
    return files.safe_name(f"{attachment.title}.{extension}" if extension else attachment.title)
