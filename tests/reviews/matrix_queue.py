"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the review stage's queue pages.

Each named URL of these pages gets a `Row` here, with the status for every actor: see the matrix's docstring.
The World holds `admitted` (an application under review) and `assignment` (of it, to the assigned expert).
"""

from reviews.models import Panel
from tests.test_url_matrix import (
    ANONYMOUS,
    APPLICANT,
    ASSIGNED_EXPERT,
    LOGIN,
    RECOMMENDER,
    SECRETARIAT,
    UNASSIGNED_EXPERT,
    Row,
    everyone,
    only,
    secretariat_only,
)


def _assignment(world) -> dict:
    return {"pk": world.assignment.pk}


def _chaired_panel(world) -> dict:
    """A panel of the admitted application's call and field, chaired by the assigned expert (made on first use)."""
    application = world.admitted
    panel, _ = Panel.objects.get_or_create(
        call=application.call,
        name="matrix-panel",
        defaults={"field": application.industry_field, "chair": world.expert},
    )
    return {"pk": panel.pk, "application_pk": application.pk}


# The review page: its expert and the secretariat (which reads it); to everyone else it does not exist.
_REVIEW_SEEN = {**everyone(404), ANONYMOUS: LOGIN, ASSIGNED_EXPERT: 200, SECRETARIAT: 200}

ROWS: dict[str, Row] = {
    "reviews:rubric": Row(secretariat_only(), kwargs=lambda w: {"pk": w.admitted.call_id}),
    # The queue is the experts' (each sees only their own): everyone else is refused by role.
    "reviews:queue": Row(only({ASSIGNED_EXPERT, UNASSIGNED_EXPERT})),
    "reviews:review": Row(_REVIEW_SEEN, kwargs=_assignment),
    # POST with no review submitted yet: the secretariat hears there is nothing to reopen (409); the expert
    # may see the review but never reopen it (403); everyone else finds nothing.
    "reviews:review_reopen": Row(
        {**_REVIEW_SEEN, ASSIGNED_EXPERT: 403, SECRETARIAT: 409}, kwargs=_assignment, method="post"
    ),
    # The chair (the assigned expert) before every review is in: 409. Who may see the application but not
    # chair the panel (its group, its recommender, the secretariat): 403; the unassigned expert: 404.
    "reviews:panel_opinion": Row(
        {
            **everyone(404),
            ANONYMOUS: LOGIN,
            APPLICANT: 403,
            RECOMMENDER: 403,
            SECRETARIAT: 403,
            ASSIGNED_EXPERT: 409,
            UNASSIGNED_EXPERT: 404,
        },
        kwargs=_chaired_panel,
    ),
}
