"""Reads around a submission: what the confirmation page lists before it, and the receipt (回执) of each one.

A receipt is derived, never stored apart: each submission writes, in one transaction, its `SubmissionSnapshot`
(what was sent, numbered 1, 2, … per application) and one `application.submit` audit event (who sent it), so
the n-th snapshot and the n-th submit event describe the same submission.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from portal.models import AuditEvent
from projects.completeness import REQUIRED_SLOTS, SECTIONS, Section
from projects.models import Application, Attachment, AttachmentSlot, SubmissionSnapshot
from standards.models import ApplicationType

SUBMIT = "application.submit"
# The snapshot's flag of each type the application may claim.
CLAIM_FIELDS = {
    "claims_innovative": ApplicationType.INNOVATIVE,
    "claims_advanced": ApplicationType.ADVANCED,
    "claims_international": ApplicationType.INTERNATIONAL,
}


# --- before: what the confirmation page lists ----------------------------------------------------------
@dataclass(frozen=True)
class SectionState:
    section: Section
    missing: list[str]


@dataclass(frozen=True)
class SlotFiles:
    """One attachment slot and the files uploaded to it; `required` slots must hold one before submitting."""

    label: str
    required: bool
    files: list[Attachment]


def section_states(missing: dict[str, list[str]]) -> list[SectionState]:
    return [SectionState(section, missing.get(section.key, [])) for section in SECTIONS]


def attachments_by_slot(application: Application) -> list[SlotFiles]:
    """Every required slot and every slot holding a file, in the slots' order, with its files (prefetched)."""
    by_slot: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        by_slot.setdefault(attachment.slot, []).append(attachment)
    return [
        SlotFiles(str(slot.label), slot in REQUIRED_SLOTS, by_slot.get(slot.value, []))
        for slot in AttachmentSlot
        if slot in REQUIRED_SLOTS or slot.value in by_slot
    ]


# --- after: the receipt -----------------------------------------------------------------------------------
def receipt_number(snapshot: SubmissionSnapshot) -> str:
    """`<year>-<application id, 6 digits>-<submission>`, e.g. 2026-000123-1: the year of the submission in
    Beijing time. Only what never changes goes into it (not the group's code, which the registry may correct),
    so the number on a printed receipt is the number the portal shows for ever after."""
    year = timezone.localtime(snapshot.taken_at, timezone.get_default_timezone()).year
    return f"{year}-{snapshot.application_id:06d}-{snapshot.number}"


@dataclass(frozen=True)
class Receipt:
    application: Application
    snapshot: SubmissionSnapshot
    submitted_by: str

    @property
    def number(self) -> str:
        return receipt_number(self.snapshot)

    @property
    def submitted_at(self) -> datetime:
        return self.snapshot.taken_at

    @property
    def recommender(self) -> str:
        """The recommender it was sent to, as the snapshot names it; "" when the group applied directly."""
        return str(self.snapshot.data.get("fields", {}).get("recommender", ""))

    @property
    def claimed_types(self) -> list[ApplicationType]:
        fields = self.snapshot.data.get("fields", {})
        return [kind for name, kind in CLAIM_FIELDS.items() if fields.get(name) == "✓"]

    @property
    def attachments(self) -> list[tuple[str, str]]:
        """(kind, file name) per file sent, as captured: `snapshots.capture` writes "<kind>: <file name>" in the
        language of the submitting session, and no kind's label holds ": "."""
        lines = self.snapshot.data.get("attachments", [])
        return [tuple(line.split(": ", 1)) if ": " in line else ("", line) for line in lines]

    @property
    def sections(self) -> list[Section]:
        # Only a complete application is accepted: every section was sent complete.
        return SECTIONS

    @property
    def is_resubmission(self) -> bool:
        return self.snapshot.number > 1


def receipt(application: Application, number: int) -> Receipt | None:
    """The receipt of the application's `number`-th submission, or None when there was none. Two queries."""
    snapshot = application.snapshots.filter(number=number).first() if number > 0 else None
    if snapshot is None:
        return None
    event = AuditEvent.objects.for_object(application).filter(action=SUBMIT).order_by("id")[number - 1 : number]
    actor = next(iter(event.values_list("actor_label", flat=True)), "")
    return Receipt(application, snapshot, actor)


def receipt_of_event(application: Application, event: AuditEvent) -> Receipt | None:
    """The receipt of the submission that `event` (an `application.submit` event of the application) recorded."""
    if event.action != SUBMIT:
        return None
    number = AuditEvent.objects.for_object(application).filter(action=SUBMIT, pk__lte=event.pk).count()
    snapshot = application.snapshots.filter(number=number).first()
    return Receipt(application, snapshot, event.actor_label) if snapshot is not None else None
