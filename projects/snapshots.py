"""What an application said at each submission, and what changed between two of them.

`capture` turns an application into plain JSON (stored by `workflow.submit` as a `SubmissionSnapshot`);
`differences` compares two captures field by field, so a recommender sees what a revision changed: a text
letter by letter, a table (enterprises, indicators, attachments) row by row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
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
# What a table's row is about, as `capture` writes it: a changed row with the same key was replaced, not
# removed and another added (an enterprise by its name, an indicator by its name, a file by its slot).
ROW_KEYS: dict[str, Callable[[str], str]] = {
    "enterprises": lambda row: row.partition("（")[0],
    "indicators": lambda row: row.partition(" | ")[0],
    "attachments": lambda row: row.partition(": ")[0],
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
class Row:
    """A row of a table in a difference: unchanged (`op` ""), "added", "removed", or "replaced" (`before` by
    `text`)."""

    op: str
    text: str
    before: str = ""


@dataclass(frozen=True)
class Difference:
    """A changed field (`pieces`, letter by letter) or table (`rows`, row by row), with its whole texts."""

    label: str
    before: str
    after: str
    pieces: list[Piece] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


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


def _rows(before: list[str], after: list[str], key: Callable[[str], str]) -> list[Row]:
    # Row by row: a file added to a slot is one added row, not letters underlined in a long text.
    rows: list[Row] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [Row("", text) for text in after[j1:j2]]
            continue
        removed, added = list(before[i1:i2]), list(after[j1:j2])
        for new in added:
            old = next((old for old in removed if key(old) == key(new)), None)
            if old is None:
                rows.append(Row("added", new))
            else:
                removed.remove(old)
                rows.append(Row("replaced", new, old))
        rows += [Row("removed", old) for old in removed]
    return rows


def differences(before: dict, after: dict) -> list[Difference]:
    """Every field and table that differs between two captures, in the form's order."""
    labels = {f.name: f.verbose_name for f in Application._meta.get_fields() if f.name in FIELDS}
    found = []
    for name in FIELDS:
        old, new = before["fields"].get(name, ""), after["fields"].get(name, "")
        if old != new:
            found.append(Difference(str(labels[name]), old, new, _pieces(old, new)))
    for key, label in TABLES.items():
        old_rows, new_rows = before.get(key, []), after.get(key, [])
        if old_rows != new_rows:
            rows = _rows(old_rows, new_rows, ROW_KEYS[key])
            found.append(Difference(str(label), "\n".join(old_rows), "\n".join(new_rows), rows=rows))
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
