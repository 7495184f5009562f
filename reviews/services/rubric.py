"""Writes on a call's rubric (评分标准) and review settings, editable until the first review is submitted.

Callers check the right first (the secretariat's). `RubricFrozen` says the rubric can no longer change (409);
a `ValidationError` keyed by field says what to fix (400). Every save is audited.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from projects.models import Call
from reviews.models import Criterion, ReviewSettings, Score
from reviews.rubric import DEFAULT_CRITERIA, MAX_SCORE_LIMIT

SETTINGS_FIELDS = ("reviews_per_application", "max_load", "due_at", "rank_by", "tie_break", "divergence_threshold")


class RubricFrozen(Exception):
    """The call's first review is submitted: its rubric and settings no longer change."""

    def __init__(self, frozen_at) -> None:
        self.frozen_at = frozen_at
        super().__init__(
            _(
                "The rubric and the review settings are frozen since the first review of the call was submitted "
                "(%(at)s): a ranking must rest on rules that did not move while it was made."
            )
            % {"at": timezone.localtime(frozen_at).strftime("%Y-%m-%d %H:%M")}
        )


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the secretariat typed it; `pk` is None for a new one."""

    name: str
    weight: Decimal
    max_score: int
    description: str = ""
    pk: int | None = None


def ensure_rubric(call: Call) -> ReviewSettings:
    """The call's review settings, created with the defaults and the notice's four criteria when it has none.

    Idempotent and safe to call from two requests at once: the settings row is locked while the defaults go in.
    """
    ReviewSettings.objects.get_or_create(call=call)
    with transaction.atomic():
        settings = ReviewSettings.objects.select_for_update().get(call=call)
        if not Criterion.objects.filter(call=call).exists():
            Criterion.objects.bulk_create(
                Criterion(
                    call=call,
                    position=position,
                    name=default.name,
                    description=default.description,
                    weight=default.weight,
                    max_score=default.max_score,
                )
                for position, default in enumerate(DEFAULT_CRITERIA)
            )
    return settings


def check_rows(rows: list[CriterionRow]) -> None:
    """Refuse a rubric without criteria, with a weight that is not positive, a maximum out of 1..1000 or a name
    twice; errors keyed `criteria`."""
    errors = []
    if not rows:
        errors.append(_("A rubric needs at least one criterion."))
    names = [row.name.strip() for row in rows]
    for name in sorted({name for name in names if names.count(name) > 1}):
        errors.append(_("“%(name)s” is the name of two criteria: each criterion needs its own name.") % {"name": name})
    for row in rows:
        if row.weight <= 0:
            errors.append(_("The weight of “%(name)s” must be more than 0.") % {"name": row.name})
        if not 1 <= row.max_score <= MAX_SCORE_LIMIT:
            errors.append(
                _("The maximum score of “%(name)s” must be from 1 to %(limit)s.")
                % {"name": row.name, "limit": MAX_SCORE_LIMIT}
            )
    if errors:
        raise ValidationError({"criteria": errors})


@transaction.atomic
def save_rubric(*, call: Call, by: User, settings: dict, criteria: list[CriterionRow]) -> ReviewSettings:
    """Save the call's review settings (keys of `SETTINGS_FIELDS`) and its criteria, in the order given.

    Preconditions: no review of the call is submitted yet (else `RubricFrozen`); `criteria` as `check_rows`
    wants. Criteria left out are removed with the draft scores given to them. Audited as `review.rubric_save`.
    """
    ensure_rubric(call)
    locked = ReviewSettings.objects.select_for_update().get(call=call)  # a submission freezes it meanwhile
    if locked.frozen_at is not None:
        raise RubricFrozen(locked.frozen_at)
    check_rows(criteria)
    for name in SETTINGS_FIELDS:
        setattr(locked, name, settings[name])
    locked.full_clean(exclude=["call"])
    locked.save(update_fields=list(SETTINGS_FIELDS))
    _save_criteria(call, criteria)
    audit.record(action="review.rubric_save", target=call, actor=by, note=_rubric_note(criteria))
    return locked


def _save_criteria(call: Call, rows: list[CriterionRow]) -> None:
    existing = {criterion.pk: criterion for criterion in Criterion.objects.filter(call=call)}
    kept = {row.pk for row in rows if row.pk in existing}
    gone = [pk for pk in existing if pk not in kept]
    Score.objects.filter(criterion__in=gone).delete()  # only drafts: nothing is submitted before the freeze
    Criterion.objects.filter(pk__in=gone).delete()
    # Names are unique per call and checked row by row: park the kept ones first, so that two criteria may
    # swap their names in one save.
    for pk in kept:
        Criterion.objects.filter(pk=pk).update(name=f"~{pk}~parked")
    for position, row in enumerate(rows):
        values = {
            "position": position,
            "name": row.name.strip(),
            "description": row.description.strip(),
            "weight": row.weight,
            "max_score": row.max_score,
        }
        if row.pk in kept:
            Criterion.objects.filter(pk=row.pk).update(**values)
        else:
            Criterion.objects.create(call=call, **values)


def _rubric_note(rows: list[CriterionRow]) -> str:
    return "; ".join(f"{row.name.strip()} {row.weight}/{row.max_score}" for row in rows)


def freeze(call: Call) -> bool:
    """Freeze the call's rubric and settings, in the caller's transaction; True when this call froze them."""
    return bool(ReviewSettings.objects.filter(call=call, frozen_at__isnull=True).update(frozen_at=timezone.now()))
