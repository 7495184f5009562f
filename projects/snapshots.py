"""What an application said at each submission, and what changed between two of them.

`capture` turns an application into plain JSON (stored by `workflow.submit` as a `SubmissionSnapshot`);
`differences` compares two captures field by field, so a recommender sees what a revision changed.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy

from projects.models import Application, ApplicationStatus, AttachmentSlot, IndustryField, SubmissionSnapshot

# The fields of the 申报书 a revision may change, in the order the form shows them.
FIELDS = [
    "claims_innovative",
    "claims_advanced",
    "claims_international",
    "industry_field",
    "recommender",
    "advancement",
    "implementation",
    "effect",
    "enterprises_count",
    "output_value",
    "savings",
    "market_competitiveness",
    "social_influence",
    "patent_handling",
    "promotion_plan",
    "contact_name",
    "contact_phone",
    "contact_email",
    "pledge_accepted",
]
TABLES = {
    "enterprises": gettext_lazy("Implementing enterprises"),
    "indicators": gettext_lazy("Indicator comparisons"),
    "attachments": gettext_lazy("Attachments"),
}


def _value(application: Application, name: str) -> str:
    if name == "recommender":
        return str(application.recommender) if application.recommender_id else ""
    if name == "industry_field":
        return str(IndustryField(application.industry_field).label) if application.industry_field else ""
    value = getattr(application, name)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "" if value is None else str(value)


def capture(application: Application) -> dict[str, object]:
    """The application's content as JSON-ready data: fields as text, tables as lists of lines."""
    enterprises = [f"{e.name}（{e.credit_code}，{e.get_province_display()}）" for e in application.enterprises.all()]
    indicators = [
        " | ".join([i.indicator, i.this_standard, i.national_or_industry, i.international])
        for i in application.indicators.all()
    ]
    attachments = [
        f"{AttachmentSlot(a.slot).label}: {a.original_name}" for a in application.attachments.order_by("slot", "id")
    ]
    return {
        "fields": {name: _value(application, name) for name in FIELDS},
        "enterprises": enterprises,
        "indicators": indicators,
        "attachments": attachments,
    }


@dataclass(frozen=True)
class Piece:
    """A run of text in a difference: unchanged (`op` ""), inserted ("ins") or deleted ("del")."""

    op: str
    text: str


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str
    pieces: list[Piece]


def _pieces(before: str, after: str) -> list[Piece]:
    # Character by character: Chinese text has no spaces to split words on.
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("", before[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(Piece("del", before[i1:i2]))
        if j2 > j1:
            pieces.append(Piece("ins", after[j1:j2]))
    return pieces


def differences(before: dict, after: dict) -> list[Difference]:
    """Every field and table that differs between two captures, in the form's order."""
    labels = {f.name: f.verbose_name for f in Application._meta.get_fields() if f.name in FIELDS}
    found = []
    for name in FIELDS:
        old, new = before["fields"].get(name, ""), after["fields"].get(name, "")
        if old != new:
            found.append(Difference(str(labels[name]), old, new, _pieces(old, new)))
    for key, label in TABLES.items():
        old, new = "\n".join(before.get(key, [])), "\n".join(after.get(key, []))
        if old != new:
            found.append(Difference(str(label), old, new, _pieces(old, new)))
    return found


@dataclass(frozen=True)
class Revision:
    """What changed between the previous submission and the latest one."""

    previous: SubmissionSnapshot
    latest: SubmissionSnapshot
    changes: list[Difference]


def last_revision(application: Application) -> Revision | None:
    """The changes of the latest resubmission, or None when the application was submitted once (or never)."""
    if application.submission_count < 2 or application.status == ApplicationStatus.DRAFT:
        return None
    latest_two = list(application.snapshots.order_by("-number")[:2])
    if len(latest_two) < 2:
        return None
    latest, previous = latest_two
    return Revision(previous, latest, differences(previous.data, latest.data))
