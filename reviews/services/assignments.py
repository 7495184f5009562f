"""Assigning experts to admitted applications (分配), by hand or by the solver's proposal, and ending assignments.

Callers check the right first (the secretariat's; an expert's own assignment for `decline`); these functions
check the data. A refusal is a `ValidationError` whose messages say why ("张三's affiliation 清华大学 is a
drafting unit of T/ZZB 1—2019"), an impossible proposal `solver.Infeasible` with its reasons. Every write is
audited; assigning grants the expert `view_application` and `review_application` on that application and
nothing more, ending the assignment revokes them.
"""

import json
import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from portal import audit
from portal.models import User
from projects.models import Application, ApplicationStatus, Call
from reviews import conflicts
from reviews.assignment import solver
from reviews.models import Assignment, AssignmentStatus, Expert, Panel, ReviewSettings, ReviewStatus

RIGHTS = ("projects.view_application", "projects.review_application")
ACTIVE = AssignmentStatus.ACTIVE
# A call with more applications than this is proposed by a Celery task, the page polling for the result.
ASSIGN_INLINE_LIMIT = 300
PROPOSAL_TTL = 24 * 3600
_SEED_BOUND = 2**31


def review_settings(call: Call) -> ReviewSettings:
    """The call's review settings, created with the defaults (k = 5, maximum load 30) when missing."""
    return ReviewSettings.objects.get_or_create(call=call)[0]


def _name(expert: Expert) -> str:
    return expert.user.get_full_name()


# --- the checks both ways of assigning make -----------------------------------------------------------
@dataclass
class _Checked:
    applications: dict[int, Application]
    experts: dict[int, Expert]


def _refusals(
    call: Call, pairs: Sequence[tuple[int, int]], *, k: int, max_load: int, allow_removed: bool = False
) -> tuple[list[str], _Checked]:
    """Why each (application id, expert id) pair may not be assigned now, in a fixed number of queries."""
    app_ids = sorted({paper for paper, _ in pairs})
    expert_ids = sorted({expert for _, expert in pairs})
    applications = {
        application.pk: application
        for application in conflicts.applications_for_conflicts(Application.objects.filter(pk__in=app_ids))
    }
    experts = {
        expert.pk: expert
        for expert in conflicts.experts_for_conflicts(
            Expert.objects.filter(pk__in=expert_ids).prefetch_related("expertise")
        )
    }
    parties = conflicts.application_parties(applications.values())
    ties = conflicts.expert_parties(experts.values())
    earlier = {
        (paper, expert): status
        for paper, expert, status in Assignment.objects.filter(application__in=app_ids, expert__in=expert_ids)
        .order_by("assigned_at")
        .values_list("application_id", "expert_id", "status")
    }
    held = Counter(
        Assignment.objects.filter(application__in=app_ids, status=ACTIVE).values_list("application_id", flat=True)
    )
    loads = Counter(
        Assignment.objects.filter(application__call=call, expert__in=expert_ids, status=ACTIVE).values_list(
            "expert_id", flat=True
        )
    )
    reasons: list[str] = []
    for paper, expert_id in pairs:
        if paper not in applications or expert_id not in experts:
            reasons.append(_("An application or an expert of the proposal no longer exists"))
            continue
        application, expert = applications[paper], experts[expert_id]
        values = {"expert": _name(expert), "application": application.standard.display_number}
        reason = _pair_refusal(call, application, expert, earlier.get((paper, expert_id)), allow_removed, values)
        reason = reason or conflicts.reason_between(expert, ties[expert_id], application, parties[paper])
        if reason is None and held[paper] >= k:
            reason = _("%(application)s has its %(k)s experts already") % {**values, "k": k}
        if reason is None and loads[expert_id] >= max_load:
            reason = _("%(expert)s already holds the maximum load of %(max_load)s reviews in this call") % {
                **values,
                "max_load": max_load,
            }
        if reason:
            reasons.append(reason)
        else:
            held[paper] += 1
            loads[expert_id] += 1
    return reasons, _Checked(applications, experts)


def _pair_refusal(call, application, expert, earlier: str | None, allow_removed: bool, values) -> str | None:
    if application.call_id != call.pk or application.status != ApplicationStatus.UNDER_REVIEW:
        return _("%(application)s is not under expert review in this call") % values
    if not expert.is_active:
        return _("%(expert)s is no longer active in the pool") % values
    if application.industry_field not in expert.field_codes:
        return _("%(expert)s does not review in the field %(field)s of %(application)s") % {
            **values,
            "field": application.get_industry_field_display(),
        }
    if earlier == ACTIVE:
        return _("%(expert)s is assigned to %(application)s already") % values
    if earlier == AssignmentStatus.DECLINED:
        return _("%(expert)s declined %(application)s, declaring a conflict of interest") % values
    if earlier == AssignmentStatus.REMOVED and not allow_removed:
        return _("%(expert)s was unassigned from %(application)s") % values
    return None


def _save(call: Call, pairs, checked: _Checked, *, by: User, panel: Panel | None, seed: int | None):
    due_at = review_settings(call).due_at
    created = Assignment.objects.bulk_create(
        Assignment(application_id=paper, expert_id=expert, panel=panel, due_at=due_at, assigned_by=by, seed=seed)
        for paper, expert in pairs
    )
    by_expert: dict[int, list[int]] = defaultdict(list)
    for paper, expert in pairs:
        by_expert[expert].append(paper)
    for expert_id, papers in by_expert.items():
        for right in RIGHTS:
            assign_perm(right, checked.experts[expert_id].user, Application.objects.filter(pk__in=papers))
    return created


def _lock(app_ids: Iterable[int], expert_ids: Iterable[int]) -> None:
    # Applications, then experts, each in id order: two secretaries confirming at once queue, never deadlock,
    # and the loads and counts read after the lock are the ones the new rows add to.
    list(Application.objects.select_for_update().filter(pk__in=sorted(app_ids)).order_by("pk").values_list("pk"))
    list(Expert.objects.select_for_update().filter(pk__in=sorted(expert_ids)).order_by("pk").values_list("pk"))


def _queue_assigned_notice(assignment_ids: list[int], event_id: int) -> None:
    from reviews.tasks import task_notify_assigned

    transaction.on_commit(lambda: task_notify_assigned.delay(assignment_ids=assignment_ids, event_id=event_id))


# --- by hand ------------------------------------------------------------------------------------------
def assign(application: Application, expert: Expert, *, by: User, panel: Panel | None = None) -> Assignment:
    """Assign the expert to the application by hand.

    Refused (ValidationError with the reason) when the application is not under review, the expert is inactive,
    of another field, in conflict, declined it before, already holds the call's maximum load, or the application
    has its k experts. Grants the rights, audits `assignment.assign`, notifies the expert after commit.
    """
    call = application.call
    config = review_settings(call)
    with transaction.atomic():
        _lock([application.pk], [expert.pk])
        pair = [(application.pk, expert.pk)]
        reasons, checked = _refusals(
            call, pair, k=config.reviews_per_application, max_load=config.max_load, allow_removed=True
        )
        if reasons:
            raise ValidationError(reasons)
        [assignment] = _save(call, pair, checked, by=by, panel=panel, seed=None)
        event = audit.record(
            action="assignment.assign", target=assignment, actor=by, to_state=ACTIVE, note=str(application)
        )
        _queue_assigned_notice([assignment.pk], event.pk)
    return assignment


def _end(assignment: Assignment, *, by: User, reason: str, status: str, action: str) -> Assignment:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("expert__user", "application__standard")
            .get(pk=assignment.pk)
        )
        if locked.status != ACTIVE:
            raise ValidationError(_("This assignment has ended already."))
        review = getattr(locked, "review", None)
        if review is not None and review.status == ReviewStatus.SUBMITTED:
            raise ValidationError(_("The review is submitted: the assignment can no longer end."))
        from_state = locked.status
        locked.status, locked.ended_at, locked.end_reason = status, timezone.now(), reason.strip()
        locked.save(update_fields=["status", "ended_at", "end_reason"])
        for right in RIGHTS:
            remove_perm(right, locked.expert.user, locked.application)
        event = audit.record(
            action=action, target=locked, actor=by, from_state=from_state, to_state=status, note=locked.end_reason
        )
    assignment.refresh_from_db()
    locked.event_id = event.pk
    return locked


def unassign(assignment: Assignment, *, by: User, reason: str) -> Assignment:
    """The secretariat ends an active assignment (status removed), with a reason; the rights are revoked, the
    pair is never proposed again. Refused once the review is submitted. Audits `assignment.unassign`."""
    return _end(assignment, by=by, reason=reason, status=AssignmentStatus.REMOVED, action="assignment.unassign")


def decline(assignment: Assignment, *, by: User, reason: str) -> Assignment:
    """The expert declares a conflict of interest: status declined, rights revoked, the secretariat notified
    after commit, the pair never proposed again. PermissionDenied for anyone but the assignment's expert."""
    if assignment.expert.user_id != by.pk:
        raise PermissionDenied
    ended = _end(assignment, by=by, reason=reason, status=AssignmentStatus.DECLINED, action="assignment.decline")
    from reviews.tasks import task_notify_declined

    transaction.on_commit(lambda: task_notify_declined.delay(assignment_id=ended.pk, event_id=ended.event_id))
    return ended


# --- proposals ----------------------------------------------------------------------------------------
def _papers(call: Call, panel: Panel | None) -> QuerySet[Application]:
    papers = Application.objects.filter(call=call, status=ApplicationStatus.UNDER_REVIEW)
    return papers.filter(industry_field=panel.field) if panel else papers


def _reviewers(call: Call, panel: Panel | None, fields: Iterable[str]) -> QuerySet[Expert]:
    experts = Expert.objects.filter(is_active=True, expertise__field__in=set(fields))
    if panel:
        experts = experts.filter(panel_memberships__panel=panel)
    return Expert.objects.filter(pk__in=experts.values("pk"))


def build_problem(
    call: Call, papers: QuerySet[Application], reviewers: QuerySet[Expert], *, k: int, max_load: int, seed=None
) -> solver.Problem:
    """The solver's problem from the database, in a fixed number of queries: the active assignments of these
    applications count (their experts join, without fields, when not among `reviewers`), the declined and
    removed pairs are forbidden, the experts' other active assignments in the call are their current load."""
    applications = list(conflicts.applications_for_conflicts(papers))
    app_ids = [application.pk for application in applications]
    experts = {e.pk: e for e in conflicts.experts_for_conflicts(reviewers.prefetch_related("expertise"))}
    rows = list(Assignment.objects.filter(application__in=app_ids).values_list("application_id", "expert_id", "status"))
    existing = {(paper, expert) for paper, expert, status in rows if status == ACTIVE}
    holders = {expert for _, expert in existing} - experts.keys()
    outsiders = {e.pk: e for e in Expert.objects.filter(pk__in=holders).select_related("user")}
    forbidden = {(p, e) for p, e, status in rows if status != ACTIVE and e in experts} - existing
    elsewhere = dict(
        Assignment.objects.filter(application__call=call, status=ACTIVE, expert__in=[*experts, *outsiders])
        .exclude(application__in=app_ids)
        .values_list("expert_id")
        .annotate(n=Count("pk"))
    )
    parties = conflicts.application_parties(applications)
    ties = conflicts.expert_parties(experts.values())
    paper_list = [
        solver.Paper(a.pk, a.standard.display_number, a.industry_field, frozenset(parties[a.pk])) for a in applications
    ]
    reviewer_list = [
        solver.Reviewer(e.pk, _name(e), frozenset(e.field_codes), frozenset(ties[e.pk]), elsewhere.get(e.pk, 0))
        for e in experts.values()
    ] + [solver.Reviewer(e.pk, _name(e), frozenset(), frozenset(), elsewhere.get(e.pk, 0)) for e in outsiders.values()]
    return solver.Problem(
        papers=paper_list,
        reviewers=reviewer_list,
        k=k,
        max_load=max_load,
        existing=frozenset(existing),
        forbidden=frozenset(forbidden),
        seed=seed,
    )


def choose_seed(*, seed: int | None, draw: bool) -> int | None:
    """The draw's seed: the one given, else a fresh one from `secrets` for a draw, else None (no draw)."""
    if seed is not None:
        return seed
    return secrets.randbelow(_SEED_BOUND) if draw else None


def propose(call: Call, panel: Panel | None = None, seed: int | None = None, draw: bool = False) -> solver.Proposal:
    """Propose experts for every application under review of the call (or of the panel's field, from its
    members), to k each; raises `solver.Infeasible` with the reasons. Saves nothing: `confirm` does."""
    config = review_settings(call)
    papers = _papers(call, panel)
    fields = papers.values_list("industry_field", flat=True).distinct()
    problem = build_problem(
        call,
        papers,
        _reviewers(call, panel, list(fields)),
        k=config.reviews_per_application,
        max_load=config.max_load,
        seed=choose_seed(seed=seed, draw=draw),
    )
    return solver.propose(problem)


def replacement_for(assignment: Assignment) -> solver.Proposal:
    """A proposal completing the ended assignment's application to k experts (the ones who declined or were
    removed never return); raises `solver.Infeasible` with the reason."""
    application = assignment.application
    config = review_settings(application.call)
    problem = build_problem(
        application.call,
        Application.objects.filter(pk=application.pk),
        _reviewers(application.call, assignment.panel, [application.industry_field]),
        k=config.reviews_per_application,
        max_load=config.max_load,
    )
    return solver.propose(problem)


def confirm(call: Call, proposal: solver.Proposal, *, by: User, panel: Panel | None = None) -> list[Assignment]:
    """Save a proposal's pairs in one transaction, re-checking conflicts, fields, counts and loads under lock
    (ValidationError with every reason when the data moved since); grants the rights, audits
    `assignment.confirm` on the call with the seed and the pairs, notifies each expert once after commit."""
    pairs = list(proposal.pairs)
    if not pairs:
        raise ValidationError(_("The proposal assigns no one: every application has its experts."))
    config = review_settings(call)
    with transaction.atomic():
        _lock({paper for paper, _ in pairs}, {expert for _, expert in pairs})
        reasons, checked = _refusals(call, pairs, k=config.reviews_per_application, max_load=config.max_load)
        if reasons:
            raise ValidationError(reasons)
        created = _save(call, pairs, checked, by=by, panel=panel, seed=proposal.seed)
        note = json.dumps(
            {"seed": proposal.seed, "panel": panel.pk if panel else None, "pairs": pairs}, separators=(",", ":")
        )
        event = audit.record(action="assignment.confirm", target=call, actor=by, note=note)
        _queue_assigned_notice([assignment.pk for assignment in created], event.pk)
    return created


# --- proposals kept for the confirmation page (the shared cache: any web process may serve it) ---------------
def _key(token: str) -> str:
    return f"reviews:proposal:{token}"


def read_proposal(token: str) -> dict | None:
    return cache.get(_key(token))


def forget_proposal(token: str) -> None:
    """Drop a confirmed proposal: its page is then not found, and it cannot be confirmed twice."""
    cache.delete(_key(token))


def _write(token: str, state: dict) -> None:
    cache.set(_key(token), state, PROPOSAL_TTL)


def keep_proposal(call: Call, proposal: solver.Proposal, *, panel: Panel | None = None) -> str:
    """Keep a computed proposal for the confirmation page; its token."""
    token = uuid.uuid4().hex
    _write(token, {"call": call.pk, "panel": panel.pk if panel else None, "seed": proposal.seed, "state": "queued"})
    _store_result(token, proposal)
    return token


def start_proposal(call: Call, *, panel: Panel | None = None, seed: int | None = None, draw: bool = False) -> str:
    """Start a proposal; its token. Small calls are solved now; a call of more than ASSIGN_INLINE_LIMIT
    applications is solved by a Celery task (queued after commit), the page showing its progress."""
    token = uuid.uuid4().hex
    seed = choose_seed(seed=seed, draw=draw)
    _write(token, {"call": call.pk, "panel": panel.pk if panel else None, "seed": seed, "state": "queued"})
    limit = getattr(django_settings, "ASSIGN_INLINE_LIMIT", ASSIGN_INLINE_LIMIT)
    if _papers(call, panel).count() > limit:
        from reviews.tasks import task_propose

        transaction.on_commit(lambda: task_propose.delay(token=token))
    else:
        run_proposal(token)
    return token


def run_proposal(token: str) -> dict | None:
    """Solve the proposal the token names and keep its result (pairs, loads, seed) or its reasons. Running it
    again on a finished proposal changes nothing."""
    state = read_proposal(token)
    if state is None or state["state"] in {"done", "infeasible"}:
        return state
    _write(token, {**state, "state": "running"})
    try:
        call = Call.objects.get(pk=state["call"])
        panel = Panel.objects.get(pk=state["panel"]) if state["panel"] else None
        proposal = propose(call, panel, seed=state["seed"])
    except solver.Infeasible as infeasible:
        _write(token, {**state, "state": "infeasible", "reasons": infeasible.reasons})
    except Exception:
        # The page would poll a "running" proposal for ever: say it failed, and let the error be logged.
        failed = _("The proposal could not be computed (the error is logged): propose again.")
        _write(token, {**state, "state": "infeasible", "reasons": [failed]})
        raise
    else:
        _store_result(token, proposal)
    return read_proposal(token)


def _store_result(token: str, proposal: solver.Proposal) -> None:
    state = read_proposal(token)
    pairs = [list(pair) for pair in proposal.pairs]
    loads = {str(expert): load for expert, load in proposal.loads.items()}
    _write(token, {**state, "state": "done", "pairs": pairs, "loads": loads, "seed": proposal.seed})


def proposal_of(state: dict) -> solver.Proposal:
    """The kept proposal as the solver gave it."""
    return solver.Proposal(
        pairs=tuple(tuple(pair) for pair in state["pairs"]),
        loads={int(expert): load for expert, load in state["loads"].items()},
        seed=state["seed"],
    )
