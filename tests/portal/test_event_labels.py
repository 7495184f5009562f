"""Audit events as people read them (issue 10): actions, states and the codes some notes store, as labels.

The stored events keep their codes (the hash chain and the CSV export read them); `label_events` and
`events_for` add the labels, in the active language.
"""

import datetime

import pytest
from django.utils import translation

from portal import audit, services
from portal.models import AuditEvent, CalendarDay
from portal.selectors import events_for, label_events
from portal.workdays import local_zone
from projects.services.applications import save_section
from projects.services.calls import create_call, update_call
from tests.factories import MinistryFactory, SocialGroupFactory, make_application, member_of

pytestmark = pytest.mark.django_db


def _labels(events) -> list[tuple[str, str, str, str]]:
    return [(str(e.action_label), str(e.from_label), str(e.to_label), str(e.note_label)) for e in events]


def _beijing(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=local_zone())


def test_events_for_shows_a_section_key_as_the_sections_title_and_keeps_the_key_stored():
    application = make_application()
    save_section(application=application, by=application.created_by, section="advancement", fields={})

    with translation.override("zh-hans"):
        shown = _labels(events_for(application))[-1]

    stored = AuditEvent.objects.filter(action="application.edit").values_list("note", flat=True).get()
    assert (shown, stored) == (("保存申报书章节", "", "", "标准情况及先进性"), "advancement")


def test_label_events_shows_the_fields_and_dates_of_a_new_call_as_labels():
    secretariat = member_of(MinistryFactory())
    call = create_call(
        by=secretariat,
        year=2027,
        title="2027年团体标准应用示范项目",
        notice_number="工信厅科函〔2027〕1号",
        opens_at=_beijing(2027, 1, 4, 9, 0),
        deadline=_beijing(2027, 2, 26, 17, 0),
        recommendation_deadline=_beijing(2027, 3, 19, 17, 0),
        implementation_cutoff=datetime.date(2027, 2, 26),
    )

    with translation.override("en"):
        [created] = _labels(events_for(call))

    assert created == (
        "Call created",
        "",
        "",
        "submission opens: 2027-01-04 09:00; submission deadline: 2027-02-26 17:00; "
        "recommendation deadline: 2027-03-19 17:00; implementation cut-off: 2027-02-26",
    )


def test_label_events_shows_the_changed_fields_of_a_call_and_keeps_the_reason():
    call = create_call(
        by=None,
        year=2027,
        title="2027年团体标准应用示范项目",
        notice_number="工信厅科函〔2027〕1号",
        opens_at=_beijing(2027, 1, 4, 9, 0),
        deadline=_beijing(2027, 2, 26, 17, 0),
        recommendation_deadline=_beijing(2027, 3, 19, 17, 0),
        implementation_cutoff=datetime.date(2027, 2, 26),
    )
    update_call(call=call, by=None, reason="按通知调整。", deadline=_beijing(2027, 2, 27, 17, 0), default_quota=4)

    with translation.override("zh-hans"):
        changed = _labels(events_for(call))[-1]

    assert changed == ("修改申报批次", "", "", "申报截止时间、每个推荐单位的默认名额\n按通知调整。")


def test_label_events_shows_calendar_kinds_and_an_organisations_renamed_fields():
    day = CalendarDay.objects.create(date=datetime.date(2031, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    services.set_calendar_day(day=day.date, kind=CalendarDay.Kind.WORKDAY, name="调休上班", by=None)
    group = SocialGroupFactory(name="浙江省品牌建设促进会", code="ZZB")
    services.rename_organisation(organisation=group, name="浙江省品牌促进会", code="ZJPP")

    with translation.override("en"):
        shown = _labels(label_events(AuditEvent.objects.filter(action__in=["calendar.set", "organisation.rename"])))

    assert shown == [
        ("Calendar day set", "Holiday (day off)", "Make-up working day (调休)", "调休上班"),
        (
            "Organisation renamed",
            "",
            "",
            "name: 浙江省品牌建设促进会 → 浙江省品牌促进会; short code: ZZB → ZJPP",
        ),
    ]


def test_label_events_says_what_an_export_and_a_verification_covered():
    audit.record(action="audit.export", note="12 events; filter: action=application.submit&q=纺织&page=2")
    audit.record(action="audit.export", note="1 events; filter: -")
    audit.record(action="audit.verified", note="340 events checked")

    with translation.override("en"):
        notes = [event.note_label for event in label_events(AuditEvent.objects.order_by("id"))]

    assert notes == [
        "12 events exported; filter: Action: Submitted; Search: 纺织",
        "1 event exported; filter: none",
        "340 events checked",
    ]


def test_label_events_keeps_a_note_that_is_not_written_as_its_action_says():
    group = SocialGroupFactory()
    audit.record(action="organisation.rename", target=group, note="旧名称改为新名称")
    audit.record(action="call.update", note="notice_text, something_else")
    audit.record(action="custom.thing", note="opens_at")

    with translation.override("en"):
        notes = [event.note_label for event in label_events(AuditEvent.objects.order_by("id"))]

    assert notes == ["旧名称改为新名称", "notice_text, something_else", "opens_at"]


def test_label_events_reads_nothing_from_the_database(django_assert_num_queries):
    application = make_application()
    save_section(application=application, by=application.created_by, section="market", fields={})
    events = list(AuditEvent.objects.filter(action__startswith="application.").select_related("actor"))
    label_events(events)  # the content types are cached from here on

    with django_assert_num_queries(0), translation.override("en"):
        labelled = label_events(events)

    assert [(e.action, str(e.note_label)) for e in labelled] == [
        ("application.create", ""),
        ("application.edit", "Market competitiveness"),
    ]
