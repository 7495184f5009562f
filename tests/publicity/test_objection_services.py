"""Objections through the services: filing, handling, forwarding, answering, deciding; and the helpers that reach
those states for the other objection tests and the matrix rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import AuditEvent
from portal.uploads import ALL_KINDS, check_upload
from projects.models import ApplicationStatus
from publicity import jobs
from publicity.models import Notice, Objection, ObjectionForward, ObjectionStatus
from publicity.services import objections as services
from standards.files import minimal_pdf
from tests.factories import member_of
from tests.publicity.factories import end_window, open_notice, secretariat_user

FILER = services.Filer(name="张三丰", organisation="某检测机构", phone="13912345678", email="zhangsf@example.cn")
pytestmark = pytest.mark.django_db

GROUNDS = "该标准的关键指标与行业标准相同，并未严于行业标准。"


def evidence(name: str = "证据材料.pdf") -> ContentFile:
    return ContentFile(minimal_pdf("evidence"), name=name)


def file(notice: Notice, *, position: int = 1, filer: services.Filer = FILER, with_evidence: bool = False) -> Objection:
    entry = notice.entries.select_related("application__standard").get(position=position)
    upload = evidence() if with_evidence else None
    checked = check_upload(upload, kinds=ALL_KINDS, max_bytes=10_000_000) if upload else None
    return services.file_objection(entry=entry, filer=filer, grounds=GROUNDS, evidence=upload, checked=checked)


def handled_objection(world) -> Objection:
    """An objection (with evidence) to the one project of a new open notice, an application of the matrix's
    applicant group recommended by its `recommender`, under investigation and forwarded to the group."""
    application = world.application
    notice = open_notice(count=1, groups=[application.group], recommender=application.recommender)
    objection = file(notice, with_evidence=True)
    services.forward(
        objection=objection,
        by=secretariat_user(),
        organisations=[objection.application.group],
        question=GROUNDS,
    )
    objection.refresh_from_db()
    return objection


# --- the tests ---------------------------------------------------------------------------------------------


def _notes_and_labels() -> str:
    events = AuditEvent.objects.filter(action__startswith="objection.")
    return " ".join(f"{event.note} {event.target_label} {event.actor_label}" for event in events)


def test_filing_gives_an_unguessable_tracking_number_of_the_year_and_audits_without_the_filer():
    notice = open_notice(count=2)

    objection = file(notice, position=2, with_evidence=True)

    year = timezone.localtime(objection.created_at).year
    number = objection.tracking_number
    assert (number[:7], len(number), set(number[7:]) <= set(services.TRACKING_ALPHABET)) == (f"YY{year}-", 15, True)
    assert objection.application == notice.entries.get(position=2).application
    assert (objection.status, objection.evidence_name) == (ObjectionStatus.RECEIVED, "证据材料.pdf")
    event = AuditEvent.objects.get(action="objection.file")
    assert (event.target_label, event.actor_id) == (number, None)
    for detail in (FILER.name, FILER.phone, FILER.email, FILER.organisation):
        assert detail not in _notes_and_labels()


def test_two_filings_get_different_tracking_numbers():
    notice = open_notice(count=1)

    assert file(notice).tracking_number != file(notice).tracking_number


def test_filing_after_the_end_is_refused_with_the_closing_time():
    notice = open_notice(count=1)
    end_window(notice)

    with pytest.raises(services.ObjectionRefused, match=r"北京时间|Beijing time"):
        file(notice)
    assert Objection.objects.count() == 0


def test_investigate_moves_a_received_objection_once():
    objection = file(open_notice(count=1))
    secretariat = secretariat_user()

    services.investigate(objection=objection, by=secretariat)
    with pytest.raises(services.ObjectionRefused):
        services.investigate(objection=objection, by=secretariat)

    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING
    assert AuditEvent.objects.filter(action="objection.investigate").count() == 1


def test_only_the_secretariat_handles_an_objection():
    objection = file(open_notice(count=1))

    with pytest.raises(PermissionDenied):
        services.investigate(objection=objection, by=member_of(objection.application.group))


def test_forward_goes_to_the_group_and_its_recommender_once_each_and_investigates():
    objection = file(open_notice(count=1))
    application = objection.application

    services.forward(
        objection=objection, by=secretariat_user(), organisations=[application.group], question="请说明关键指标。"
    )
    services.forward(
        objection=objection, by=secretariat_user(), organisations=[application.recommender], question="请核实。"
    )
    with pytest.raises(ValidationError):
        services.forward(objection=objection, by=secretariat_user(), organisations=[application.group], question="再问")

    objection.refresh_from_db()
    asked = list(ObjectionForward.objects.filter(objection=objection).values_list("organisation", "question"))
    assert asked == [(application.group_id, "请说明关键指标。"), (application.recommender_id, "请核实。")]
    assert objection.status == ObjectionStatus.INVESTIGATING
    assert [e.note for e in AuditEvent.objects.filter(action="objection.forward").order_by("pk")] == [
        application.group.name,
        application.recommender.name,
    ]


def test_a_member_of_the_group_answers_once_and_no_one_else_may():
    objection = file(open_notice(count=1))
    [forward] = services.forward(
        objection=objection, by=secretariat_user(), organisations=[objection.application.group], question="请说明。"
    )
    outsider = member_of(objection.application.recommender)
    with pytest.raises(PermissionDenied):
        services.answer(forward=forward, by=outsider, text="不相干")
    staff = member_of(objection.application.group)

    services.answer(forward=forward, by=staff, text="指标严于行业标准，见附表。")
    with pytest.raises(services.ObjectionRefused):
        services.answer(forward=forward, by=staff, text="改一下")

    forward.refresh_from_db()
    assert (forward.answer, forward.answered_by) == ("指标严于行业标准，见附表。", staff)
    assert AuditEvent.objects.get(action="objection.answer").note == objection.application.group.name


def test_uphold_withdraws_the_application_with_the_finding_and_no_filer_in_the_log():
    objection = file(open_notice(count=1))

    services.uphold(objection=objection, by=secretariat_user(), finding="指标与行业标准相同。", response="异议成立。")

    objection.refresh_from_db()
    objection.application.refresh_from_db()
    assert (objection.status, objection.response, objection.finding) == ("upheld", "异议成立。", "指标与行业标准相同。")
    assert objection.application.status == ApplicationStatus.WITHDRAWN
    withdrawal = AuditEvent.objects.get(action="application.uphold_objection")
    assert withdrawal.note == "指标与行业标准相同。"
    for detail in (FILER.name, FILER.phone, FILER.email):
        assert detail not in _notes_and_labels() + withdrawal.note


def test_uphold_needs_a_finding_and_a_response():
    objection = file(open_notice(count=1))

    with pytest.raises(ValidationError) as refused:
        services.uphold(objection=objection, by=secretariat_user(), finding=" ", response="")

    assert sorted(refused.value.error_dict) == ["finding", "response"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_dismissing_after_the_close_announces_the_held_application():
    notice = open_notice(count=2)
    objection = file(notice)
    end_window(notice)
    assert jobs.close_one(notice.pk, timezone.now())
    objection.application.refresh_from_db()
    assert objection.application.status == ApplicationStatus.IN_PUBLICITY  # held back by the objection

    services.dismiss(objection=objection, by=secretariat_user(), response="经核查，异议不成立。")

    objection.application.refresh_from_db()
    assert objection.application.status == ApplicationStatus.ANNOUNCED
    assert AuditEvent.objects.filter(action="objection.dismiss").count() == 1


def test_dismissing_while_another_objection_is_pending_keeps_the_application_waiting():
    notice = open_notice(count=1)
    first, second = file(notice), file(notice)
    end_window(notice)
    jobs.close_one(notice.pk, timezone.now())

    services.dismiss(objection=first, by=secretariat_user(), response="不成立。")

    second.application.refresh_from_db()
    assert second.application.status == ApplicationStatus.IN_PUBLICITY


def test_dismissing_while_the_notice_is_open_leaves_the_close_to_the_job():
    objection = file(open_notice(count=1))

    services.dismiss(objection=objection, by=secretariat_user(), response="不成立。")

    objection.application.refresh_from_db()
    assert objection.application.status == ApplicationStatus.IN_PUBLICITY


def test_a_decided_objection_cannot_be_decided_again_nor_forwarded():
    objection = file(open_notice(count=1))
    services.dismiss(objection=objection, by=secretariat_user(), response="不成立。")
    before = AuditEvent.objects.count()

    with pytest.raises(services.ObjectionRefused):
        services.uphold(objection=objection, by=secretariat_user(), finding="x", response="y")
    with pytest.raises(services.ObjectionRefused):
        services.forward(objection=objection, by=secretariat_user(), organisations=[], question="q")

    assert AuditEvent.objects.count() == before


def test_the_filer_is_mailed_the_number_and_the_decision_and_the_secretariat_told(
    mailoutbox, django_capture_on_commit_callbacks
):
    notice = open_notice(count=1)
    secretariat = secretariat_user()
    with django_capture_on_commit_callbacks(execute=True):
        objection = file(notice)
    with django_capture_on_commit_callbacks(execute=True):
        services.dismiss(objection=objection, by=secretariat, response="经核查，异议不成立。")

    to_filer = [message for message in mailoutbox if message.to == [FILER.email]]
    assert [objection.tracking_number in message.subject for message in to_filer] == [True, True]
    assert "经核查，异议不成立。" in to_filer[1].body
    told = [message for message in mailoutbox if message.to == [secretariat.email]]
    assert len(told) == 1
    assert (FILER.email in told[0].body, FILER.name in told[0].body) == (False, False)


def test_the_organisation_asked_is_notified_without_the_filer(mailoutbox, django_capture_on_commit_callbacks):
    objection = file(open_notice(count=1))
    staff = member_of(objection.application.group)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.forward(
            objection=objection, by=secretariat_user(), organisations=[objection.application.group], question="请说明。"
        )

    [message] = [message for message in mailoutbox if message.to == [staff.email]]
    assert (FILER.name in message.body, FILER.email in message.body) == (False, False)


def test_the_window_helper_opens_before_its_end():
    notice = open_notice(count=1)

    assert notice.ends_at > timezone.now() + datetime.timedelta(hours=1)
