"""Writes on a draft application's sections: saved at any time, complete or not.

Each function re-reads the application under a row lock and refuses with PermissionDenied unless the user
may edit it now (`projects.permissions.can_edit`: the group's staff, while it is a draft or returned), so an
edit racing a submission never changes what was submitted. A bad value is a ValidationError keyed by field.
Every save writes one audit event `application.edit` whose note is the section's key.
"""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.models import Organisation, User
from projects import permissions, rules
from projects.models import Application, ImplementingEnterprise, IndicatorComparison
from standards.models import ApplicationType

# The application's own fields that each section's page writes; "claim" has its own function.
SECTION_FIELDS: dict[str, list[str]] = {
    "advancement": ["advancement"],
    "implementation": ["implementation", "effect", "enterprises_count", "output_value", "savings"],
    "market": ["market_competitiveness"],
    "influence": ["social_influence"],
    "patents": ["patent_handling"],
    "promotion": ["promotion_plan"],
    "contact": ["contact_name", "contact_phone", "contact_email"],
    "pledge": ["pledge_accepted"],
}
# The table each section carries, and the fields of one of its rows.
SECTION_ROWS: dict[str, tuple[type, list[str]]] = {
    "advancement": (IndicatorComparison, ["indicator", "this_standard", "national_or_industry", "international"]),
    "implementation": (ImplementingEnterprise, ["name", "credit_code", "province"]),
}
CLAIM_FIELDS = {
    ApplicationType.INNOVATIVE: "claims_innovative",
    ApplicationType.ADVANCED: "claims_advanced",
    ApplicationType.INTERNATIONAL: "claims_international",
}


def _lock_for_edit(application: Application, by: User) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "group", "standard")
        .get(pk=application.pk)
    )
    if not permissions.can_edit(by, locked):
        raise PermissionDenied
    return locked


def _save(locked: Application, *, by: User, section: str, names: list[str]) -> Application:
    locked.save(update_fields=[*names, "updated_at"])
    audit.record(action="application.edit", target=locked, actor=by, note=section)
    return locked


@transaction.atomic
def save_claim(
    *,
    application: Application,
    by: User,
    claims: Sequence[str],
    industry_field: str,
    recommender: Organisation | None,
) -> Application:
    """Save the types claimed, the industry field and the recommender of a draft.

    Refuses (ValidationError by field) a type the standard's record does not support and a recommender
    the group may not name; a ministry-managed group names none. Audited as `application.edit` "claim".
    """
    locked = _lock_for_edit(application, by)
    eligible = set(locked.standard.eligible_types)
    errors = {
        CLAIM_FIELDS[kind]: _("The standard's record does not support the claim “%(type)s”.")
        % {"type": ApplicationType(kind).label}
        for kind in claims
        if kind not in eligible
    }
    if recommender is not None:
        if locked.group.ministry_managed:
            errors["recommender"] = _("A ministry-managed group applies directly, without a recommender.")
        elif recommender.pk not in {org.pk for org in rules.allowed_recommenders(locked.group)}:
            errors["recommender"] = _("%(name)s may not recommend your group.") % {"name": recommender.name}
    if errors:
        raise ValidationError(errors)
    for kind, field in CLAIM_FIELDS.items():
        setattr(locked, field, kind in claims)
    locked.industry_field = industry_field
    locked.recommender = recommender
    locked.clean_fields(exclude=_all_but(["industry_field"]))
    return _save(locked, by=by, section="claim", names=[*CLAIM_FIELDS.values(), "industry_field", "recommender"])


@transaction.atomic
def save_section(
    *,
    application: Application,
    by: User,
    section: str,
    fields: Mapping[str, object],
    rows: Sequence[Mapping[str, object]] | None = None,
) -> Application:
    """Save one section of a draft: its fields (`SECTION_FIELDS`) and, given `rows`, its whole table.

    The table (indicators for "advancement", implementing enterprises for "implementation") is replaced by
    `rows`, in their order. Nothing needs to be complete. Audited as `application.edit` with the section key.
    """
    if section not in SECTION_FIELDS:
        raise ValueError(f"unknown section {section!r}")
    unknown = set(fields) - set(SECTION_FIELDS[section])
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} are not in section {section!r}")
    locked = _lock_for_edit(application, by)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.clean_fields(exclude=_all_but(list(fields)))
    if rows is not None:
        _replace_rows(locked, section, rows)
    return _save(locked, by=by, section=section, names=list(fields))


def _replace_rows(application: Application, section: str, rows: Sequence[Mapping[str, object]]) -> None:
    if section not in SECTION_ROWS:
        raise ValueError(f"section {section!r} has no table")
    model, names = SECTION_ROWS[section]
    objects = [
        model(application=application, position=position, **{name: row.get(name, "") for name in names})
        for position, row in enumerate(rows)
    ]
    for position, obj in enumerate(objects):
        try:
            obj.full_clean(exclude=["application"])
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)d: %(errors)s") % {"row": position + 1, "errors": "; ".join(error.messages)}
            ) from error
    model.objects.filter(application=application).delete()
    model.objects.bulk_create(objects)


def _all_but(names: list[str]) -> list[str]:
    return [field.name for field in Application._meta.concrete_fields if field.name not in names]
