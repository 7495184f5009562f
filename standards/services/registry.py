"""Writes on group standards, their adoptions and their evaluations.

Callers check the right first (`standards.permissions`); these functions check the data. A refusal is a
`ValidationError` keyed by field, so a form can show it beside what the user typed.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from standards.models import Adoption, Evaluation, GroupStandard, SocialGroup
from standards.numbers import InvalidNumberError, parse_number
from standards.services.common import apply_fields, changed_fields, schedule_file_removal


def _check_number(standard: GroupStandard, co_issuers: Iterable[SocialGroup]) -> None:
    """Normalise the typed number; its group code must be the issuer's or a co-issuer's, and it must be new."""
    try:
        parsed = parse_number(standard.number_as_typed)
    except InvalidNumberError as error:
        raise ValidationError({"number_as_typed": str(error)}) from error
    codes = [standard.issuer.code, *(group.code for group in co_issuers)]
    if parsed.code not in codes:
        raise ValidationError(
            {
                "number_as_typed": _("The group code %(code)s in this number is not the issuing group's (%(codes)s).")
                % {"code": parsed.code, "codes": ", ".join(codes)}
            }
        )
    standard.number = str(parsed)
    if GroupStandard.objects.filter(number=standard.number).exclude(pk=standard.pk).exists():
        raise _duplicate(standard.number)


def _duplicate(number: str) -> ValidationError:
    return ValidationError({"number_as_typed": _("%(number)s is already in the registry.") % {"number": number}})


def _save(standard: GroupStandard, co_issuers: list[SocialGroup] | None) -> None:
    issuers = co_issuers if co_issuers is not None else list(standard.co_issuers.all()) if standard.pk else []
    _check_number(standard, issuers)
    standard.full_clean(validate_unique=False)  # the number's uniqueness was just checked
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError as error:  # the same number registered concurrently, after the check above
        raise _duplicate(standard.number) from error
    if co_issuers is not None:
        standard.co_issuers.set(co_issuers)


def _without_issuer(issuer: SocialGroup, co_issuers: Iterable[SocialGroup] | None) -> list[SocialGroup] | None:
    return None if co_issuers is None else [group for group in co_issuers if group.pk != issuer.pk]


@transaction.atomic
def create_standard(
    *, issuer: SocialGroup, co_issuers: Iterable[SocialGroup] = (), by: User | None = None, **fields
) -> GroupStandard:
    """Register a group standard of `issuer`; `fields` are GroupStandard's (number_as_typed, title_zh…).

    Raises ValidationError (by field) for an unreadable, foreign or duplicate number and for inconsistent
    dates or status; audited as `standard.create`.
    """
    fields["full_text"] = fields.get("full_text") or ""
    standard = GroupStandard(issuer=issuer, **fields)
    _save(standard, _without_issuer(issuer, co_issuers))
    audit.record(action="standard.create", target=standard, actor=by)
    return standard


@transaction.atomic
def update_standard(
    *,
    standard: GroupStandard,
    co_issuers: Iterable[SocialGroup] | None = None,
    by: User | None = None,
    action: str = "standard.update",
    **fields,
) -> list[str]:
    """Change the standard's fields (and co-issuers, unless None); return the names that changed.

    A file field given as None stays, False clears it; a replaced file is removed after commit. Nothing
    changed writes nothing, not even an audit row.
    """
    current = GroupStandard.objects.select_for_update().select_related("issuer__organisation").get(pk=standard.pk)
    changed = changed_fields(current, fields)
    issuer = fields.get("issuer", current.issuer)
    co_issuers = _without_issuer(issuer, co_issuers)
    if co_issuers is not None and {g.pk for g in co_issuers} != set(current.co_issuers.values_list("pk", flat=True)):
        changed.append("co_issuers")
    else:
        co_issuers = None
    if not changed:
        return []
    replaced_files = apply_fields(current, fields, [name for name in changed if name != "co_issuers"])
    _save(current, co_issuers)
    schedule_file_removal(*replaced_files)
    audit.record(action=action, target=current, actor=by, note=", ".join(changed))
    return changed


@transaction.atomic
def add_adoption(*, standard: GroupStandard, by: User | None = None, **fields) -> Adoption:
    """Record where the standard was adopted (policy, national or industry standard, procurement…)."""
    adoption = Adoption(standard=standard, **fields)
    adoption.full_clean()
    adoption.save()
    audit.record(action="adoption.create", target=standard, actor=by, note=str(adoption))
    return adoption


@transaction.atomic
def remove_adoption(*, adoption: Adoption, by: User | None = None) -> None:
    standard, label = adoption.standard, str(adoption)
    adoption.delete()
    audit.record(action="adoption.delete", target=standard, actor=by, note=label)


@transaction.atomic
def add_evaluation(*, standard: GroupStandard, by: User | None = None, **fields) -> Evaluation:
    """Record a third-party evaluation with its five ratings and, optionally, its report (PDF)."""
    fields["report"] = fields.get("report") or ""
    evaluation = Evaluation(standard=standard, **fields)
    evaluation.full_clean()
    evaluation.save()
    audit.record(action="evaluation.create", target=standard, actor=by, note=str(evaluation))
    return evaluation


@transaction.atomic
def remove_evaluation(*, evaluation: Evaluation, by: User | None = None) -> None:
    standard, label, report = evaluation.standard, str(evaluation), evaluation.report.name
    evaluation.delete()
    schedule_file_removal(report)
    audit.record(action="evaluation.delete", target=standard, actor=by, note=label)
