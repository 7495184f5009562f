"""(role × transition × state) through the web: the order of refusals for every transition endpoint.

404 for who may not see the application, 403 for who may see it but never make this move (in every state,
including those where the move is illegal), 409 for the one with the right when the move is not legal from the
state; the one with the right in a state that allows the move makes it (302, one audit row). The states are
reached through the real transitions (`test_transition_matrix.REACH`).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, User
from projects import workflow
from projects.models import Application, ApplicationStatus
from tests.factories import (
    ExpertFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    member_of,
)
from tests.projects.test_transition_matrix import CALLS, REACH, TRANSITION_NAMES

pytestmark = pytest.mark.django_db
S = ApplicationStatus
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

APPLICANT, RECOMMENDER, SECRETARIAT = "applicant", "recommender", "secretariat"
OTHERS = ("other_applicant", "other_recommender", "expert")
ACTORS = (APPLICANT, RECOMMENDER, SECRETARIAT, *OTHERS)

# transition → its endpoint, what is posted to it, and who holds its right.
ENDPOINTS: dict[str, tuple[str, dict[str, object], str]] = {
    # The pledge confirmed again on the submission's page (issue 10).
    "submit": ("projects:application_submit", {"pledge_confirmed": "on"}, APPLICANT),
    "withdraw": ("projects:application_withdraw", {"reason": "标准即将修订。"}, APPLICANT),
    "return_for_revision": (
        "projects:application_decide",
        {"decision": "return", "reason": "请补充证明材料。", "confirm": "yes"},
        RECOMMENDER,
    ),
    "recommend": (
        "projects:application_decide",
        {"decision": "recommend", "opinion": "同意推荐。", "rank": 1},
        RECOMMENDER,
    ),
    "decline": (
        "projects:application_decide",
        {"decision": "decline", "reason": "不予推荐。", "confirm": "yes"},
        RECOMMENDER,
    ),
    "admit": ("projects:application_formal_check", {"decision": "admit", "note": "材料齐全。"}, SECRETARIAT),
    "reject_ineligible": (
        "projects:application_formal_check",
        {"decision": "reject", "reason": "缺少标准文本。"},
        SECRETARIAT,
    ),
    # With a reason: no review is in yet in these states, so deciding is an override (issue 12).
    "shortlist": ("reviews:application_outcome", {"decision": "shortlist", "reason": "评审组一致推荐。"}, SECRETARIAT),
    "not_select": ("reviews:application_outcome", {"decision": "not_select", "reason": "未达入围分数。"}, SECRETARIAT),
}

# Who sees the application: its group always; its recommender and the secretariat once it was submitted (every
# state of REACH but the draft is reached through a submission).
NEVER_SUBMITTED = {S.DRAFT}


def _actors(application: Application) -> dict[str, User]:
    return {
        APPLICANT: application.created_by,
        RECOMMENDER: member_of(application.recommender),
        SECRETARIAT: member_of(MinistryFactory()),
        "other_applicant": member_of(SocialGroupFactory()),
        "other_recommender": member_of(ProvincialDepartmentFactory(province=application.group.province)),
        "expert": ExpertFactory().user,
    }


def _expected(state: str, name: str, actor: str) -> int:
    holder = ENDPOINTS[name][2]
    sees = actor == APPLICANT or (actor in {RECOMMENDER, SECRETARIAT} and state not in NEVER_SUBMITTED)
    if not sees:
        return 404
    if actor != holder:
        return 403
    return 302 if name in workflow.TRANSITIONS.get(state, frozenset()) else 409


def _landing(name: str, application: Application) -> str:
    """Where a legal move leads: a submission to its receipt (issue 10), every other move to the application."""
    if name != "submit":
        return application.get_absolute_url()
    number = Application.objects.values_list("submission_count", flat=True).get(pk=application.pk)
    return reverse("projects:application_receipt", kwargs={"pk": application.pk, "number": number})


def _observe(response, application: Application, name: str) -> int | str:
    """The status, once the page shows what it should: the portal's refusal page, the conflict, the redirect."""
    status = response.status_code
    templates = [template.name for template in response.templates]
    if status in (403, 404) and f"{status}.html" not in templates:
        return f"{status} without the portal's {status} page"
    if status == 409 and "cannot be" not in str(response.context["refusal"]):
        return "409 without saying why"
    if status == 302 and response["Location"] != _landing(name, application):
        return f"302 to {response['Location']}"
    return status


def _cases() -> list:
    return [
        pytest.param(state, name, id=f"{state}-{name}")
        for state in REACH
        for name in TRANSITION_NAMES
        if name in ENDPOINTS
    ]


# Made through no page of the application: the scheduled job opens and closes the notices (tests/publicity/
# test_jobs.py), an objection's decision upholds it and a dismissal announces one held back (tests/publicity/
# test_objection_views.py, where the objection's pages refuse in the same order).
ELSEWHERE = {"open_notice", "close_notice", "uphold_objection"}


def test_every_transition_has_an_endpoint():
    assert sorted([*ENDPOINTS, *ELSEWHERE]) == TRANSITION_NAMES


@pytest.mark.parametrize(("state", "name"), _cases())
def test_transition_endpoint_refuses_in_order(state, name):
    application = REACH[state]()
    users = _actors(application)
    url_name, data, holder = ENDPOINTS[name]
    url = reverse(url_name, kwargs={"pk": application.pk})
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    observed = {}
    # The one with the right last: a legal move changes the state the others were refused in.
    for actor in sorted(ACTORS, key=lambda actor: actor == holder):
        client = Client()
        client.force_login(users[actor])
        observed[actor] = _observe(client.post(url, data, **ENGLISH), application, name)

    assert observed == {actor: _expected(state, name, actor) for actor in ACTORS}
    moved = observed[holder] == 302
    application.refresh_from_db()
    events = AuditEvent.objects.filter(id__gt=last_event, action__startswith="application.").order_by("id")
    assert (list(events.values_list("action", "actor")), application.status == state) == (
        [(f"application.{name}", users[holder].pk)] if moved else [],
        not moved,
    )


@pytest.mark.parametrize(("state", "name"), _cases())
def test_transition_without_the_right_is_denied_in_every_state(state, name):
    # The workflow itself, as a task or the admin calls it: who before what state, and nothing written.
    application = REACH[state]()
    users = _actors(application)
    _actor, arguments = CALLS[name](application)
    before = Application.objects.values().get(pk=application.pk)
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    refused = {}
    for actor in (APPLICANT, RECOMMENDER, SECRETARIAT):
        if actor == ENDPOINTS[name][2]:
            continue
        try:
            getattr(workflow, name)(application, by=users[actor], **arguments)
        except PermissionDenied:
            refused[actor] = "PermissionDenied"
        except (workflow.InvalidTransition, workflow.TransitionRefused) as error:
            refused[actor] = type(error).__name__

    holder = ENDPOINTS[name][2]
    assert refused == dict.fromkeys({APPLICANT, RECOMMENDER, SECRETARIAT} - {holder}, "PermissionDenied")
    assert (
        Application.objects.values().get(pk=application.pk),
        AuditEvent.objects.filter(id__gt=last_event).count(),
    ) == (
        before,
        0,
    )
