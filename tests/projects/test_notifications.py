"""Notifications about an application's moves: to whom, with what reason, once, and only after the commit.

Tasks run eagerly in tests (tests/conftest.py); `on_commit` callbacks run only when the test says so.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Membership, Notification, User
from projects import notifications, workflow
from projects.models import Application, ApplicationStatus, SubmissionSnapshot
from projects.selectors.submission import receipt_number
from projects.services.calls import extend_recommendation_deadline
from projects.tasks import task_notify
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    make_application,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
RECOMMENDERS = ["a@dept.example.cn", "b@dept.example.cn"]
SECRETARIAT = ["sec1@miit.example.cn", "sec2@miit.example.cn"]
PORTAL_URL = "https://portal.example.cn"


@pytest.fixture(autouse=True)
def _english(settings):
    # Mail is composed in settings.LANGUAGE_CODE; English is the source, whatever the catalogue holds.
    settings.LANGUAGE_CODE = "en"
    settings.PORTAL_URL = PORTAL_URL


def _link(application: Application) -> str:
    """How an e-mail about the application ends: the full link to it."""
    return f"\n\nView: {PORTAL_URL}/applications/{application.pk}/"


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
def secretariat():
    ministry = MinistryFactory()
    member_of(ministry, username="sec2", email="sec2@miit.example.cn")
    member_of(ministry, username="sec1", email="sec1@miit.example.cn")
    return member_of(ministry, username="sec_noaddress", email="")


def _sent() -> list[tuple[list[str], str]]:
    return sorted((message.to, message.subject) for message in mail.outbox)


def _each(addresses: list[str], subject: str) -> list[tuple[list[str], str]]:
    """One message per recipient: no one sees another's address."""
    return [([address], subject) for address in sorted(addresses)]


def _notified(application: Application) -> list[tuple[str, str]]:
    """(username, subject) of the in-portal notifications about the application."""
    rows = Notification.objects.filter(url=application.get_absolute_url()).order_by("recipient__username")
    return list(rows.values_list("recipient__username", "subject"))


def _submitted(department) -> Application:
    return submitted_application(recommender=department)


def _group_staff(application: Application) -> list[str]:
    member_of(application.group, username="grp_colleague", email="colleague@group.example.cn")
    member_of(application.group, username="grp_noaddress", email="")
    return sorted([application.created_by.email, "colleague@group.example.cn"])


def _ministry_managed() -> Application:
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)
    return workflow.submit(application, by=application.created_by)


def _number(application: Application, submission: int = 1) -> str:
    """The receipt number of the application's `submission`-th submission."""
    return receipt_number(SubmissionSnapshot.objects.get(application=application, number=submission))


def _receipts(application: Application, submission: int = 1) -> list[tuple[list[str], str]]:
    """Issue 10: the receipt (回执) each of the group's staff with an address is mailed on a submission."""
    addresses = sorted(
        User.objects.filter(memberships__organisation=application.group, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return _each(addresses, f"Submission receipt {_number(application, submission)}: {application}")


def _when(application: Application, submission: int = 1) -> str:
    snapshot = SubmissionSnapshot.objects.get(application=application, number=submission)
    return timezone.localtime(snapshot.taken_at, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


# --- who is told, and what ----------------------------------------------------------------------------
def test_submit_notifies_the_recommenders_active_members_after_commit(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    subject = f"New application to recommend: {application}"
    assert _sent() == sorted(_each(RECOMMENDERS, subject) + _receipts(application))
    assert _notified(application) == [("rec_a", subject), ("rec_b", subject), ("rec_noaddress", subject)]


def test_submit_notification_names_the_group_the_application_and_the_call(
    department, django_capture_on_commit_callbacks
):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    # Issue 10: with the submission's receipt number and time.
    expected = (
        f"{application.group} — {application} ({application.call}).\n\n"
        f"Submission number {_number(application)}, submitted {_when(application)} (Beijing time).\n\n"
        "Open the portal to see it."
    )
    notification = Notification.objects.get(recipient__username="rec_a")
    assert (mail.outbox[0].body, notification.body, notification.url) == (
        expected + _link(application),
        expected,
        f"/applications/{application.pk}/",
    )


def test_submit_gives_the_groups_staff_a_receipt_with_its_number(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)
    addresses = _group_staff(application)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    snapshot = SubmissionSnapshot.objects.get(application=application)
    files = "\n".join(f"- {line}" for line in snapshot.data["attachments"])
    expected = (
        f"{application.group} — {application} ({application.call}).\n\n"
        f"Submission number: {_number(application)}\n"
        f"Submitted: {_when(application)} (Beijing time), by {application.created_by.get_full_name()}\n"
        f"Recommender: {department.name}\n\n"
        f"Attachments:\n{files}\n\n"
        "Keep this receipt: open it in the portal to print it."
    )
    receipt = reverse("projects:application_receipt", kwargs={"pk": application.pk, "number": 1})
    receipts = Notification.objects.filter(url=receipt).order_by("recipient__username")
    subject = f"Submission receipt {_number(application)}: {application}"
    usernames = sorted([application.created_by.username, "grp_colleague", "grp_noaddress"])
    assert list(receipts.values_list("recipient__username", "subject", "body")) == [
        (username, subject, expected) for username in usernames
    ]
    group_mail = sorted((m.to, m.body) for m in mail.outbox if m.subject == subject)
    assert group_mail == [([address], f"{expected}\n\nView: {PORTAL_URL}{receipt}") for address in addresses]


def test_ministry_managed_receipt_says_the_group_applies_directly(secretariat, django_capture_on_commit_callbacks):
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    body = Notification.objects.get(recipient=application.created_by).body
    assert body.split("\n\n")[1].splitlines()[2] == (
        "Recommender: None: a ministry-managed social group applies directly."
    )
    secretariat_body = Notification.objects.get(recipient__username="sec1").body
    assert secretariat_body.split("\n\n")[1] == (
        f"Submission number {_number(application)}, submitted {_when(application)} (Beijing time)."
    )


def test_resubmit_notifies_the_recommender_of_the_revision(department, django_capture_on_commit_callbacks):
    application = _submitted(department)
    workflow.return_for_revision(application, by=User.objects.get(username="rec_a"), reason="补充数据。")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert _sent() == sorted(
        _each(RECOMMENDERS, f"Revised application resubmitted: {application}") + _receipts(application, 2)
    )


def test_ministry_managed_submission_notifies_the_secretariat(secretariat, django_capture_on_commit_callbacks):
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    subject = f"Application of a ministry-managed group: {application}"
    assert _sent() == sorted(_each(SECRETARIAT, subject) + _receipts(application))
    assert _notified(application) == [("sec1", subject), ("sec2", subject), ("sec_noaddress", subject)]


@pytest.mark.parametrize(
    ("decision", "arguments", "subject", "label", "note"),
    [
        (
            "return_for_revision",
            {"reason": "补充实施效果的数据。"},
            "Application returned for revision: ",
            "Reasons for revision:",
            "补充实施效果的数据。",
        ),
        (
            "recommend",
            {"opinion": "该标准先进，同意推荐。", "rank": 1},
            "Application recommended: ",
            "Recommendation opinion:",
            "该标准先进，同意推荐。",
        ),
        (
            "decline",
            {"reason": "实施范围不足。"},
            "Application not recommended: ",
            "Reason for not recommending:",
            "实施范围不足。",
        ),
    ],
)
def test_recommenders_decision_notifies_the_group_with_the_reason(
    decision, arguments, subject, label, note, department, django_capture_on_commit_callbacks
):
    application = _submitted(department)
    addresses = _group_staff(application)

    with django_capture_on_commit_callbacks(execute=True):
        getattr(workflow, decision)(application, by=User.objects.get(username="rec_a"), **arguments)

    assert _sent() == _each(addresses, f"{subject}{application}")
    assert [message.body for message in mail.outbox] == [
        f"{application.group} — {application} ({application.call}).\n\n{label}\n{note}\n\nOpen the portal to see it."
        + _link(application)
    ] * 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == sorted(
        [application.created_by.username, "grp_colleague", "grp_noaddress"]
    )


def test_admit_notifies_the_group_with_the_secretariats_note(secretariat, django_capture_on_commit_callbacks):
    application = _ministry_managed()
    addresses = _group_staff(application)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.admit(application, by=secretariat, note="材料齐全。")

    assert _sent() == _each(addresses, f"Application admitted to expert review: {application}")
    assert "Note of the formal check:\n材料齐全。" in mail.outbox[0].body


def test_admit_without_a_note_leaves_the_note_out(secretariat, django_capture_on_commit_callbacks):
    application = _ministry_managed()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.admit(application, by=secretariat)

    assert mail.outbox[0].body == (
        f"{application.group} — {application} ({application.call}).\n\nOpen the portal to see it." + _link(application)
    )


def test_reject_ineligible_notifies_the_group_with_the_reasons(secretariat, django_capture_on_commit_callbacks):
    application = _ministry_managed()
    addresses = _group_staff(application)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject_ineligible(application, by=secretariat, reason="标准实施不满六个月。")

    assert _sent() == _each(addresses, f"Application ineligible: {application}")
    assert "Reasons of the formal check:\n标准实施不满六个月。" in mail.outbox[0].body
    assert Notification.objects.get(recipient=application.created_by).body + _link(application) == mail.outbox[0].body


def test_withdraw_after_submission_tells_the_recommender_why(department, django_capture_on_commit_callbacks):
    application = _submitted(department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    assert _sent() == _each(RECOMMENDERS, f"Application withdrawn: {application}")
    assert "Reason for withdrawing:\n标准即将修订。" in mail.outbox[0].body


def test_withdraw_of_a_ministry_managed_submission_tells_the_secretariat(
    secretariat, django_capture_on_commit_callbacks
):
    application = _ministry_managed()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    assert _sent() == _each(SECRETARIAT, f"Application withdrawn: {application}")


def test_withdraw_of_a_draft_notifies_no_one(department, secretariat, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(application, by=application.created_by, reason="重复申报。")

    assert (mail.outbox, Notification.objects.count()) == ([], 0)


def test_a_member_of_two_organisations_is_notified_once(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)
    both = User.objects.get(username="rec_a")
    Membership.objects.create(user=both, organisation=ProvincialDepartmentFactory())
    UserFactory(username="unrelated", email="unrelated@example.cn")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(application, by=application.created_by)

    assert _sent() == sorted(
        _each(RECOMMENDERS, f"New application to recommend: {application}") + _receipts(application)
    )
    assert Notification.objects.filter(recipient=both).count() == 1


# --- only after the commit ---------------------------------------------------------------------------
def test_submit_sends_nothing_before_commit(department, django_capture_on_commit_callbacks):
    application = make_application(complete=True, recommender=department)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(application, by=application.created_by)

    assert (len(callbacks), mail.outbox, Notification.objects.count()) == (1, [], 0)


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
    assert (application.status, callbacks, mail.outbox, Notification.objects.count()) == (S.DRAFT, [], [], 0)


def test_refused_submit_sends_nothing(department, django_capture_on_commit_callbacks):
    application = make_application(recommender=department)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.TransitionRefused):
        workflow.submit(application, by=application.created_by)

    assert (mail.outbox, Notification.objects.count()) == ([], 0)


# --- the task: keyed by the audit event, idempotent ----------------------------------------------------
def test_transition_queues_the_audit_event_it_recorded(department, django_capture_on_commit_callbacks, monkeypatch):
    application = _submitted(department)
    queued = []
    monkeypatch.setattr(task_notify, "delay", lambda **kwargs: queued.append(kwargs))

    with django_capture_on_commit_callbacks(execute=True):
        workflow.decline(application, by=User.objects.get(username="rec_a"), reason="实施范围不足。")

    event = AuditEvent.objects.for_object(application).get(action="application.decline")
    assert queued == [{"application_id": application.pk, "event": "declined", "event_id": event.pk}]


def test_task_run_twice_notifies_no_one_the_second_time(department):
    application = _submitted(department)
    event = AuditEvent.objects.for_object(application).get(action="application.submit")
    arguments = {"application_id": application.pk, "event": "submitted", "event_id": event.pk}

    task_notify.delay(**arguments)
    first = (len(mail.outbox), Notification.objects.count())
    task_notify.delay(**arguments)

    # The recommender's two addresses and three staff, and the group's receipt to its one member (issue 10).
    assert (first, len(mail.outbox), Notification.objects.count()) == ((3, 4), 3, 4)
    assert Notification.objects.get(recipient__username="rec_a").key == (
        f"application:{application.pk}:submitted:{event.pk}"
    )


def test_send_returns_how_many_were_notified_now(department):
    application = make_application(complete=True, recommender=department)

    assert (
        notifications.send(application_id=application.pk, event="submitted"),
        notifications.send(application_id=application.pk, event="submitted"),  # the same event again
        notifications.send(application_id=application.pk, event="withdrawn"),  # never submitted: no one
    ) == (3, 0, 0)


def test_a_second_return_notifies_again_with_its_own_reason(department, django_capture_on_commit_callbacks):
    application = _submitted(department)
    recommender = User.objects.get(username="rec_a")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(application, by=recommender, reason="第一次：补充数据。")
    workflow.submit(application, by=application.created_by)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(application, by=recommender, reason="第二次：补充用户报告。")

    bodies = Notification.objects.filter(recipient=application.created_by).order_by("id").values_list("body", flat=True)
    assert [body.split("\n\n")[1] for body in bodies] == [
        "Reasons for revision:\n第一次：补充数据。",
        "Reasons for revision:\n第二次：补充用户报告。",
    ]


def test_task_queued_without_an_event_uses_the_latest_of_its_kind(department):
    # Messages queued before the event was passed carry only the application and the event's name.
    application = _submitted(department)
    workflow.decline(application, by=User.objects.get(username="rec_a"), reason="实施范围不足。")
    event = AuditEvent.objects.for_object(application).get(action="application.decline")

    task_notify.delay(application_id=application.pk, event="declined")

    notification = Notification.objects.get(recipient=application.created_by)
    assert (notification.key, notification.body.split("\n\n")[1]) == (
        f"application:{application.pk}:declined:{event.pk}",
        "Reason for not recommending:\n实施范围不足。",
    )


def test_send_ignores_an_event_id_of_another_application(department):
    application = _submitted(department)
    other = _submitted(department)
    workflow.decline(application, by=User.objects.get(username="rec_a"), reason="实施范围不足。")
    workflow.decline(other, by=User.objects.get(username="rec_a"), reason="另一份的理由。")
    others_event = AuditEvent.objects.for_object(other).get(action="application.decline")
    own_event = AuditEvent.objects.for_object(application).get(action="application.decline")

    notifications.send(application_id=application.pk, event="declined", event_id=others_event.pk)

    notification = Notification.objects.get(recipient=application.created_by)
    assert (notification.key, "另一份的理由" in notification.body) == (
        f"application:{application.pk}:declined:{own_event.pk}",
        False,
    )


# --- the recommender's deadline extension ---------------------------------------------------------------
def test_recommender_extension_notifies_the_recommenders_staff_once(
    department, secretariat, django_capture_on_commit_callbacks
):
    call = CallFactory()
    until = call.recommendation_deadline + datetime.timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        extension = extend_recommendation_deadline(
            call=call, recommender=department, until=until, reason="系统维护影响推荐。", by=secretariat
        )
    event = AuditEvent.objects.get(action="call.recommender_extension")
    again = notifications.send_recommender_extension(extension_id=extension.pk, event_id=event.pk)

    subject = f"Recommendation deadline extended: {call}"
    notification = Notification.objects.get(recipient__username="rec_a")
    assert (_sent(), again) == (_each(RECOMMENDERS, subject), 0)
    assert "系统维护影响推荐。" in notification.body
    assert notification.url == f"{reverse('projects:recommendation_inbox')}?call={call.pk}"
    assert mail.outbox[0].body == f"{notification.body}\n\nView: {PORTAL_URL}{notification.url}"
    assert Notification.objects.filter(recipient__username="rec_other").count() == 0
