"""Rows of the role × URL matrix (tests/test_url_matrix.py) for objections:
filing and tracking (public), handling (secretariat), answering (group, recommender).

An objection is the secretariat's alone: everyone else signed in gets 404 from its pages (anonymous visitors
are sent to log in, and learn nothing). A forwarded question is its organisation's and the secretariat's.
The secretariat's POSTs are sent empty or in a state that refuses them (400, 409): a 302 would lead to a page
whose address depends on the world.
"""

from tests.publicity.test_objection_services import handled_objection
from tests.test_url_matrix import ANONYMOUS, APPLICANT, LOGIN, SECRETARIAT, Row, everyone, logged_in, secretariat_only


def _notice(world) -> dict:
    return {"pk": handled_objection(world).notice_id}


def _objection(world) -> dict:
    return {"pk": handled_objection(world).pk}


def _forward(world) -> dict:
    objection = handled_objection(world)
    return {"pk": objection.pk, "forward_pk": objection.forwards.get().pk}


def _answer(world) -> dict:
    return {"pk": handled_objection(world).forwards.get().pk}


def secretariat_sees(expected: int = 200) -> dict:
    return {**everyone(404), ANONYMOUS: LOGIN, SECRETARIAT: expected}


ROWS: dict[str, Row] = {
    # The public's: the form of an open notice's first project, and the status look-up.
    "publicity:objection_create": Row(everyone(200), kwargs=_notice, data={"project": "1"}),
    "publicity:objection_status": Row(everyone(200)),
    # The secretariat's.
    "publicity:objection_list": Row(secretariat_only()),
    "publicity:objection_detail": Row(secretariat_sees(), kwargs=_objection),
    "publicity:objection_evidence": Row(secretariat_sees(), kwargs=_objection),
    # Under investigation already: taking it under investigation again is a wrong state.
    "publicity:objection_investigate": Row(secretariat_sees(409), kwargs=_objection, method="post"),
    "publicity:objection_forward": Row(secretariat_sees(400), kwargs=_objection, method="post"),
    "publicity:objection_record_answer": Row(secretariat_sees(400), kwargs=_forward, method="post"),
    "publicity:objection_decide": Row(secretariat_sees(400), kwargs=_objection, method="post"),
    # The group's and the recommender's (anyone signed in has a list, empty unless asked).
    "publicity:answer_list": Row(logged_in(200)),
    "publicity:answer_detail": Row({**secretariat_sees(), APPLICANT: 200}, kwargs=_answer),
}
