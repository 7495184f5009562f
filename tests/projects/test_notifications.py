"""E-mail about an application's moves: to whom, and only once the move is committed.

Tasks run eagerly in tests (tests/conftest.py); `on_commit` callbacks run only when the test says so.
"""

import pytest
from django.core import mail
from django.db import transaction

from portal.models import Membership, User
from projects import notifications, workflow
from projects.models import ApplicationStatus
from tests.factories import (
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english(settings):
    # Mail is composed in settings.LANGUAGE_CODE; English is the source, whatever the catalogue holds.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def department():
    department = ProvincialDepartmentFactory()
    member_of(department, username="rec_b", email="b@dept.example.cn")
    member_of(department, username="rec_a", email="a@dept.example.cn")
    member_of(department, username="rec_noaddress", email="")
    member_of(department, username="rec_gone", email="gone@dept.example.cn", is_active=False)
    member_of(ProvincialDepartmentFactory(), username="rec_other", email="other@dept.example.cn")
    return department


@pytest.fixture
def secretariat_addresses():
    ministry = MinistryFactory()
    member_of(ministry, username="sec1", email="sec1@miit.example.cn")
    member_of(ministry, username="sec2", email="sec2@miit.example.cn")
    return ["sec1@miit.example.cn", "sec2@miit.example.cn"]


def _sent() -> list[tuple[list[str], str]]:
    return [(message.to, message.subject) for message in mail.outbox]


def test_submit_mails_the_recommenders_active_members_after_commit(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert _sent() == [(["a@dept.example.cn", "b@dept.example.cn"], f"New application to recommend: {application}")]


def test_submit_mail_names_the_group_the_application_and_the_call(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert mail.outbox[0].body == (
        f"{application.group} — {application} ({application.call}).\n\nOpen the portal to see it."
    )


def test_submit_sends_nothing_before_commit(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(application, by=application.created_by)

    assert (len(callbacks), mail.outbox) == (1, [])


class Abandon(Exception):
    """Raised inside the caller's transaction so that it rolls back."""


def test_submit_rolled_back_sends_nothing(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    def submit_then_abandon() -> None:
        with transaction.atomic():
            workflow.submit(application, by=application.created_by)
            raise Abandon

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abandon):
        submit_then_abandon()

    application.refresh_from_db()
    assert (application.status, callbacks, mail.outbox) == (S.DRAFT, [], [])


def test_refused_submit_sends_nothing(department, django_capture_on_commit_callbacks):
    application = make_application(recommender=department)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.TransitionRefused):
        workflow.submit(application, by=application.created_by)

    assert mail.outbox == []


def test_ministry_managed_submission_mails_the_secretariat(
    department, secretariat_addresses, django_capture_on_commit_callbacks
):
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert _sent() == [(secretariat_addresses, f"Application of a ministry-managed group: {application}")]


def test_withdraw_after_submission_tells_the_recommender(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    assert _sent() == [(["a@dept.example.cn", "b@dept.example.cn"], f"Application withdrawn: {application}")]


def test_withdraw_of_a_ministry_managed_submission_tells_the_secretariat(
    secretariat_addresses, django_capture_on_commit_callbacks
):
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)
    workflow.submit(application, by=application.created_by)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    assert _sent() == [(secretariat_addresses, f"Application withdrawn: {application}")]


def test_withdraw_of_a_draft_mails_no_one(department, secretariat_addresses, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="重复申报。")

    assert mail.outbox == []


def test_send_returns_how_many_were_mailed(department):
    application = make_application(complete=True, recommender=department)

    assert (
        notifications.send(application_id=application.pk, event="submitted"),
        notifications.send(application_id=application.pk, event="withdrawn"),  # never submitted: no one
    ) == (2, 0)


def test_a_member_of_two_organisations_is_mailed_once(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)
    both = User.objects.get(username="rec_a")
    Membership.objects.create(user=both, organisation=ProvincialDepartmentFactory())
    UserFactory(username="unrelated", email="unrelated@example.cn")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert mail.outbox[0].to == ["a@dept.example.cn", "b@dept.example.cn"]
