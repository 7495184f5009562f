"""The expert review's outcome: the secretariat shortlists from the ranking and marks the rest not selected.

A selection is the top N of the ranking, the applications at or above a score, or a hand-made list; names may be
added to or taken out of it. Every application of the call still under review is decided at once, through
`projects.workflow.shortlist` / `not_select` (the one door), all or nothing. Two things need a reason, which the
audit log keeps with the decision (on the call: the application's own timeline is its group's to read, and
carries no score): a choice that departs from the ranking (one chosen below one left out), and deciding before
every review of an application is in (the override).
"""

import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from projects import workflow
from projects.models import Application, ApplicationStatus, Call
from reviews.aggregation import Aggregate
from reviews.models import RankBy, ReviewSettings
from reviews.selectors_ranking import Ranking, ranking

TOP_N, THRESHOLD, BY_HAND = "top_n", "threshold", "by_hand"
# A call with more applications under review than this is decided by a Celery task, the page showing its progress:
# each move is a locked, audited transaction (some 5 ms), and 2,600 of them would hold a request for 15 s.
SHORTLIST_INLINE_LIMIT = 300
DECISION_TTL = 24 * 3600


class NeedsReason(Exception):
    """The selection departs from the ranking, or reviews are missing: it is made only with a reason (400)."""


@dataclass(frozen=True)
class Selection:
    mode: str  # TOP_N, THRESHOLD or BY_HAND
    count: int | None = None
    threshold: Decimal | None = None
    include: frozenset[int] = frozenset()  # application pks added by hand
    exclude: frozenset[int] = frozenset()  # and taken out by hand


@dataclass
class Plan:
    """What a selection does to the applications still under review, in ranking order."""

    ranking: Ranking
    chosen: list[Aggregate] = field(default_factory=list)
    rest: list[Aggregate] = field(default_factory=list)
    departures: list[Aggregate] = field(default_factory=list)
    incomplete: list[Aggregate] = field(default_factory=list)

    @property
    def needs_reason(self) -> bool:
        return bool(self.departures or self.incomplete)


def _open_rows(the_ranking: Ranking, statuses: dict[int, str]) -> list[Aggregate]:
    return [row for row in the_ranking.rows if statuses.get(row.application_id) == ApplicationStatus.UNDER_REVIEW]


def plan(call: Call, selection: Selection) -> Plan:
    """The selection applied to the call's ranking; nothing is written."""
    the_ranking = ranking(call)
    statuses = dict(
        Application.objects.filter(pk__in=[row.application_id for row in the_ranking.rows]).values_list("pk", "status")
    )
    rows = _open_rows(the_ranking, statuses)
    rank_by = the_ranking.settings.rank_by
    if selection.mode == TOP_N:
        chosen_ids = {row.application_id for row in rows if row.rank and row.rank <= (selection.count or 0)}
    elif selection.mode == THRESHOLD:
        chosen_ids = {
            row.application_id
            for row in rows
            if row.value(rank_by) is not None and row.value(rank_by) >= selection.threshold
        }
    else:
        chosen_ids = set()
    chosen_ids = (chosen_ids | selection.include) - selection.exclude
    result = Plan(ranking=the_ranking)
    for row in rows:
        (result.chosen if row.application_id in chosen_ids else result.rest).append(row)
    result.departures = departures(result.chosen, result.rest)
    result.incomplete = [row for row in rows if not row.all_in]
    return result


def departures(chosen: list[Aggregate], rest: list[Aggregate]) -> list[Aggregate]:
    """The rows that break the ranking's order: chosen below one left out, or left out above one chosen
    (an application without a review is below every reviewed one)."""

    def place(row: Aggregate) -> float:
        return row.rank or float("inf")

    lowest_chosen = max((place(row) for row in chosen), default=0)
    highest_left = min((place(row) for row in rest), default=float("inf"))
    broken = [row for row in chosen if place(row) > highest_left]
    broken += [row for row in rest if place(row) < lowest_chosen]
    return sorted(broken, key=place)


@transaction.atomic
def decide(*, call: Call, by: User, selection: Selection, reason: str = "") -> Plan:
    """Shortlist the selection and mark every other application of the call under review not selected.

    Preconditions: the secretariat (the workflow checks it, PermissionDenied); a reason when the plan departs
    from the ranking or reviews are missing (else `NeedsReason`); applications still under review (a move made
    meanwhile is refused, `workflow.InvalidTransition`, and nothing is written).
    Effects: one workflow move per application, each audited and its group notified of the outcome; one
    `review.shortlist` event on the call with the rule, the counts, the departures, the override and the reason.
    """
    # Locked first: two of the secretariat deciding at once are served one after the other.
    ReviewSettings.objects.get_or_create(call=call)
    ReviewSettings.objects.select_for_update().get(call=call)
    result = plan(call, selection)
    reason = reason.strip()
    if result.needs_reason and not reason:
        raise NeedsReason(_reason_message(result))
    if not result.chosen and not result.rest:
        raise ValidationError({"mode": _("No application of this call is under review: there is nothing to decide.")})
    applications = Application.objects.select_related("standard").in_bulk(
        [row.application_id for row in result.chosen + result.rest]
    )
    for row in result.chosen:
        workflow.shortlist(applications[row.application_id], by=by)
    for row in result.rest:
        workflow.not_select(applications[row.application_id], by=by)
    audit.record(action="review.shortlist", target=call, actor=by, note=_note(result, selection, reason, applications))
    return result


@transaction.atomic
def decide_one(*, application: Application, by: User, shortlist: bool, reason: str = "") -> Application:
    """Shortlist one application under review, or mark it not selected, by hand.

    A reason is needed when the choice departs from the ranking (shortlisting one ranked below one not selected,
    or leaving out one ranked above one shortlisted) or when not every review of it is in. The workflow checks
    the right (403) and the state (409) first. Audited as the move, and `review.shortlist` on the call.
    """
    move = workflow.shortlist if shortlist else workflow.not_select
    workflow.check(application, "shortlist" if shortlist else "not_select", by=by)
    ReviewSettings.objects.get_or_create(call=application.call)
    ReviewSettings.objects.select_for_update().get(call=application.call)
    the_ranking = ranking(application.call)
    row = next((row for row in the_ranking.rows if row.application_id == application.pk), None)
    decided = dict(
        Application.objects.filter(
            call=application.call, status__in=[ApplicationStatus.SHORTLISTED, ApplicationStatus.NOT_SELECTED]
        ).values_list("pk", "status")
    )
    chosen = [r for r in the_ranking.rows if decided.get(r.application_id) == ApplicationStatus.SHORTLISTED]
    rest = [r for r in the_ranking.rows if decided.get(r.application_id) == ApplicationStatus.NOT_SELECTED]
    (chosen if shortlist else rest).append(row)
    result = Plan(ranking=the_ranking, chosen=chosen, rest=rest)
    result.departures = [r for r in departures(chosen, rest) if r is row]
    result.incomplete = [row] if row is not None and not row.all_in else []
    reason = reason.strip()
    if result.needs_reason and not reason:
        raise NeedsReason(_reason_message(result))
    moved = move(application, by=by)
    selection = Selection(mode=BY_HAND, include=frozenset({application.pk}) if shortlist else frozenset())
    audit.record(
        action="review.shortlist",
        target=application.call,
        actor=by,
        note=_note(result, selection, reason, {application.pk: moved}, only=row),
    )
    return moved


def _reason_message(result: Plan) -> str:
    parts = []
    if result.departures:
        parts.append(_("%(count)s of the choices depart from the ranking.") % {"count": len(result.departures)})
    if result.incomplete:
        parts.append(
            _("%(count)s of the applications do not have every review in yet.") % {"count": len(result.incomplete)}
        )
    parts.append(_("Give the reason: the audit log keeps it with the decision."))
    return " ".join(parts)


def _label(applications: dict, row: Aggregate) -> str:
    application = applications.get(row.application_id)
    return application.standard.display_number if application is not None else str(row.application_id)


def _note(result: Plan, selection: Selection, reason: str, applications: dict, only: Aggregate | None = None) -> str:
    """The decision as the audit log keeps it, in the words of the one deciding: the rule, the counts, what
    departs from the ranking, what was decided before every review was in, the reason."""
    settings = result.ranking.settings
    rank_by = RankBy(settings.rank_by).label
    if selection.mode == TOP_N:
        rule = _("The top %(count)s of the ranking") % {"count": selection.count}
    elif selection.mode == THRESHOLD:
        rule = _("%(aggregate)s of at least %(threshold)s") % {"aggregate": rank_by, "threshold": selection.threshold}
    else:
        rule = _("By hand")
    lines = [rule, _("Ranked by: %(rank_by)s") % {"rank_by": rank_by}]
    if only is not None:
        value = only.value(settings.rank_by)
        lines.append(
            _("%(application)s: rank %(rank)s, %(value)s")
            % {"application": _label(applications, only), "rank": only.rank or "—", "value": value or "—"}
        )
    else:
        lines.append(
            _("Shortlisted: %(chosen)s; not selected: %(rest)s")
            % {"chosen": len(result.chosen), "rest": len(result.rest)}
        )
    if result.departures:
        listed = ", ".join(_label(applications, row) for row in result.departures)
        lines.append(_("Departing from the ranking: %(applications)s") % {"applications": listed})
    if result.incomplete:
        listed = ", ".join(_label(applications, row) for row in result.incomplete)
        lines.append(_("Decided before every review was in: %(applications)s") % {"applications": listed})
    if reason:
        lines.append(_("Reason: %(reason)s") % {"reason": reason})
    return "\n".join(lines)


# --- a large call's decision, run by a Celery task (its state in the shared cache, as proposals keep theirs) ------
def _key(token: str) -> str:
    return f"reviews:shortlist:{token}"


def read_decision(token: str) -> dict | None:
    return cache.get(_key(token))


def remember_decision(token: str, state: dict) -> None:
    cache.set(_key(token), state, DECISION_TTL)


def start_decision(*, call: Call, by: User, selection: Selection, reason: str = "") -> Plan | str:
    """Decide now (the Plan done) or, for a call of more than SHORTLIST_INLINE_LIMIT applications under review,
    queue the decision after commit and return its token. What `decide` refuses for the choice itself (a missing
    reason, nothing to decide) is refused here, before anything is queued."""
    result = plan(call, selection)
    if result.needs_reason and not reason.strip():
        raise NeedsReason(_reason_message(result))
    limit = getattr(django_settings, "SHORTLIST_INLINE_LIMIT", SHORTLIST_INLINE_LIMIT)
    if len(result.chosen) + len(result.rest) <= limit:
        return decide(call=call, by=by, selection=selection, reason=reason)
    token = uuid.uuid4().hex
    chosen = {"include": sorted(selection.include), "exclude": sorted(selection.exclude)}
    remember_decision(
        token,
        {
            "call": call.pk,
            "by": by.pk,
            "selection": {**asdict(selection), **chosen, "threshold": _text(selection.threshold)},
            "reason": reason,
            "state": "queued",
            "count": len(result.chosen) + len(result.rest),
        },
    )
    from reviews.tasks import task_decide_shortlist

    transaction.on_commit(lambda: task_decide_shortlist.delay(token=token))
    return token


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def run_decision(token: str) -> dict | None:
    """Make the decision the token names and keep its outcome (the counts, or why it was refused). Running it
    again once finished changes nothing; a refusal changes no application (`decide` is all or nothing)."""
    state = read_decision(token)
    if state is None or state["state"] in {"done", "failed"}:
        return state
    remember_decision(token, {**state, "state": "running"})
    raw = state["selection"]
    selection = Selection(
        mode=raw["mode"],
        count=raw["count"],
        threshold=None if raw["threshold"] is None else Decimal(raw["threshold"]),
        include=frozenset(raw["include"]),
        exclude=frozenset(raw["exclude"]),
    )
    try:
        call = Call.objects.get(pk=state["call"])
        done = decide(call=call, by=User.objects.get(pk=state["by"]), selection=selection, reason=state["reason"])
    except (NeedsReason, ValidationError, PermissionDenied, workflow.InvalidTransition) as refusal:
        message = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
        remember_decision(token, {**state, "state": "failed", "message": message or _("The decision was refused.")})
    except Exception:
        # The page would poll a "running" decision for ever: say it failed, and let the error be logged.
        failed = _("The decision could not be made (the error is logged); nothing was changed: decide again.")
        remember_decision(token, {**state, "state": "failed", "message": failed})
        raise
    else:
        remember_decision(token, {**state, "state": "done", "chosen": len(done.chosen), "rest": len(done.rest)})
    return read_decision(token)
