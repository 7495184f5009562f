"""The recommender's writes that are not state transitions: the order of its recommendations in a call."""

from collections import Counter
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import audit
from portal.models import Organisation, User
from projects import permissions, rules
from projects.models import Application, ApplicationStatus, Call


def reorder_closed_reason(deadline: datetime, now: datetime) -> str:
    """Why a recommender whose deadline (`rules.recommendation_deadline`) is `deadline` may no longer reorder
    its recommendations; empty while it may (up to and including the deadline, as `rules.recommendation_open`)."""
    if now <= deadline:
        return ""
    return _(
        "The recommendation deadline %(deadline)s (Beijing time) has passed: the ranks can no longer be changed."
    ) % {"deadline": date_format(timezone.localtime(deadline, timezone.get_default_timezone()), "DATETIME_FORMAT")}


# Once the formal check has decided on some of a recommender's recommendations (admitted to expert review, or
# found ineligible) and the secretariat then extends the recommender's deadline, the recommender may:
# - reorder the recommendations still awaiting the check (`recommended`), and recommend more within its quota;
# - not move the ranks of those the check has decided on: the check read the order the recommender had given
#   by its deadline, and they are no longer its to change (the ranks page shows them, read-only, with their
#   state). They keep their places in the quota and their ranks, so every other recommendation that counts
#   (`rules.COUNTS_AS_RECOMMENDED`) takes a rank none of them holds: no two share one.
# Ranks may leave gaps, as a withdrawal's does: with ranks fixed around them, the others cannot always close up.


def rank_is_fixed(application: Application) -> bool:
    """Whether the formal check has decided on the recommendation, so that its rank may no longer change."""
    return application.status != ApplicationStatus.RECOMMENDED


@transaction.atomic
def reorder_recommendations(*, call: Call, recommender: Organisation, ranks: dict[int, int], by: User) -> None:
    """Give each of the recommender's recommended applications in the call a new rank (application id → rank).

    Preconditions: `by` acts for the recommender (else PermissionDenied); the recommender's deadline (with its
    extension) has not passed; `ranks` names exactly its applications still `recommended` in the call, each with
    a different whole number from 1 to its quota that none of its recommendations with a fixed rank holds
    (`rank_is_fixed`), else ValidationError. Only `recommendation_rank` changes; audited as
    `recommendation.reorder` on each application whose rank changed, with the note "a → b".
    """
    if not permissions.acts_for(by, recommender):
        raise PermissionDenied
    closed = reorder_closed_reason(rules.recommendation_deadline(call, recommender), timezone.now())
    if closed:
        raise ValidationError(closed)
    recommended = Application.objects.filter(call=call, recommender=recommender, status=ApplicationStatus.RECOMMENDED)
    # The applications first, then the organisation: the order workflow.recommend takes, so the two cannot
    # deadlock, and a recommendation, decline or withdrawal waits for the new order (or this for it).
    locked = list(recommended.select_for_update(of=("self",)).select_related("standard").order_by("pk"))
    Organisation.objects.select_for_update().filter(pk=recommender.pk).get()
    # Read again under the organisation's lock: a recommendation committed meanwhile joins the set.
    current = set(recommended.values_list("pk", flat=True))
    if set(ranks) != current or current != {application.pk for application in locked}:
        raise ValidationError(_("The recommended applications changed meanwhile: reload the page and rank them again."))
    _check_ranks(ranks, rules.quota_for(call, recommender))
    _check_fixed_ranks(ranks, fixed_ranks(call, recommender))
    changed = [application for application in locked if application.recommendation_rank != ranks[application.pk]]
    # The partial unique constraint on the rank cannot be deferred, so swapping 1 and 2 directly would clash:
    # clear the ranks that move, then write them (NULLs never clash).
    Application.objects.filter(pk__in=[application.pk for application in changed]).update(recommendation_rank=None)
    for application in changed:
        previous = application.recommendation_rank
        Application.objects.filter(pk=application.pk).update(recommendation_rank=ranks[application.pk])
        note = f"{previous or '—'} → {ranks[application.pk]}"
        audit.record(action="recommendation.reorder", target=application, actor=by, note=note)


def fixed_ranks(call: Call, recommender: Organisation) -> dict[int, Application]:
    """Rank → the recommendation that holds it for good (`rank_is_fixed`), among those that count."""
    fixed = (
        Application.objects.filter(rules.COUNTS_AS_RECOMMENDED, call=call, recommender=recommender)
        .exclude(status=ApplicationStatus.RECOMMENDED)
        .select_related("standard")
    )
    return {application.recommendation_rank: application for application in fixed}


def fixed_rank_message(rank: int, holder: Application) -> str:
    """The refusal of `rank` to a recommendation that may move, `holder` keeping it for good."""
    return _("Rank %(rank)d stays with %(application)s, which the formal check has decided on: give another rank.") % {
        "rank": rank,
        "application": holder,
    }


def _check_fixed_ranks(ranks: dict[int, int], fixed: dict[int, Application]) -> None:
    taken = sorted(rank for rank in ranks.values() if rank in fixed)
    if taken:
        raise ValidationError(fixed_rank_message(taken[0], fixed[taken[0]]))


def _check_ranks(ranks: dict[int, int], quota: int) -> None:
    values = list(ranks.values())
    if any(isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= quota for rank in values):
        raise ValidationError(_("Each rank must be a whole number from 1 to %(quota)d.") % {"quota": quota})
    repeated = sorted(rank for rank, count in Counter(values).items() if count > 1)
    if repeated:
        raise ValidationError(
            _("Rank %(rank)d is given to more than one application: give each a different rank.")
            % {"rank": repeated[0]}
        )
