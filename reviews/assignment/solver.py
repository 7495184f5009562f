"""Propose which experts review which applications, as a min-cost flow solved by OR-Tools.

Every application (here a `Paper`) gets exactly k experts of its field, none in conflict and none of the pairs
declared or declined; no expert passes the maximum load; loads are as even as the pool allows; and on request a
reproducible random draw (随机抽取) picks among equally suitable experts. This is how HotCRP and OpenReview's
matcher pose it, and OR-Tools is the matcher's own solver; the network is

    source ─(need, 0)─▶ paper ─(1, perturbation)─▶ reviewer ─(1, W·(2j−1)) for each free unit j─▶ sink

- A paper's arc carries the reviews it still needs: k less the pairs already assigned.
- A paper→reviewer arc exists only for an eligible pair, so fields, conflicts and refusals never enter the costs,
  and the graph stays small (about 60 arcs a paper rather than one per expert).
- A reviewer reaches the sink through one unit arc per review it may still take, the j-th costing W·(2j−1) where
  j is its total load once it carries that unit; a flow's load cost is then W·Σ load², convex, so it spreads the
  reviews. The load vectors a flow can reach form an M-convex set, whose Σ load² minimiser (Frank and Murota's
  decreasingly minimal element) has the smallest maximum and the largest minimum at once: max − min ≤ 1 whenever
  any assignment achieves it.
- The perturbation (0 ≤ p ≤ P on each pair) chooses among the equally even assignments: seeded noise for a random
  draw, else the reviewer's rank by id (lower ids first). Two load vectors with the same total differ in Σ load²
  by an even number, so by 2 at least; W = P·(reviews needed) + 1 makes that outweigh every sum of perturbations.

Costs are integers (the solver's requirement) and nodes are numbered in id order, so the same data and seed give
the same proposal: the draw can be reproduced in an inspection.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from ortools.graph.python import min_cost_flow

# Distinct perturbations in a random draw: enough that ties rarely survive, small enough to keep costs modest.
NOISE = 1000


@dataclass(frozen=True)
class Paper:
    """An application to review; `conflicts` are the keys of the organisations its experts must not belong to."""

    id: int
    label: str
    field: str
    conflicts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reviewer:
    """An expert of the pool.

    `organisations` joins the affiliation, the kept-away organisations and the memberships (keys comparable with
    `Paper.conflicts`). `current_load` counts reviews held outside `Problem.existing` (another panel, say).
    """

    id: int
    name: str
    fields: frozenset[str]
    organisations: frozenset[str] = frozenset()
    current_load: int = 0


@dataclass(frozen=True)
class Problem:
    """What to solve: `existing` (paper id, reviewer id) pairs count toward k and the load; `forbidden` pairs
    (declared conflicts, declined assignments) are never proposed; `seed` asks for a random draw."""

    papers: Sequence[Paper]
    reviewers: Sequence[Reviewer]
    k: int
    max_load: int
    existing: frozenset[tuple[int, int]] = frozenset()
    forbidden: frozenset[tuple[int, int]] = frozenset()
    seed: int | None = None


@dataclass(frozen=True)
class Proposal:
    """The new pairs, sorted, and each reviewer's total load with them (current + existing + new)."""

    pairs: tuple[tuple[int, int], ...]
    loads: dict[int, int]
    seed: int | None


class Infeasible(Exception):
    """No assignment meets the rules; `reasons` say why, in words the secretariat can act on."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class _Setting:
    """The problem in id order, with what the checks and the network both need."""

    papers: list[Paper]
    reviewers: list[Reviewer]
    held: list[int]  # per paper: pairs already assigned
    base: list[int]  # per reviewer: current load plus pairs already assigned
    in_field: list[int]  # per paper: experts of its field
    candidates: list[list[int]]  # per paper: reviewer indexes of eligible new pairs, whatever their load
    room: list[int]  # per reviewer: reviews it may still take under the maximum load


def propose(problem: Problem) -> Proposal:
    """Propose the new pairs that complete every paper to k reviewers, or raise `Infeasible` with the reasons.

    The obvious impossibilities (total capacity, a field's capacity, a paper's conflict-free experts) are told
    before solving; when the flow still cannot route every review, the papers that fell short are named.
    Raises ValueError for inconsistent input (unknown ids, a pair both existing and forbidden).
    """
    setting = _prepare(problem)
    reasons = _obvious_reasons(problem, setting)
    if reasons:
        raise Infeasible(reasons)
    return _solve(problem, setting)


def _prepare(problem: Problem) -> _Setting:
    if problem.k < 1 or problem.max_load < 0:
        raise ValueError("k must be positive and max_load not negative")
    papers = sorted(problem.papers, key=lambda paper: paper.id)
    reviewers = sorted(problem.reviewers, key=lambda reviewer: reviewer.id)
    paper_at = {paper.id: index for index, paper in enumerate(papers)}
    reviewer_at = {reviewer.id: index for index, reviewer in enumerate(reviewers)}
    if len(paper_at) != len(papers) or len(reviewer_at) != len(reviewers):
        raise ValueError("paper and reviewer ids must be unique")
    pairs = problem.existing | problem.forbidden
    if any(paper not in paper_at or reviewer not in reviewer_at for paper, reviewer in pairs):
        raise ValueError("existing and forbidden pairs must name known papers and reviewers")
    if problem.existing & problem.forbidden:
        raise ValueError("a pair cannot be both existing and forbidden")

    held_by_paper = Counter(paper for paper, _ in problem.existing)
    held_by_reviewer = Counter(reviewer for _, reviewer in problem.existing)
    by_field: dict[str, list[int]] = defaultdict(list)
    for index, reviewer in enumerate(reviewers):
        for code in reviewer.fields:
            by_field[code].append(index)

    excluded = pairs
    candidates = []
    for paper in papers:
        pool = by_field.get(paper.field, [])
        candidates.append(
            [
                index
                for index in pool
                if reviewers[index].organisations.isdisjoint(paper.conflicts)
                and (paper.id, reviewers[index].id) not in excluded
            ]
        )
    base = [reviewer.current_load + held_by_reviewer[reviewer.id] for reviewer in reviewers]
    return _Setting(
        papers=papers,
        reviewers=reviewers,
        held=[held_by_paper[paper.id] for paper in papers],
        base=base,
        in_field=[len(by_field.get(paper.field, [])) for paper in papers],
        candidates=candidates,
        room=[max(0, problem.max_load - load) for load in base],
    )


def _number(value: int) -> str:
    # Grouped as the active language writes numbers: "1,500" in English.
    return number_format(value, force_grouping=True)


def _obvious_reasons(problem: Problem, setting: _Setting) -> list[str]:
    """Reasons visible without solving: overall, per expert, per field, per paper (in that order)."""
    k, max_load = problem.k, problem.max_load
    reasons = []
    allowed = sum(max(0, max_load - reviewer.current_load) for reviewer in setting.reviewers)
    needed = len(setting.papers) * k
    if needed > allowed:
        reasons.append(
            gettext("The experts' maximum load of %(max_load)s allows %(allowed)s reviews; %(needed)s are needed")
            % {"max_load": _number(max_load), "allowed": _number(allowed), "needed": _number(needed)}
        )
    for index, reviewer in enumerate(setting.reviewers):
        if setting.base[index] > max_load:
            reasons.append(
                gettext("%(name)s already holds %(load)s reviews, more than the maximum load of %(max_load)s")
                % {"name": reviewer.name, "load": _number(setting.base[index]), "max_load": _number(max_load)}
            )
    reasons += _field_reasons(problem, setting)
    for index in range(len(setting.papers)):
        reason = _paper_reason(problem, setting, index)
        if reason:
            reasons.append(reason)
    return reasons


def _field_reasons(problem: Problem, setting: _Setting) -> list[str]:
    """A field whose experts cannot carry its reviews, whatever the conflicts (necessary, not sufficient)."""
    needed: Counter[str] = Counter()
    for index, paper in enumerate(setting.papers):
        needed[paper.field] += max(0, problem.k - setting.held[index])
    reasons = []
    for code in sorted(needed):
        experts = [index for index, reviewer in enumerate(setting.reviewers) if code in reviewer.fields]
        room = sum(setting.room[index] for index in experts)
        # A field every expert covers would only repeat the overall reason.
        if needed[code] > room and experts and len(experts) < len(setting.reviewers):
            reasons.append(
                ngettext(
                    "Field %(field)s: its %(count)s expert can take %(room)s more reviews under the maximum load "
                    "of %(max_load)s; %(needed)s are needed",
                    "Field %(field)s: its %(count)s experts can take %(room)s more reviews under the maximum load "
                    "of %(max_load)s; %(needed)s are needed",
                    len(experts),
                )
                % {
                    "field": code,
                    "count": _number(len(experts)),
                    "room": _number(room),
                    "max_load": _number(problem.max_load),
                    "needed": _number(needed[code]),
                }
            )
    return reasons


def _paper_reason(problem: Problem, setting: _Setting, index: int) -> str | None:
    """Why this paper alone cannot get k experts, or None."""
    paper, k, held = setting.papers[index], problem.k, setting.held[index]
    free = held + len(setting.candidates[index])
    with_room = held + sum(1 for reviewer in setting.candidates[index] if setting.room[reviewer])
    if held <= k and setting.in_field[index] and free >= k and with_room >= k:
        return None
    values = {"paper": paper.label, "field": paper.field, "k": _number(k), "max_load": _number(problem.max_load)}
    if held > k:
        return gettext("%(paper)s (%(field)s): already has %(count)s experts; %(k)s are needed") % {
            **values,
            "count": _number(held),
        }
    if setting.in_field[index] == 0:
        return gettext("%(paper)s (%(field)s): no expert covers that field; %(k)s are needed") % values
    if free == 0:
        count = setting.in_field[index]
        return ngettext(
            "%(paper)s (%(field)s): the only expert in that field is in conflict; %(k)s are needed",
            "%(paper)s (%(field)s): all %(count)s experts in that field are in conflict; %(k)s are needed",
            count,
        ) % {**values, "count": _number(count)}
    if free < k:
        return ngettext(
            "%(paper)s (%(field)s): only %(count)s expert in that field is free of conflicts; %(k)s are needed",
            "%(paper)s (%(field)s): only %(count)s experts in that field are free of conflicts; %(k)s are needed",
            free,
        ) % {**values, "count": _number(free)}
    if with_room < k:
        return ngettext(
            "%(paper)s (%(field)s): only %(count)s expert free of conflicts is under the maximum load of "
            "%(max_load)s; %(k)s are needed",
            "%(paper)s (%(field)s): only %(count)s experts free of conflicts are under the maximum load of "
            "%(max_load)s; %(k)s are needed",
            with_room,
        ) % {**values, "count": _number(with_room)}
    return None


def _solve(problem: Problem, setting: _Setting) -> Proposal:
    """Build the network (arcs only for eligible pairs and free load units), solve, and read the pairs back."""
    papers, reviewers = setting.papers, setting.reviewers
    n_papers = len(papers)
    source, sink = 0, n_papers + len(reviewers) + 1
    needs = [max(0, problem.k - held) for held in setting.held]
    total = sum(needs)

    tails = [source] * n_papers
    heads = [1 + index for index in range(n_papers)]
    capacities = list(needs)
    pair_papers, pair_reviewers = [], []
    offered = [0] * len(reviewers)  # papers each reviewer is an arc of: no use in more load units than that
    for index, candidates in enumerate(setting.candidates):
        for reviewer in candidates:
            if setting.room[reviewer]:
                pair_papers.append(index)
                pair_reviewers.append(reviewer)
                offered[reviewer] += 1
    tails += [1 + index for index in pair_papers]
    heads += [1 + n_papers + reviewer for reviewer in pair_reviewers]
    capacities += [1] * len(pair_papers)
    perturbations, bound = _perturbations(problem.seed, pair_reviewers, len(reviewers))
    weight = bound * total + 1
    costs = [0] * n_papers + perturbations
    for reviewer, offer in enumerate(offered):
        base = setting.base[reviewer]
        for load in range(base + 1, base + min(setting.room[reviewer], offer) + 1):
            tails.append(1 + n_papers + reviewer)
            heads.append(sink)
            capacities.append(1)
            costs.append(weight * (2 * load - 1))

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([total, -total], dtype=np.int64))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status!r}")

    routed = flow.flows(np.arange(n_papers, dtype=np.int32))
    short = [index for index in range(n_papers) if routed[index] < needs[index]]
    if short:
        raise Infeasible([_shortfall(problem, setting, index, int(routed[index])) for index in short])
    used = flow.flows(np.arange(n_papers, n_papers + len(pair_papers), dtype=np.int32))
    pairs = sorted(
        (papers[pair_papers[arc]].id, reviewers[pair_reviewers[arc]].id) for arc in np.flatnonzero(used).tolist()
    )
    new_load = Counter(reviewer for _, reviewer in pairs)
    loads = {reviewer.id: setting.base[index] + new_load[reviewer.id] for index, reviewer in enumerate(reviewers)}
    return Proposal(pairs=tuple(pairs), loads=loads, seed=problem.seed)


def _perturbations(seed: int | None, pair_reviewers: list[int], n_reviewers: int) -> tuple[list[int], int]:
    """Cost of each pair arc, and their bound: seeded noise for a draw, else the reviewer's rank by id."""
    if seed is None:
        return list(pair_reviewers), max(n_reviewers - 1, 0)
    draw = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    return [draw.randrange(NOISE) for _ in pair_reviewers], NOISE - 1


def _shortfall(problem: Problem, setting: _Setting, index: int, routed: int) -> str:
    paper = setting.papers[index]
    return gettext(
        "%(paper)s (%(field)s): only %(count)s of the %(k)s experts needed could be assigned; the other experts "
        "free of conflicts are taken up to the maximum load of %(max_load)s by other applications"
    ) % {
        "paper": paper.label,
        "field": paper.field,
        "count": _number(setting.held[index] + routed),
        "k": _number(problem.k),
        "max_load": _number(problem.max_load),
    }
