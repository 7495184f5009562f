"""The review queue's pages: the expert's queue, the review page (draft, submit, lock), the rubric page and its
freeze, reopening, the panel chair's opinion; who reaches each; what the applicant's page never shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import AuditEvent
from reviews.models import Criterion, PanelOpinion, ReviewSettings, ReviewStatus, Score
from reviews.services import experts as expert_services
from reviews.services import reviews as services
from reviews.services.rubric import RubricFrozen, ensure_rubric
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of
from tests.reviews.test_reviews import assign, full_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def assignment(secretariat):
    [application] = admitted_applications(secretariat=secretariat)
    ensure_rubric(application.call)
    return assign(application, ExpertFactory(user__name="评审专家甲"), by=secretariat)


def _criteria(assignment):
    return list(Criterion.objects.filter(call=assignment.application.call).order_by("position"))


def _post(assignment, values, **extra):
    data = {f"score_{c.pk}": v for c, v in zip(_criteria(assignment), values, strict=False)}
    return data | extra


def _url(assignment):
    return reverse("reviews:review", kwargs={"pk": assignment.pk})


def _queries(client, url: str) -> int:
    client.get(url)  # what a first request fills once (content types, the site's caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- the queue ---------------------------------------------------------------------------------------
def test_queue_lists_the_experts_own_assignments_only(client, assignment):
    other = assign(admitted_applications()[0], ExpertFactory())
    client.force_login(assignment.expert.user)
    response = client.get(reverse("reviews:queue"))
    html = response.content.decode()
    assert [row["assignment"] for row in response.context["rows"]] == [assignment]
    assert assignment.application.standard.title_zh in html
    assert _url(assignment) in html
    assert _url(other) not in html
    assert [row["progress"] for row in response.context["rows"]] == ["not_started"]


def test_queue_shows_progress_and_leaves_out_declined_assignments(client, assignment):
    declined = assign(admitted_applications()[0], assignment.expert)
    declined.status = "declined"
    declined.save()
    services.save_draft(assignment=assignment, by=assignment.expert.user, draft=services.Draft(scores=[]))
    client.force_login(assignment.expert.user)
    response = client.get(reverse("reviews:queue"))
    assert [(row["assignment"], row["progress"]) for row in response.context["rows"]] == [(assignment, "draft")]


def test_queue_is_for_experts_only(client, secretariat):
    url = reverse("reviews:queue")
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")
    client.force_login(secretariat)
    assert client.get(url).status_code == 403


def test_queue_queries_do_not_grow_with_the_rows(client):
    expert = ExpertFactory()
    applications = admitted_applications(count=20)
    assign(applications[0], expert)
    client.force_login(expert.user)
    url = reverse("reviews:queue")
    few = _queries(client, url)
    for application in applications[1:]:
        assign(application, expert)
    many = _queries(client, url)
    assert (few, len(client.get(url).context["rows"])) == (many, 20)


# --- the review page ---------------------------------------------------------------------------------
def test_review_page_shows_the_application_and_the_form_to_its_expert(client, assignment):
    client.force_login(assignment.expert.user)
    response = client.get(_url(assignment))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["can_score"] is True
    assert [c.name for c in response.context["form"].criteria] == ["应用效果", "技术水平", "市场竞争力", "社会影响力"]
    assert 'name="submit"' in html
    attachment = assignment.application.attachments.first()
    link = reverse(
        "projects:attachment_download", kwargs={"pk": assignment.application.pk, "attachment_pk": attachment.pk}
    )
    assert link in html
    assert client.get(link).status_code == 200


def test_review_page_links_its_expert_to_the_decline_page_until_the_review_is_submitted(
    client, assignment, secretariat
):
    decline = reverse("reviews:assignment_decline", kwargs={"pk": assignment.pk})
    client.force_login(secretariat)
    assert decline not in client.get(_url(assignment)).content.decode()  # the secretariat reads, never declines
    client.force_login(assignment.expert.user)
    assert decline in client.get(_url(assignment)).content.decode()

    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(assignment.application.call))

    assert decline not in client.get(_url(assignment)).content.decode()


def test_review_page_is_not_found_for_anyone_but_its_expert_and_the_secretariat(client, assignment):
    applicant = assignment.application.created_by
    for user in (ExpertFactory().user, applicant):
        client.force_login(user)
        assert client.get(_url(assignment)).status_code == 404
        assert client.post(_url(assignment), _post(assignment, [50])).status_code == 404
    assert not Score.objects.exists()


def test_review_page_of_a_declined_assignment_is_not_found_for_its_expert(client, assignment):
    assignment.status = "removed"
    assignment.save()
    client.force_login(assignment.expert.user)
    assert client.get(_url(assignment)).status_code == 404


def test_secretariat_reads_the_review_but_never_scores(client, assignment, secretariat):
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(assignment.application.call))
    client.force_login(secretariat)
    response = client.get(_url(assignment))
    html = response.content.decode()
    assert (response.status_code, response.context["can_score"]) == (200, False)
    assert 'name="submit"' not in html
    assert "77.00" in html
    assert client.post(_url(assignment), _post(assignment, [1, 1, 1, 1], submit="1")).status_code == 403
    assert assignment.review.total == Decimal("77.00")


def test_save_draft_keeps_what_was_typed(client, assignment):
    client.force_login(assignment.expert.user)
    first = _criteria(assignment)[0]
    data = _post(assignment, ["85.5"], **{f"comment_{first.pk}": "应用广泛", "opinion": "初稿", "save": "1"})
    response = client.post(_url(assignment), data)
    assert (response.status_code, response["Location"]) == (302, _url(assignment))
    review = assignment.review
    assert (review.status, review.opinion) == (ReviewStatus.DRAFT, "初稿")
    assert list(review.scores.values_list("score", "comment")) == [(Decimal("85.5"), "应用广泛")]
    assert 'value="85.5"' in client.get(_url(assignment)).content.decode()


def test_a_score_out_of_range_is_refused_with_a_message(client, assignment):
    client.force_login(assignment.expert.user)
    response = client.post(_url(assignment), _post(assignment, ["101", "7.3"], save="1"))
    errors = response.context["form"].errors
    first, second = _criteria(assignment)[:2]
    assert response.status_code == 400
    assert errors[f"score_{first.pk}"] == errors[f"score_{second.pk}"] == [services.range_message(100)]
    assert not Score.objects.exists()


def test_submit_incomplete_is_refused_and_nothing_typed_is_lost(client, assignment):
    client.force_login(assignment.expert.user)
    response = client.post(_url(assignment), _post(assignment, ["66.5"], opinion="尚待补充", submit="1"))
    html = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 400
    assert sorted(form.errors) == sorted(
        ["__all__", "recommendation"] + [f"score_{c.pk}" for c in _criteria(assignment)[1:]]
    )
    assert 'value="66.5"' in html
    assert "尚待补充" in html
    assert ReviewSettings.objects.get(call=assignment.application.call).frozen_at is None


def test_submit_locks_the_review_and_a_second_post_is_409(client, assignment):
    client.force_login(assignment.expert.user)
    data = _post(assignment, [80, 90, 70, 60], opinion="同意", recommendation="recommend", submit="1")
    response = client.post(_url(assignment), data)
    assert (response.status_code, response["Location"]) == (302, reverse("reviews:queue"))
    review = assignment.review
    assert (review.status, review.total, review.recommendation) == ("submitted", Decimal("77.00"), "recommend")
    assert AuditEvent.objects.filter(action="review.submit").count() == 1
    again = client.post(_url(assignment), _post(assignment, [1, 1, 1, 1], opinion="改", submit="1"))
    assert again.status_code == 409
    assert again.context["form"].refusal == _(
        "This review is submitted and locked: only the secretariat can reopen it."
    )
    assert 'name="submit"' not in again.content.decode()
    review.refresh_from_db()
    assert (review.total, review.opinion) == (Decimal("77.00"), "同意")


def test_review_page_queries_are_fixed(client, assignment):
    client.force_login(assignment.expert.user)
    before = _queries(client, _url(assignment))
    services.save_draft(assignment=assignment, by=assignment.expert.user, draft=full_draft(assignment.application.call))
    after = _queries(client, _url(assignment))
    assert after <= before + 1  # the review's scores, read once
    assert after < 40


# --- the rubric page -----------------------------------------------------------------------------------
def test_rubric_page_saves_weights_and_settings(client, assignment, secretariat):
    call = assignment.application.call
    criteria = _criteria(assignment)
    data = {
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "4",
        "reviews_per_application": "3",
        "max_load": "20",
        "due_at": "",
        "rank_by": "mean",
        "tie_break": "submission",
        "divergence_threshold": "12.5",
    }
    for n, (criterion, weight) in enumerate(zip(criteria, [40, 30, 20, 10], strict=True)):
        data |= {
            f"criteria-{n}-pk": criterion.pk,
            f"criteria-{n}-name": criterion.name,
            f"criteria-{n}-description": criterion.description,
            f"criteria-{n}-weight": weight,
            f"criteria-{n}-max_score": 100 if n else 10,
        }
    client.force_login(secretariat)
    url = reverse("reviews:rubric", kwargs={"pk": call.pk})
    assert "应用效果" in client.get(url).content.decode()
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, url)
    assert list(Criterion.objects.filter(call=call).values_list("weight", "max_score")) == [
        (40, 10),
        (30, 100),
        (20, 100),
        (10, 100),
    ]
    assert ReviewSettings.objects.get(call=call).reviews_per_application == 3

    refused = client.post(url, data | {"criteria-1-name": criteria[0].name, "criteria-2-weight": "0"})
    assert refused.status_code == 400
    formset = refused.context["formset"]
    assert formset.errors[2] == {"weight": [_("A weight is more than 0.")]}
    assert Criterion.objects.filter(call=call, weight=0).count() == 0
    duplicate = client.post(url, data | {"criteria-1-name": criteria[0].name})
    assert duplicate.status_code == 400
    assert duplicate.context["formset"].non_form_errors() == [_("Each criterion needs its own name.")]


def test_rubric_is_read_only_after_the_first_submission_and_a_post_is_409(client, assignment, secretariat):
    call = assignment.application.call
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    client.force_login(secretariat)
    url = reverse("reviews:rubric", kwargs={"pk": call.pk})
    page = client.get(url)
    assert page.context["frozen"] is True
    assert 'id="rubric-form"' not in page.content.decode()
    response = client.post(url, {"max_load": "1"})
    assert response.status_code == 409
    assert response.context["refusal"] == str(RubricFrozen(ReviewSettings.objects.get(call=call).frozen_at))
    assert ReviewSettings.objects.get(call=call).max_load == 30


# --- reopening -------------------------------------------------------------------------------------
def test_secretariat_reopens_with_a_reason(client, assignment, secretariat):
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(assignment.application.call))
    url = reverse("reviews:review_reopen", kwargs={"pk": assignment.pk})
    client.force_login(secretariat)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert assignment.review.status == "submitted"
    response = client.post(url, {"reason": "评分与意见不符"})
    assert (response.status_code, response["Location"]) == (302, _url(assignment))
    review = assignment.review
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert AuditEvent.objects.get(action="review.reopen").note == "评分与意见不符"
    client.force_login(assignment.expert.user)
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.get(_url(assignment)).context["can_score"] is True


def test_reopen_is_refused_once_the_application_is_past_review(client, assignment, secretariat):
    review = services.submit(
        assignment=assignment, by=assignment.expert.user, draft=full_draft(assignment.application.call)
    )
    # Straight to the state: the shortlist transition belongs to the ranking, not built yet.
    type(assignment.application).objects.filter(pk=assignment.application.pk).update(status="shortlisted")
    client.force_login(secretariat)
    response = client.post(reverse("reviews:review_reopen", kwargs={"pk": assignment.pk}), {"reason": "复核"})
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="review.reopen").exists()


# --- the panel's opinion -----------------------------------------------------------------------------
def test_panel_chair_records_the_opinion_once_every_review_is_in(client, assignment):
    application = assignment.application
    panel = expert_services.create_panel(call=application.call, field=application.industry_field, name="组一")
    panel.chair = assignment.expert
    panel.save()
    url = reverse("reviews:panel_opinion", kwargs={"pk": panel.pk, "application_pk": application.pk})
    client.force_login(assignment.expert.user)
    before = client.get(url)
    assert before.status_code == 409
    assert (before.context["counts"].submitted, before.context["counts"].assigned) == (0, 1)
    assert 'id="opinion-refusal"' in before.content.decode()
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(application.call))
    assert client.get(url).status_code == 200
    assert client.post(url, {"opinion": ""}).status_code == 400
    response = client.post(url, {"opinion": "专家组同意推荐。"})
    assert (response.status_code, response["Location"]) == (302, url)
    assert PanelOpinion.objects.get().opinion == "专家组同意推荐。"


# --- the application page --------------------------------------------------------------------------
def test_application_page_shows_the_count_to_the_secretariat_and_nothing_to_the_applicant(
    client, assignment, secretariat
):
    application = assignment.application
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(application.call))
    url = application.get_absolute_url()
    client.force_login(secretariat)
    html = client.get(url).content.decode()
    assert 'id="review-panel"' in html
    assert "评审专家甲" in html
    assert _url(assignment) in html
    recommender_staff = application.recommender.memberships.first().user
    for user in (application.created_by, recommender_staff):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert 'id="review-panel"' not in html
        assert "评审专家甲" not in html
        assert "77.00" not in html
        assert "标准实施效果显著" not in html
    client.force_login(assignment.expert.user)
    html = client.get(url).content.decode()
    assert 'id="review-panel"' in html
    assert _url(assignment) in html
