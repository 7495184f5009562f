"""A group withdraws its application during the expert review: its experts' assignments end with their rights."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.models import AuditEvent, User
from projects import workflow
from projects.models import ApplicationStatus
from reviews.models import AssignmentStatus
from reviews.services import assignments as services
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of

pytestmark = pytest.mark.django_db
VIEW, REVIEW = "projects.view_application", "projects.review_application"


def _expert(field: str = "electronics"):
    expert = ExpertFactory()
    expert.expertise.create(field=field)
    return expert


def test_withdrawing_under_review_ends_every_assignment_and_revokes_the_experts_rights(client):
    secretariat = member_of(MinistryFactory())
    application = admitted_applications(secretariat=secretariat)[0]
    experts = [_expert(), _expert()]
    made = [services.assign(application, expert, by=secretariat) for expert in experts]

    with translation.override("en"):
        moved = workflow.withdraw(application, by=application.created_by, reason="标准正在修订，申请撤回。")

    statuses = [assignment.__class__.objects.get(pk=assignment.pk).status for assignment in made]
    fresh = [User.objects.get(pk=expert.user_id) for expert in experts]  # guardian caches the rights it read
    assert (moved.status, statuses) == (ApplicationStatus.WITHDRAWN, [AssignmentStatus.REMOVED] * 2)
    assert [(user.has_perm(VIEW, application), user.has_perm(REVIEW, application)) for user in fresh] == [
        (False, False),
        (False, False),
    ]
    ended = AuditEvent.objects.filter(action="assignment.unassign").values_list("note", flat=True)
    assert list(ended) == ["The application was withdrawn by its group: 标准正在修订，申请撤回。"] * 2
    client.force_login(fresh[0])
    assert client.get(reverse("reviews:review", kwargs={"pk": made[0].pk})).status_code == 404
