"""The shortlist: top N, a threshold, by hand; departures and overrides need a reason; the groups are told the
outcome, never the scores; the page shows the plan before anything is saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal.models import AuditEvent, Notification
from projects import workflow
from projects.models import ApplicationStatus
from reviews.services import shortlisting
from reviews.services.shortlisting import BY_HAND, THRESHOLD, TOP_N, NeedsReason, Selection
from tests.factories import ExpertFactory, MinistryFactory, member_of
from tests.reviews.test_ranking import reviewed
from tests.reviews.test_reviews import assign

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def ranked(secretariat):
    """Three applications, ranked first, second, third by their reviews."""
    third, first, second = reviewed([[60, 62], [90, 88], [80, 78]], secretariat=secretariat)
    return first, second, third


def _statuses(*applications) -> list[str]:
    for application in applications:
        application.refresh_from_db()
    return [application.status for application in applications]


def test_top_n_shortlists_the_first_and_marks_the_rest_not_selected(secretariat, ranked):
    first, second, third = ranked

    done = shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=2))

    assert (len(done.chosen), len(done.rest)) == (2, 1)
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.SHORTLISTED, S.NOT_SELECTED]
    moves = AuditEvent.objects.filter(action__in=["application.shortlist", "application.not_select"])
    assert sorted(moves.values_list("action", "note")) == [
        ("application.not_select", ""),
        ("application.shortlist", ""),
        ("application.shortlist", ""),
    ]
    decision = AuditEvent.objects.get(action="review.shortlist")
    assert decision.target_id == str(first.call_id)


def test_threshold_shortlists_every_application_at_or_above_the_score(secretariat, ranked):
    first, second, third = ranked

    shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=THRESHOLD, threshold=Decimal(79)))

    # means 89, 79, 61 (two reviews: the trimmed mean is the mean)
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.SHORTLISTED, S.NOT_SELECTED]


def test_a_choice_departing_from_the_ranking_needs_a_reason(secretariat, ranked):
    first, second, third = ranked
    selection = Selection(mode=TOP_N, count=1, include=frozenset({third.pk}))

    with pytest.raises(NeedsReason):
        shortlisting.decide(call=first.call, by=secretariat, selection=selection)
    assert _statuses(first, second, third) == [S.UNDER_REVIEW] * 3

    done = shortlisting.decide(call=first.call, by=secretariat, selection=selection, reason="第三名填补区域空白。")

    assert [row.application_id for row in done.departures] == [second.pk, third.pk]
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.NOT_SELECTED, S.SHORTLISTED]
    note = AuditEvent.objects.get(action="review.shortlist").note
    assert "第三名填补区域空白。" in note
    assert third.standard.display_number in note


def test_deciding_before_every_review_is_in_is_an_override_with_a_reason(secretariat, ranked):
    first, second, third = ranked
    assign(first, ExpertFactory(), by=secretariat)  # a third expert who has not reviewed yet

    with pytest.raises(NeedsReason):
        shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=2))
    shortlisting.decide(
        call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=2), reason="该专家因病无法评审。"
    )

    assert _statuses(first, second, third) == [S.SHORTLISTED, S.SHORTLISTED, S.NOT_SELECTED]
    assert first.standard.display_number in AuditEvent.objects.get(action="review.shortlist").note


def test_by_hand_shortlists_only_the_listed(secretariat, ranked):
    first, second, third = ranked

    shortlisting.decide(
        call=first.call, by=secretariat, selection=Selection(mode=BY_HAND, include=frozenset({first.pk}))
    )

    assert _statuses(first, second, third) == [S.SHORTLISTED, S.NOT_SELECTED, S.NOT_SELECTED]


def test_only_the_secretariat_decides_and_nothing_is_written_otherwise(ranked):
    first, second, third = ranked

    with pytest.raises(PermissionDenied):
        shortlisting.decide(call=first.call, by=first.created_by, selection=Selection(mode=TOP_N, count=1))

    assert _statuses(first, second, third) == [S.UNDER_REVIEW] * 3
    assert not AuditEvent.objects.filter(action__in=["review.shortlist", "application.shortlist"]).exists()


def test_groups_are_told_the_outcome_and_never_the_scores(secretariat, ranked, django_capture_on_commit_callbacks):
    first, _second, third = ranked

    with django_capture_on_commit_callbacks(execute=True):
        shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=2))

    told = {n.recipient_id: n for n in Notification.objects.filter(recipient__in=[first.created_by, third.created_by])}
    assert set(told) == {first.created_by.pk, third.created_by.pk}
    for notification in told.values():
        text = notification.body + notification.subject
        # The mean and the totals as the portal writes them; a bare "89" may be part of a factory's sequence number.
        assert [score for score in ("89.0", "90.0", "88.0") if score in text] == []
        assert "专家" not in notification.body
    assert first.standard.title_zh in told[first.created_by.pk].subject


def test_one_application_by_hand_departing_needs_a_reason(secretariat, ranked):
    first, second, third = ranked
    workflow.not_select(first, by=secretariat)

    with pytest.raises(NeedsReason):
        shortlisting.decide_one(application=second, by=secretariat, shortlist=True)
    shortlisting.decide_one(application=second, by=secretariat, shortlist=True, reason="第一名已撤回申报。")
    shortlisting.decide_one(application=third, by=secretariat, shortlist=False)  # in the ranking's order: no reason

    assert _statuses(first, second, third) == [S.NOT_SELECTED, S.SHORTLISTED, S.NOT_SELECTED]


def test_a_second_decision_finds_nothing_under_review(secretariat, ranked):
    first, _second, _third = ranked
    shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=1))

    with pytest.raises(ValidationError) as refused:
        shortlisting.decide(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=1))
    assert list(refused.value.message_dict) == ["mode"]


# --- the page ---------------------------------------------------------------------------------------------------
def _url(application) -> str:
    return reverse("reviews:shortlist", kwargs={"pk": application.call_id})


def test_shortlist_page_shows_the_plan_before_saving(client, secretariat, ranked):
    first, second, third = ranked
    client.force_login(secretariat)

    response = client.post(_url(first), {"mode": TOP_N, "count": "2", "preview": ""})

    assert response.status_code == 200
    assert [item["application"] for item in response.context["chosen_rows"]] == [first, second]
    assert _statuses(first, second, third) == [S.UNDER_REVIEW] * 3


def test_shortlist_page_confirms_and_goes_to_the_ranking(client, secretariat, ranked):
    first, second, third = ranked
    client.force_login(secretariat)

    response = client.post(_url(first), {"mode": TOP_N, "count": "1", "confirm": ""})

    assert response["Location"] == reverse("reviews:ranking", kwargs={"pk": first.call_id})
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.NOT_SELECTED, S.NOT_SELECTED]


def test_shortlist_page_asks_for_the_reason_and_keeps_what_was_typed(client, secretariat, ranked):
    first, second, third = ranked
    client.force_login(secretariat)
    number = third.standard.display_number

    response = client.post(
        _url(first), {"mode": TOP_N, "count": "1", "include": number, "confirm": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "Give the reason" in str(response.context["form"].errors["reason"])
    assert f"\n{number}</textarea>" in response.content.decode()
    assert _statuses(first, second, third) == [S.UNDER_REVIEW] * 3


def test_shortlist_page_names_a_number_that_is_not_under_review(client, secretariat, ranked):
    first, *_ = ranked
    client.force_login(secretariat)

    response = client.post(_url(first), {"mode": BY_HAND, "include": "T/NONE 1-2020"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Not an application under review in this call" in str(response.context["form"].errors["include"])


@pytest.mark.parametrize("count", ["99999999999999999999", "-1", "abc"])
def test_shortlist_page_refuses_a_hostile_count(client, secretariat, ranked, count):
    first, *_ = ranked
    client.force_login(secretariat)

    response = client.post(_url(first), {"mode": TOP_N, "count": count, "confirm": ""})

    assert response.status_code == 400
    assert "count" in response.context["form"].errors


def test_outcome_page_records_one_decision(client, secretariat, ranked):
    first, second, third = ranked
    client.force_login(secretariat)
    url = reverse("reviews:application_outcome", kwargs={"pk": first.pk})

    page = client.get(url)
    response = client.post(url, {"decision": "shortlist"})

    assert page.context["row"].rank == 1
    assert response["Location"] == first.get_absolute_url()
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.UNDER_REVIEW, S.UNDER_REVIEW]


# --- a large call: decided by a task, its page showing the progress ---------------------------------------------
def test_a_large_call_is_decided_by_a_task_and_its_outcome_kept(
    settings, secretariat, ranked, django_capture_on_commit_callbacks
):
    settings.SHORTLIST_INLINE_LIMIT = 2
    first, second, third = ranked

    with django_capture_on_commit_callbacks(execute=True):
        token = shortlisting.start_decision(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=2))

    state = shortlisting.read_decision(token)
    assert (state["state"], state["chosen"], state["rest"]) == ("done", 2, 1)
    assert _statuses(first, second, third) == [S.SHORTLISTED, S.SHORTLISTED, S.NOT_SELECTED]
    assert shortlisting.run_decision(token) == state  # a second run changes nothing
    assert AuditEvent.objects.filter(action="review.shortlist").count() == 1


def test_a_large_calls_missing_reason_is_refused_before_anything_is_queued(settings, secretariat, ranked):
    settings.SHORTLIST_INLINE_LIMIT = 2
    first, _second, third = ranked
    selection = Selection(mode=TOP_N, count=1, include=frozenset({third.pk}))

    with pytest.raises(NeedsReason):
        shortlisting.start_decision(call=first.call, by=secretariat, selection=selection)


def test_a_decision_refused_in_the_task_is_kept_as_failed_and_changes_nothing(
    settings, secretariat, ranked, django_capture_on_commit_callbacks
):
    settings.SHORTLIST_INLINE_LIMIT = 2
    first, second, third = ranked
    with django_capture_on_commit_callbacks(execute=False) as queued:
        token = shortlisting.start_decision(call=first.call, by=secretariat, selection=Selection(mode=TOP_N, count=1))
    assign(first, ExpertFactory(), by=secretariat)  # meanwhile: a review is missing now, and no reason was given
    for callback in queued:
        callback()

    state = shortlisting.read_decision(token)
    assert state["state"] == "failed"
    assert "Give the reason" in state["message"] or "请填写理由" in state["message"]
    assert _statuses(first, second, third) == [S.UNDER_REVIEW] * 3


def test_shortlist_page_of_a_large_call_shows_the_progress_then_the_outcome(
    client, settings, secretariat, ranked, django_capture_on_commit_callbacks
):
    settings.SHORTLIST_INLINE_LIMIT = 2
    first, *_ = ranked
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(_url(first), {"mode": TOP_N, "count": "2", "confirm": ""})
    waiting = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    for callback in queued:
        callback()
    polled = client.get(response["Location"], HTTP_HX_REQUEST="true")
    done = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")

    assert response["Location"].startswith(_url(first))
    assert "applications are being decided" in waiting.content.decode()
    assert polled.status_code == 200
    assert polled["HX-Refresh"] == "true"
    assert "2 applications are shortlisted and 1 marked not selected" in done.content.decode()


def test_shortlist_progress_of_an_unknown_or_another_calls_token_is_not_found(client, secretariat, ranked):
    first, *_ = ranked
    shortlisting.remember_decision("other", {"call": first.call_id + 1000, "state": "done", "chosen": 0, "rest": 0})
    client.force_login(secretariat)

    unknown = client.get(reverse("reviews:shortlist_progress", kwargs={"pk": first.call_id, "token": "nothing"}))
    other = client.get(reverse("reviews:shortlist_progress", kwargs={"pk": first.call_id, "token": "other"}))

    assert (unknown.status_code, other.status_code) == (404, 404)


def test_a_failed_decisions_page_says_why_with_409(client, secretariat, ranked):
    first, *_ = ranked
    state = {"call": first.call_id, "state": "failed", "message": "本申报批次中有申报在此期间已作出决定。", "count": 3}
    shortlisting.remember_decision("failed", state)
    client.force_login(secretariat)

    response = client.get(reverse("reviews:shortlist_progress", kwargs={"pk": first.call_id, "token": "failed"}))

    assert response.status_code == 409
    assert "本申报批次中有申报在此期间已作出决定。" in response.content.decode()
