"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the review stage's assignments pages.

Each named URL of these pages gets a `Row` here, with the status for every actor: see the matrix's docstring.
The World holds `admitted` (an application under review) and `assignment` (of it, to the assigned expert).
"""

from reviews.assignment.solver import Proposal
from reviews.services import assignments
from tests.test_url_matrix import (
    ANONYMOUS,
    APPLICANT,
    ASSIGNED_EXPERT,
    LOGIN,
    RECOMMENDER,
    SECRETARIAT,
    Row,
    everyone,
    secretariat_only,
)


def _call(world) -> dict:
    return {"pk": world.admitted.call_id}


def _proposal(world) -> dict:
    """An empty proposal kept for the admitted application's call (its page then has nothing to confirm)."""
    token = assignments.keep_proposal(world.admitted.call, Proposal(pairs=(), loads={}, seed=None))
    return {**_call(world), "token": token}


# Who sees the admitted application (its group, its recommender, its expert) may not act on its assignments.
_APPLICATION_SEEN = {
    **everyone(404),
    ANONYMOUS: LOGIN,
    APPLICANT: 403,
    RECOMMENDER: 403,
    ASSIGNED_EXPERT: 403,
    SECRETARIAT: 200,
}

ROWS: dict[str, Row] = {
    "reviews:assignment_list": Row(secretariat_only(), kwargs=_call),
    "reviews:assignment_proposal": Row(secretariat_only(), kwargs=_proposal),
    "reviews:application_assignments": Row(_APPLICATION_SEEN, kwargs=lambda w: {"pk": w.admitted.pk}),
    # POST only: the method is checked before the right (the roles are tested in test_assignment_views.py).
    "reviews:assignment_unassign": Row(everyone(405), kwargs=lambda w: {"pk": w.assignment.pk}),
    # The expert's own: the secretariat sees the assignment but does not decline for the expert; others 404.
    "reviews:assignment_decline": Row(
        {**everyone(404), ANONYMOUS: LOGIN, ASSIGNED_EXPERT: 200, SECRETARIAT: 403},
        kwargs=lambda w: {"pk": w.assignment.pk},
    ),
}
