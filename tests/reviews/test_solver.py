"""The assignment solver on a generated call of 300 applications and 60 experts, and on cases checkable by hand.

No database: the solver is pure Python over dataclasses. Messages are compared in English.
"""

import random
from collections import Counter
from dataclasses import replace

import pytest
from django.utils import translation

from reviews.assignment.solver import Infeasible, Paper, Problem, Proposal, Reviewer, propose

FIELDS = ("equipment", "materials", "energy", "chemicals", "electronics", "textiles")


def generated_call(papers: int = 300, reviewers: int = 60, k: int = 5, max_load: int = 30, seed: int = 20230601):
    """A call whose fields are evenly staffed, so that perfect balance (25 reviews each) is within reach."""
    rng = random.Random(seed)
    organisations = [f"org-{number}" for number in range(40)]
    pool = []
    for number in range(reviewers):
        fields = {FIELDS[number % len(FIELDS)]}
        if rng.random() < 0.5:
            fields.add(rng.choice(FIELDS))
        pool.append(
            Reviewer(
                id=1000 + number,
                name=f"Expert {number}",
                fields=frozenset(fields),
                organisations=frozenset(rng.sample(organisations, 2)),
            )
        )
    applications = [
        Paper(
            id=1 + number,
            label=f"T/ZZB {100 + number}—2021",
            field=FIELDS[number % len(FIELDS)],
            conflicts=frozenset(rng.sample(organisations, 3)),
        )
        for number in range(papers)
    ]
    return Problem(papers=tuple(applications), reviewers=tuple(pool), k=k, max_load=max_load)


def assigned(problem: Problem, proposal: Proposal) -> dict[int, set[int]]:
    """Every paper's reviewers, existing and new."""
    result: dict[int, set[int]] = {paper.id: set() for paper in problem.papers}
    for paper, reviewer in problem.existing | set(proposal.pairs):
        result[paper].add(reviewer)
    return result


def spread(proposal: Proposal) -> int:
    return max(proposal.loads.values()) - min(proposal.loads.values())


@pytest.fixture(scope="module")
def call() -> Problem:
    return generated_call()


@pytest.fixture(scope="module")
def proposal(call) -> Proposal:
    return propose(call)


def test_solver_small_case_gives_the_only_assignment():
    # A: reviewer 1 is in conflict, so 2 and 3. C (field y): 3 and 4. Reviewer 3 is then at the cap of 2,
    # so B takes 1 and 2.
    problem = Problem(
        papers=(
            Paper(id=1, label="A", field="x", conflicts=frozenset({"acme"})),
            Paper(id=2, label="B", field="x", conflicts=frozenset()),
            Paper(id=3, label="C", field="y", conflicts=frozenset()),
        ),
        reviewers=(
            Reviewer(id=1, name="R1", fields=frozenset({"x"}), organisations=frozenset({"acme"})),
            Reviewer(id=2, name="R2", fields=frozenset({"x"})),
            Reviewer(id=3, name="R3", fields=frozenset({"x", "y"})),
            Reviewer(id=4, name="R4", fields=frozenset({"y"})),
        ),
        k=2,
        max_load=2,
    )

    result = propose(problem)

    assert result == Proposal(
        pairs=((1, 2), (1, 3), (2, 1), (2, 2), (3, 3), (3, 4)), loads={1: 1, 2: 2, 3: 2, 4: 1}, seed=None
    )


def test_solver_gives_every_paper_exactly_k_reviewers_of_its_field(call, proposal):
    fields = {reviewer.id: reviewer.fields for reviewer in call.reviewers}
    papers = {paper.id: paper for paper in call.papers}

    counts = Counter(len(reviewers) for reviewers in assigned(call, proposal).values())
    off_field = [(p, r) for p, r in proposal.pairs if papers[p].field not in fields[r]]

    assert (counts, off_field) == (Counter({5: 300}), [])
    assert len(proposal.pairs) == len(set(proposal.pairs)) == 1500


def test_solver_never_assigns_a_reviewer_in_conflict(call, proposal):
    organisations = {reviewer.id: reviewer.organisations for reviewer in call.reviewers}
    conflicts = {paper.id: paper.conflicts for paper in call.papers}
    # The generated call has conflicts to avoid: the test would pass vacuously otherwise.
    assert any(
        reviewer.organisations & paper.conflicts and paper.field in reviewer.fields
        for paper in call.papers
        for reviewer in call.reviewers
    )

    in_conflict = [(p, r) for p, r in proposal.pairs if organisations[r] & conflicts[p]]

    assert in_conflict == []


def test_solver_balances_loads_where_the_pool_allows(proposal):
    assert (spread(proposal), sum(proposal.loads.values())) == (0, 1500)


def test_solver_respects_the_cap_counting_current_load(call):
    # The most even loads already have the smallest maximum, so a uniform cap can only bite where the pool forces
    # a load past it: that case is test_solver_names_the_paper_the_flow_could_not_serve.
    # Six experts already hold 20 reviews; 25 more each would take them to 45, past the cap of 28.
    busy = {reviewer.id for reviewer in call.reviewers[:6]}
    reviewers = tuple(replace(r, current_load=20) if r.id in busy else r for r in call.reviewers)
    problem = replace(call, reviewers=reviewers, max_load=28)

    result = propose(problem)

    new = Counter(reviewer for _, reviewer in result.pairs)
    assert max(result.loads.values()) <= 28
    assert {r.id: result.loads[r.id] for r in reviewers} == {r.id: r.current_load + new[r.id] for r in reviewers}
    assert spread(result) <= 1


def test_solver_draw_is_reproducible_with_the_same_seed(call):
    first = propose(replace(call, seed=7))
    second = propose(replace(call, seed=7))

    assert first == second
    assert first.seed == 7


def test_solver_draw_differs_between_seeds_and_stays_balanced(call, proposal):
    drawn = [propose(replace(call, seed=seed)) for seed in (1, 2, 3, 4)]

    assert len({result.pairs for result in drawn}) >= 2
    assert [spread(result) for result in drawn] == [0, 0, 0, 0]


def test_solver_without_seed_is_deterministic(call, proposal):
    shuffled = list(call.reviewers)
    random.Random(3).shuffle(shuffled)

    assert propose(replace(call, reviewers=tuple(shuffled))) == proposal


def test_solver_counts_existing_pairs_toward_k_and_load(call, proposal):
    # Keep two of the unseeded proposal's reviewers for each of the first 40 papers.
    kept = {}
    for paper, reviewer in proposal.pairs:
        if paper <= 40 and len(kept.setdefault(paper, [])) < 2:
            kept[paper].append(reviewer)
    existing = frozenset((paper, reviewer) for paper, reviewers in kept.items() for reviewer in reviewers)
    problem = replace(call, existing=existing)

    result = propose(problem)

    new_per_paper = Counter(paper for paper, _ in result.pairs)
    assert set(result.pairs) & existing == set()
    assert [new_per_paper[paper] for paper in range(1, 41)] == [3] * 40
    assert Counter(len(reviewers) for reviewers in assigned(problem, result).values()) == Counter({5: 300})
    held = Counter(reviewer for _, reviewer in existing) + Counter(reviewer for _, reviewer in result.pairs)
    assert result.loads == {reviewer.id: held[reviewer.id] for reviewer in call.reviewers}
    assert spread(result) == 0


def test_solver_never_uses_forbidden_pairs(call, proposal):
    # Forbid two of the unseeded solver's choices for each of the first 30 papers (as if declined).
    chosen: dict[int, list[int]] = {}
    for paper, reviewer in proposal.pairs:
        if paper <= 30:
            chosen.setdefault(paper, []).append(reviewer)
    forbidden = frozenset((paper, reviewer) for paper, reviewers in chosen.items() for reviewer in reviewers[:2])

    result = propose(replace(call, forbidden=forbidden))

    assert len(forbidden) == 60
    assert set(result.pairs) & forbidden == set()
    assert len(result.pairs) == 1500


def english_reasons(problem: Problem) -> list[str]:
    with translation.override("en"), pytest.raises(Infeasible) as refusal:
        propose(problem)
    return refusal.value.reasons


def test_solver_refuses_a_field_with_too_few_conflict_free_experts():
    # Five equipment experts, two of them at the applicant's own organisation.
    reviewers = tuple(
        Reviewer(
            id=number,
            name=f"E{number}",
            fields=frozenset({"equipment"}),
            organisations=frozenset({"acme" if number <= 2 else f"org-{number}"}),
        )
        for number in range(1, 6)
    )
    paper = Paper(id=1, label="T/ZZB 128—2021", field="equipment", conflicts=frozenset({"acme"}))

    reasons = english_reasons(Problem(papers=(paper,), reviewers=reviewers, k=5, max_load=8))

    assert reasons == ["T/ZZB 128—2021 (equipment): only 3 experts in that field are free of conflicts; 5 are needed"]


def test_solver_refuses_when_total_capacity_is_too_low(call):
    reasons = english_reasons(replace(call, max_load=8))

    assert reasons[0] == "The experts' maximum load of 8 allows 480 reviews; 1,500 are needed"


def test_solver_refuses_a_paper_whose_field_experts_are_all_in_conflict(call):
    rare = tuple(
        Reviewer(id=number, name=f"Rare {number}", fields=frozenset({"rare"}), organisations=frozenset({"acme"}))
        for number in (1, 2)
    )
    paper = Paper(id=999, label="T/ZZB 7—2022", field="rare", conflicts=frozenset({"acme"}))
    problem = replace(call, papers=(*call.papers, paper), reviewers=(*call.reviewers, *rare))

    reasons = english_reasons(problem)

    assert reasons == ["T/ZZB 7—2022 (rare): all 2 experts in that field are in conflict; 5 are needed"]


def test_solver_names_the_paper_the_flow_could_not_serve():
    # Each paper alone, each field and the total pass the checks, but reviewers 1 and 2 are the only ones free
    # for A and B, which fill them to the cap; C is then left with reviewer 4 only.
    problem = Problem(
        papers=(
            Paper(id=1, label="A", field="x", conflicts=frozenset({"acme"})),
            Paper(id=2, label="B", field="x", conflicts=frozenset({"acme"})),
            Paper(id=3, label="C", field="y", conflicts=frozenset()),
        ),
        reviewers=(
            Reviewer(id=1, name="R1", fields=frozenset({"x", "y"})),
            Reviewer(id=2, name="R2", fields=frozenset({"x", "y"})),
            Reviewer(id=3, name="R3", fields=frozenset({"x"}), organisations=frozenset({"acme"})),
            Reviewer(id=4, name="R4", fields=frozenset({"y"})),
        ),
        k=2,
        max_load=2,
    )

    reasons = english_reasons(problem)

    assert len(reasons) == 1
    assert reasons[0].split(" (")[0] in {"A", "B", "C"}
    assert reasons[0].endswith(
        "only 1 of the 2 experts needed could be assigned; the other experts free of conflicts are taken up to "
        "the maximum load of 2 by other applications"
    )
