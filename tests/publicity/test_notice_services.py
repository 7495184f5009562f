"""Preparing, editing, scheduling and correcting a notice (publicity.services.notices): refusals, the computed
end, and published versions that never change."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.models import AuditEvent, CalendarDay
from projects import workflow
from projects.models import ApplicationStatus
from publicity import jobs, lists
from publicity.models import NoticeEntry, NoticeStatus, PublishedList
from publicity.services import notices as services
from publicity.windows import notice_end
from tests.factories import SocialGroupFactory, admitted_applications, member_of
from tests.publicity import factories

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _actions(notice) -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="notice.", target_id=str(notice.pk)).values_list(
            "action", flat=True
        )
    )


@pytest.fixture
def shortlisted():
    return factories.shortlisted_applications(count=2)


@pytest.fixture
def secretariat():
    return factories.secretariat_user()


def _prepare(call, by, **overrides):
    fields = {**factories.NOTICE_TEXT, "starts_at": timezone.now() + DAY, "working_days": 5, **overrides}
    return services.prepare_notice(call, by=by, **fields)


# --- prepare ---------------------------------------------------------------------------------------------------
def test_prepare_saves_a_draft_with_the_end_from_the_calendar_and_audits(shortlisted, secretariat):
    starts = timezone.now() + 3 * DAY

    notice = _prepare(shortlisted[0].call, secretariat, starts_at=starts, working_days=7, title="  公示  ")

    assert (notice.status, notice.title, notice.ends_at) == (NoticeStatus.DRAFT, "公示", notice_end(starts, 7))
    assert _actions(notice) == ["notice.create"]


def test_prepare_is_refused_to_anyone_but_the_secretariat(shortlisted):
    with pytest.raises(PermissionDenied):
        _prepare(shortlisted[0].call, member_of(SocialGroupFactory()))


def test_prepare_twice_for_a_call_is_refused(shortlisted, secretariat):
    _prepare(shortlisted[0].call, secretariat)

    with pytest.raises(services.NoticeRefused, match="already has a public notice"):
        _prepare(shortlisted[0].call, secretariat)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": timezone.now() - DAY}, "starts_at"),
        ({"working_days": 0}, "working_days"),
        ({"working_days": services.MAX_WORKING_DAYS + 1}, "working_days"),
    ],
)
def test_prepare_refuses_a_window_in_the_past_or_out_of_bounds_beside_its_field(
    shortlisted, secretariat, overrides, field
):
    with pytest.raises(services.NoticeRefused) as refused:
        _prepare(shortlisted[0].call, secretariat, **overrides)

    assert list(refused.value.errors) == [field]


# --- update ----------------------------------------------------------------------------------------------------
def test_update_of_a_scheduled_notice_recomputes_its_end_and_keeps_the_call_in_step():
    notice = factories.scheduled_notice(count=1)
    starts = notice.starts_at + 2 * DAY

    updated = services.update_notice(notice, by=notice.created_by, starts_at=starts, working_days=3, title="新标题")

    updated.call.refresh_from_db()
    assert (updated.title, updated.ends_at, updated.call.notice_closes_at) == (
        "新标题",
        notice_end(starts, 3),
        updated.ends_at,
    )
    event = AuditEvent.objects.filter(action="notice.update").get()
    assert event.note == "starts_at, working_days, title"


def test_update_changing_nothing_writes_no_audit_row():
    notice = factories.prepared_notice(count=1)

    services.update_notice(notice, by=notice.created_by, title=notice.title, working_days=notice.working_days)

    assert AuditEvent.objects.filter(action="notice.update").count() == 0


def test_update_after_the_notice_opened_is_refused_with_when_it_opened():
    notice = factories.open_notice(count=1)

    with pytest.raises(services.NoticeRefused, match="can no longer be changed") as refused:
        services.update_notice(notice, by=notice.created_by, title="改")

    assert refused.value.errors == {}
    notice.refresh_from_db()
    assert notice.title == factories.NOTICE_TEXT["title"]


def test_update_of_a_scheduled_notice_whose_start_has_come_is_refused():
    notice = factories.scheduled_notice(count=1)

    with time_machine.travel(notice.starts_at, tick=False), pytest.raises(services.NoticeRefused):
        services.update_notice(notice, by=notice.created_by, title="改")


def test_update_cannot_change_the_status_or_the_end():
    notice = factories.prepared_notice(count=1)

    with pytest.raises(TypeError, match="ends_at, status"):
        services.update_notice(notice, by=notice.created_by, status=NoticeStatus.OPEN, ends_at=timezone.now())


# --- schedule --------------------------------------------------------------------------------------------------
def test_schedule_publishes_the_shortlist_as_version_1_with_its_hash():
    notice = factories.prepared_notice(count=3)

    published = services.schedule_notice(notice, by=notice.created_by)

    notice.refresh_from_db()
    document = lists.document(published)
    assert (notice.status, published.version, published.entry_count) == (NoticeStatus.SCHEDULED, 1, 3)
    assert published.sha256 == hashlib.sha256(bytes(published.content)).hexdigest()
    assert [p["number"] for p in document["projects"]] == [1, 2, 3]
    assert NoticeEntry.objects.filter(notice=notice).count() == 3
    assert notice.call.notice_opens_at == notice.starts_at
    assert _actions(notice) == ["notice.create", "notice.schedule"]


def test_schedule_is_refused_while_an_application_of_the_call_is_under_review():
    secretariat = factories.secretariat_user()
    first, _second, left = admitted_applications(count=3, secretariat=secretariat)
    for application in (first, _second):
        workflow.shortlist(application, by=secretariat)
    notice = _prepare(left.call, secretariat)

    with pytest.raises(services.NoticeRefused, match="1 applications of the call are still under review"):
        services.schedule_notice(notice, by=notice.created_by)

    notice.refresh_from_db()
    assert (notice.status, PublishedList.objects.filter(notice=notice).count()) == (NoticeStatus.DRAFT, 0)


def test_schedule_is_refused_without_a_shortlist(secretariat):
    [application] = admitted_applications(count=1, secretariat=secretariat)
    workflow.not_select(application, by=secretariat)
    notice = _prepare(application.call, secretariat)

    with pytest.raises(services.NoticeRefused, match="no shortlisted application"):
        services.schedule_notice(notice, by=secretariat)


def test_schedule_twice_is_refused():
    notice = factories.scheduled_notice(count=1)

    with pytest.raises(services.NoticeRefused, match="already scheduled"):
        services.schedule_notice(notice, by=notice.created_by)


def test_schedule_after_the_start_has_passed_is_refused():
    notice = factories.prepared_notice(count=1)

    with time_machine.travel(notice.starts_at + DAY, tick=False), pytest.raises(services.NoticeRefused, match="future"):
        services.schedule_notice(notice, by=notice.created_by)


def test_schedule_is_refused_to_anyone_but_the_secretariat():
    notice = factories.prepared_notice(count=1)

    with pytest.raises(PermissionDenied):
        services.schedule_notice(notice, by=member_of(SocialGroupFactory()))


# --- correct ---------------------------------------------------------------------------------------------------
def test_correction_is_a_new_version_and_the_old_one_keeps_its_bytes():
    notice = factories.open_notice(count=2)
    first = lists.current(notice)
    before = (bytes(first.content), first.sha256)
    group = notice.applications.order_by("pk").first().group
    group.name = "中国更名后的协会"
    group.save(update_fields=["name"])

    second = services.correct_list(notice, by=notice.created_by, reason="  申报单位名称有误。 ")

    first.refresh_from_db()
    assert (second.version, second.reason, second.sha256 != first.sha256) == (2, "申报单位名称有误。", True)
    assert (bytes(first.content), first.sha256) == before
    assert hashlib.sha256(bytes(second.content)).hexdigest() == second.sha256
    assert "中国更名后的协会" in bytes(second.content).decode()
    assert "中国更名后的协会" not in before[0].decode()


def test_correction_without_a_change_is_refused():
    notice = factories.scheduled_notice(count=1)

    with pytest.raises(services.NoticeRefused, match="has not changed since version 1"):
        services.correct_list(notice, by=notice.created_by, reason="复核。")


def test_correction_needs_a_reason():
    notice = factories.scheduled_notice(count=1)

    with pytest.raises(services.NoticeRefused) as refused:
        services.correct_list(notice, by=notice.created_by, reason="  ")

    assert list(refused.value.errors) == ["reason"]


def test_correction_of_a_draft_is_refused():
    notice = factories.prepared_notice(count=1)

    with pytest.raises(services.NoticeRefused, match="no published list"):
        services.correct_list(notice, by=notice.created_by, reason="复核。")


def test_published_lists_are_never_changed_by_the_notice_closing():
    notice = factories.open_notice(count=2)
    first = lists.current(notice)
    content = bytes(first.content)
    factories.end_window(notice)

    jobs.close_one(notice.pk, timezone.now())

    first.refresh_from_db()
    assert (bytes(first.content), PublishedList.objects.filter(notice=notice).count()) == (content, 1)
    statuses = set(notice.applications.values_list("status", flat=True))
    assert statuses == {ApplicationStatus.ANNOUNCED}


# --- the end moves with the holidays ---------------------------------------------------------------------------
def test_recompute_end_of_a_draft_follows_the_calendar_either_way():
    notice = factories.prepared_notice(count=1)
    old = notice.ends_at
    last = timezone.localtime(old, timezone.get_default_timezone()).date()
    CalendarDay.objects.update_or_create(date=last, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "测试"})

    later = services.recompute_end(notice)
    CalendarDay.objects.filter(date=last).delete()
    back = services.recompute_end(notice)

    assert (later.old, later.new > old, back.new) == (old, True, old)
