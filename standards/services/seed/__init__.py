"""Demo content for the registry, added by `seed_demo` after the demo organisations exist."""

from django.core.files.base import ContentFile
from django.db import transaction

from portal import services as portal_services
from portal.choices import OrganisationKind
from portal.models import Organisation
from standards.files import minimal_pdf
from standards.models import GroupDocument, GroupStandard, SocialGroup
from standards.numbers import normalise_number
from standards.services.groups import create_group_profile, publish_group_document
from standards.services.registry import add_adoption, add_evaluation, create_standard, update_standard
from standards.services.seed.groups import DOCUMENTS, NEW_ORGANISATIONS, PROFILES
from standards.services.seed.standards import ADOPTIONS, EVALUATIONS, STANDARDS


@transaction.atomic
def seed_demo_standards() -> None:
    """Create the demo groups' profiles, standards, adoptions, evaluations and documents. Idempotent.

    Expects seed_demo's organisations ZZB and CCSA; creates the other issuers (CNTAC, CTES, CPIA, GZAEPI,
    CAS) as social-group organisations. What already exists is left as it is.
    """
    for spec in NEW_ORGANISATIONS:
        if not Organisation.objects.filter(code=spec["code"]).exists():
            portal_services.create_organisation(kind=OrganisationKind.SOCIAL_GROUP, **spec)
    groups = {code: _profile(code, fields) for code, fields in PROFILES.items()}
    created = {spec["number_as_typed"]: _standard(spec, groups) for spec in STANDARDS}
    for spec in STANDARDS:
        if spec.get("replaced_by") and created[spec["number_as_typed"]]:
            successor = GroupStandard.objects.get(number=normalise_number(spec["replaced_by"]))
            update_standard(standard=created[spec["number_as_typed"]], replaced_by=successor)
    for standard in filter(None, created.values()):
        for adoption in ADOPTIONS.get(standard.number, []):
            add_adoption(standard=standard, **adoption)
        if standard.number in EVALUATIONS:
            _evaluation(standard)
    for code, version_date in DOCUMENTS.items():
        if not groups[code].documents.exists():
            _documents(groups[code], version_date)


def _profile(code: str, fields: dict) -> SocialGroup:
    organisation = Organisation.objects.get(code=code)
    existing = SocialGroup.objects.filter(organisation=organisation).first()
    return existing or create_group_profile(organisation=organisation, **fields)


def _standard(spec: dict, groups: dict[str, SocialGroup]) -> GroupStandard | None:
    """Create the standard unless its number is registered; return it only when created."""
    fields = {k: v for k, v in spec.items() if k not in {"group", "co_issuers", "replaced_by", "full_text"}}
    if GroupStandard.objects.filter(number=normalise_number(fields["number_as_typed"])).exists():
        return None
    if spec.get("full_text"):
        fields["full_text"] = ContentFile(_pdf(spec["number_as_typed"], spec["title_en"]), name="full-text.pdf")
        fields["full_text_public"] = spec["full_text"] == "public"
    return create_standard(
        issuer=groups[spec["group"]], co_issuers=[groups[code] for code in spec.get("co_issuers", [])], **fields
    )


def _evaluation(standard: GroupStandard) -> None:
    spec = EVALUATIONS[standard.number]
    report = ContentFile(_pdf("Evaluation report", standard.number, spec["evaluator"]), name="report.pdf")
    add_evaluation(standard=standard, report=report, **spec)


def _documents(group: SocialGroup, version_date) -> None:
    for kind in GroupDocument.Kind:
        pdf = _pdf(group.code, str(kind.label), f"Version {version_date:%Y-%m-%d}")
        publish_group_document(
            group=group, kind=kind, version_date=version_date, file=ContentFile(pdf, name=f"{kind.value}.pdf")
        )


def _pdf(*lines: str) -> bytes:
    return minimal_pdf(*lines, "Demonstration data of the group-standard portal.")
