"""Reviews through their services: draft, submit (total, lock, freeze, audit), reopen, the panel's opinion."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import assign_perm

from portal.models import AuditEvent, Notification
from reviews.models import Assignment, Criterion, PanelOpinion, ReviewSettings, ReviewStatus, Score
from reviews.services import experts as expert_services
from reviews.services import reviews as services
from reviews.services.rubric import ensure_rubric
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of

pytestmark = pytest.mark.django_db
D = Decimal


def assign(application, expert, *, by=None):
    """An active assignment with the rights assigning grants (the assignment service's job, done by hand)."""
    by = by or member_of(MinistryFactory())
    assignment = Assignment.objects.create(application=application, expert=expert, assigned_by=by)
    for right in ("projects.view_application", "projects.review_application"):
        assign_perm(right, expert.user, application)
    return assignment


def full_draft(call, values=(80, 90, 70, 60), *, opinion="标准实施效果显著。", recommendation="recommend"):
    criteria = Criterion.objects.filter(call=call).order_by("position")
    scores = [services.ScoreInput(c.pk, D(v), f"意见{c.position}") for c, v in zip(criteria, values, strict=True)]
    return services.Draft(scores=scores, opinion=opinion, recommendation=recommendation)


@pytest.fixture
def assignment():
    [application] = admitted_applications()
    ensure_rubric(application.call)
    return assign(application, ExpertFactory())


def test_save_draft_keeps_partial_scores(assignment):
    call = assignment.application.call
    first = Criterion.objects.filter(call=call).order_by("position").first()
    draft = services.Draft(scores=[services.ScoreInput(first.pk, D("85.5"), "好")], opinion="初稿")
    review = services.save_draft(assignment=assignment, by=assignment.expert.user, draft=draft)
    assert (review.status, review.opinion, review.total) == (ReviewStatus.DRAFT, "初稿", None)
    assert list(Score.objects.filter(review=review).values_list("score", "comment")) == [(D("85.5"), "好")]
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


@pytest.mark.parametrize("value", ["-1", "100.5", "7.3"])
def test_save_draft_refuses_a_score_out_of_range_or_off_step(assignment, value):
    first = Criterion.objects.filter(call=assignment.application.call).order_by("position").first()
    draft = services.Draft(scores=[services.ScoreInput(first.pk, D(value))])
    with pytest.raises(ValidationError) as error:
        services.save_draft(assignment=assignment, by=assignment.expert.user, draft=draft)
    assert error.value.message_dict == {f"score_{first.pk}": [services.range_message(100)]}
    assert not Score.objects.exists()


def test_save_draft_refuses_a_comment_without_its_score(assignment):
    first = Criterion.objects.filter(call=assignment.application.call).order_by("position").first()
    draft = services.Draft(scores=[services.ScoreInput(first.pk, None, "待定")])
    with pytest.raises(ValidationError) as error:
        services.save_draft(assignment=assignment, by=assignment.expert.user, draft=draft)
    assert list(error.value.message_dict) == [f"score_{first.pk}"]


def test_submit_computes_the_total_locks_freezes_and_audits(assignment):
    call = assignment.application.call
    review = services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, D("77.00"))
    assert review.submitted_at is not None
    assert ReviewSettings.objects.get(call=call).frozen_at is not None
    [event] = AuditEvent.objects.filter(action="review.submit")
    assert (event.from_state, event.to_state, event.target_id) == ("draft", "submitted", str(review.pk))
    assert "77" not in event.note


def test_submit_incomplete_is_refused_with_every_missing_item(assignment):
    call = assignment.application.call
    criteria = list(Criterion.objects.filter(call=call).order_by("position"))
    draft = services.Draft(scores=[services.ScoreInput(criteria[0].pk, D(50))])
    with pytest.raises(ValidationError) as error:
        services.submit(assignment=assignment, by=assignment.expert.user, draft=draft)
    assert sorted(error.value.message_dict) == sorted(
        [f"score_{c.pk}" for c in criteria[1:]] + ["opinion", "recommendation"]
    )
    assert ReviewSettings.objects.get(call=call).frozen_at is None
    assert not AuditEvent.objects.filter(action="review.submit").exists()


def test_a_submitted_review_is_locked(assignment):
    call = assignment.application.call
    services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    for change in (services.save_draft, services.submit):
        with pytest.raises(services.ReviewLocked):
            change(assignment=assignment, by=assignment.expert.user, draft=full_draft(call, (1, 1, 1, 1)))
    assert assignment.review.total == D("77.00")


def test_only_the_assigned_expert_reviews(assignment):
    other = ExpertFactory()
    with pytest.raises(PermissionDenied):
        services.save_draft(assignment=assignment, by=other.user, draft=services.Draft(scores=[]))
    assignment.status = "declined"
    assignment.save()
    with pytest.raises(PermissionDenied):
        services.save_draft(assignment=assignment, by=assignment.expert.user, draft=services.Draft(scores=[]))


def test_reopen_puts_it_back_to_draft_audits_and_notifies_the_expert(assignment, django_capture_on_commit_callbacks):
    call = assignment.application.call
    review = services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    secretariat = member_of(MinistryFactory())
    with django_capture_on_commit_callbacks(execute=True):
        review = services.reopen(review=review, by=secretariat, reason="技术水平评分与意见不一致")
    assert (review.status, review.total, review.submitted_at) == (ReviewStatus.DRAFT, None, None)
    [event] = AuditEvent.objects.filter(action="review.reopen")
    assert event.note == "技术水平评分与意见不一致"
    [notice] = Notification.objects.filter(recipient=assignment.expert.user)
    assert "技术水平评分与意见不一致" in notice.body
    assert notice.url == f"/reviews/{assignment.pk}/"
    assert len(mail.outbox) == 1
    # Still frozen; the expert may submit again.
    assert ReviewSettings.objects.get(call=call).frozen_at is not None
    again = services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call, (100,) * 4))
    assert again.total == D("100.00")


def test_reopen_refuses_a_draft_and_a_missing_reason(assignment):
    call = assignment.application.call
    secretariat = member_of(MinistryFactory())
    draft = services.save_draft(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    with pytest.raises(services.ReviewLocked):
        services.reopen(review=draft, by=secretariat, reason="x")
    review = services.submit(assignment=assignment, by=assignment.expert.user, draft=full_draft(call))
    with pytest.raises(ValidationError):
        services.reopen(review=review, by=secretariat, reason="  ")
    assert not AuditEvent.objects.filter(action="review.reopen").exists()


def test_panel_opinion_waits_for_every_review(assignment):
    application = assignment.application
    chair = assignment.expert
    panel = expert_services.create_panel(call=application.call, field="equipment", name="装备组")
    panel.chair = chair
    panel.save()
    second = assign(application, ExpertFactory())
    services.submit(assignment=assignment, by=chair.user, draft=full_draft(application.call))
    with pytest.raises(services.NotAllIn):
        services.record_panel_opinion(panel=panel, application=application, by=chair, opinion="同意")
    services.submit(assignment=second, by=second.expert.user, draft=full_draft(application.call))
    services.record_panel_opinion(panel=panel, application=application, by=chair, opinion="同意")
    services.record_panel_opinion(panel=panel, application=application, by=chair, opinion="同意推荐")
    assert list(PanelOpinion.objects.values_list("opinion", flat=True)) == ["同意推荐"]
    with pytest.raises(PermissionDenied):
        services.record_panel_opinion(panel=panel, application=application, by=second.expert, opinion="x")
    # Audited on the opinion, never on the application (whose timeline its group reads).
    assert AuditEvent.objects.filter(action="review.panel_opinion").count() == 2
    assert not AuditEvent.objects.for_object(application).filter(action__startswith="review.").exists()
