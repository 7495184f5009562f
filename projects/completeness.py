"""What an application still lacks before it may be submitted, section by section."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Application, AttachmentSlot
from projects.rules import allowed_recommenders

REQUIRED_SLOTS = [
    AttachmentSlot.REGISTRATION_CERTIFICATE,
    AttachmentSlot.ISSUING_DOCUMENT,
    AttachmentSlot.STANDARD_TEXT,
    AttachmentSlot.IMPLEMENTATION_PROOF,
]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    guidance: str


SECTIONS = [
    Section(
        "claim",
        gettext_lazy("Claim and recommender"),
        gettext_lazy("The types you claim must follow from the standard's recorded relation to other standards."),
    ),
    Section(
        "advancement",
        gettext_lazy("The standard and its advancement"),
        gettext_lazy(
            "Compare the standard with national, industry and international standards; list the key indicators."
        ),
    ),
    Section(
        "implementation",
        gettext_lazy("Implementation and effect"),
        gettext_lazy("How the standard was implemented, by which enterprises, and what it achieved, in figures."),
    ),
    Section(
        "market",
        gettext_lazy("Market competitiveness"),
        gettext_lazy("How the standard improved the competitiveness of products and enterprises."),
    ),
    Section(
        "influence",
        gettext_lazy("Social influence"),
        gettext_lazy("Adoption by policy, certification, procurement; recognition in the industry and abroad."),
    ),
    Section(
        "patents",
        gettext_lazy("Patent handling"),
        gettext_lazy("Patents involved in the standard and how they were disclosed and licensed."),
    ),
    Section(
        "promotion",
        gettext_lazy("Promotion plan"),
        gettext_lazy("How the group will promote the standard if selected as a demonstration project."),
    ),
    Section(
        "contact",
        gettext_lazy("Contact person"),
        gettext_lazy("The person the recommender and the secretariat will contact."),
    ),
    Section(
        "pledge",
        gettext_lazy("Integrity pledge"),
        gettext_lazy("The group pledges that everything in this application is true and that it accepts verification."),
    ),
    Section(
        "attachments",
        gettext_lazy("Attachments"),
        gettext_lazy("PDF, OFD, DOCX, XLSX, JPG or PNG; proof of implementation may be several files."),
    ),
]
SECTION_BY_KEY = {section.key: section for section in SECTIONS}


def missing_items(application: Application) -> dict[str, list[str]]:
    """Per section key, the sentences that say what is missing; an empty dict means complete.

    Expects `enterprises`, `indicators` and `attachments` prefetched for a page that shows it often.
    """
    checks = {
        "claim": _claim,
        "advancement": _advancement,
        "implementation": _implementation,
        "market": lambda a: _text(a.market_competitiveness, _("Describe the market competitiveness.")),
        "influence": lambda a: _text(a.social_influence, _("Describe the social influence.")),
        "patents": lambda a: _text(a.patent_handling, _("Describe how patents were handled (or state none).")),
        "promotion": lambda a: _text(a.promotion_plan, _("Describe the promotion plan.")),
        "contact": _contact,
        "pledge": lambda a: [] if a.pledge_accepted else [_("Accept the integrity pledge.")],
        "attachments": _attachments,
    }
    missing = {key: check(application) for key, check in checks.items()}
    return {key: items for key, items in missing.items() if items}


def _text(value: str, message: str) -> list[str]:
    return [] if value.strip() else [message]


def _claim(application: Application) -> list[str]:
    items = []
    claimed = application.claimed_types
    eligible = application.standard.eligible_types
    if not claimed:
        items.append(_("Claim at least one type: innovative, advanced or international."))
    for kind in claimed:
        if kind not in eligible:
            items.append(
                _("The standard's record does not support the claim “%(type)s”; correct the claim or the record.")
                % {"type": kind.label}
            )
    if not application.industry_field:
        items.append(_("Choose the industry field."))
    if application.group.ministry_managed:
        if application.recommender_id:
            items.append(_("A ministry-managed group applies directly: remove the recommender."))
    elif application.recommender_id is None:
        items.append(_("Choose the recommender: your province's department or an industry delegate."))
    elif application.recommender_id not in {org.pk for org in allowed_recommenders(application.group)}:
        items.append(_("The chosen recommender may not recommend your group; choose another."))
    return items


def _advancement(application: Application) -> list[str]:
    items = _text(application.advancement, _("Describe how the standard compares with other standards."))
    if not application.indicators.all():
        items.append(_("Add at least one indicator to the comparison table."))
    return items


def _implementation(application: Application) -> list[str]:
    items = _text(application.implementation, _("Describe how the standard was implemented."))
    items += _text(application.effect, _("Describe the effect of the implementation."))
    if not application.enterprises.all():
        items.append(_("Add at least one implementing enterprise."))
    if application.enterprises_count is None:
        items.append(_("Give the number of implementing enterprises."))
    if application.output_value is None:
        items.append(_("Give the output value."))
    return items


def _contact(application: Application) -> list[str]:
    items = _text(application.contact_name, _("Give the contact person's name."))
    items += _text(application.contact_phone, _("Give the contact person's phone number."))
    items += _text(application.contact_email, _("Give the contact person's e-mail address."))
    return items


def _attachments(application: Application) -> list[str]:
    present = {attachment.slot for attachment in application.attachments.all()}
    return [
        _("Upload: %(slot)s.") % {"slot": AttachmentSlot(slot).label} for slot in REQUIRED_SLOTS if slot not in present
    ]
