"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the ranking, its exports and the shortlist.

The scores are the secretariat's alone: a call's ranking pages are refused by role to every other user, and one
application's outcome page is 403 to whoever may see the application (its group, its recommender, its assigned
expert) and 404 to everyone else. The World holds `admitted` (an application under review, in a call of its own).
"""

from reviews.services import shortlisting
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


def _decision(world) -> dict:
    """A large call's decision, done (its state kept in the shared cache as the task leaves it)."""
    state = {"call": world.admitted.call_id, "state": "done", "chosen": 1, "rest": 0, "count": 1}
    shortlisting.remember_decision("matrix-decision", state)
    return {"pk": world.admitted.call_id, "token": "matrix-decision"}


ROWS: dict[str, Row] = {
    "reviews:ranking": Row(secretariat_only(), kwargs=_call),
    "reviews:ranking_csv": Row(secretariat_only(), kwargs=_call),
    "reviews:ranking_xlsx": Row(secretariat_only(), kwargs=_call),
    "reviews:shortlist": Row(secretariat_only(), kwargs=_call),
    "reviews:shortlist_progress": Row(secretariat_only(), kwargs=_decision),
    "reviews:application_outcome": Row(
        {
            **everyone(404),
            ANONYMOUS: LOGIN,
            APPLICANT: 403,
            RECOMMENDER: 403,
            ASSIGNED_EXPERT: 403,
            SECRETARIAT: 200,
        },
        kwargs=lambda w: {"pk": w.admitted.pk},
    ),
}
