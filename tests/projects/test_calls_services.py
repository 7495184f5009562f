"""Writes on calls: dates in order, the freeze of the rules, quotas, extensions, attachments, the demo call."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects import workflow
from projects.models import Call, CallAttachment, DeadlineExtension, QuotaOverride
from projects.selectors.calls import application_counts, is_frozen, open_calls
from projects.services import calls as services
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
from tests.factories import (
    CallFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def _fields(**changes) -> dict:
    return {
        "year": 2026,
        "title": "2026年团体标准应用示范项目",
        "notice_number": "工信厅科函〔2026〕88号",
        "notice_text": "请各有关单位按要求组织申报。",
        "opens_at": datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING),
        "deadline": datetime.datetime(2026, 4, 30, 17, 0, tzinfo=BEIJING),
        "implementation_cutoff": datetime.date(2026, 4, 30),
        "recommendation_deadline": datetime.datetime(2026, 5, 29, 17, 0, tzinfo=BEIJING),
        "default_quota": 5,
        "publicity_working_days": 5,
        **changes,
    }


def _events(call: Call, action: str) -> list[tuple[str, int | None]]:
    return list(AuditEvent.objects.for_object(call).filter(action=action).values_list("note", "actor"))


def _submitted(call: Call):
    return submitted_application(call=call)


def _zip_bytes(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


# --- create_call and update_call ---------------------------------------------------------------
def test_create_call_saves_and_audits_with_the_dates_in_beijing_time(secretariat):
    call = services.create_call(by=secretariat, **_fields())

    assert Call.objects.get() == call
    assert _events(call, "call.create") == [
        (
            "opens_at 2026-03-01 09:00, deadline 2026-04-30 17:00, recommendation_deadline 2026-05-29 17:00, "
            "implementation_cutoff 2026-04-30",
            secretariat.pk,
        )
    ]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {
                "deadline": datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING),
                "implementation_cutoff": datetime.date(2026, 3, 1),
            },
            {"deadline": ["The deadline must come after the opening."]},
        ),
        (
            {"recommendation_deadline": datetime.datetime(2026, 4, 30, 16, 59, tzinfo=BEIJING)},
            {"recommendation_deadline": ["The recommendation deadline cannot come before the deadline."]},
        ),
        (
            {"implementation_cutoff": datetime.date(2026, 5, 1)},
            {"implementation_cutoff": ["The cut-off cannot be after the deadline's date (2026-04-30)."]},
        ),
        ({"default_quota": 0}, {"default_quota": ["The quota is at least 1."]}),
        ({"publicity_working_days": 31}, {"publicity_working_days": ["The public notice lasts 1 to 30 working days."]}),
        (
            {"publicity_opens_on": datetime.date(2026, 5, 29)},
            {"publicity_opens_on": ["The public notice opens after the recommendation deadline's date (2026-05-29)."]},
        ),
    ],
)
def test_create_call_refuses_fields_out_of_order_or_range(secretariat, changes, errors):
    with pytest.raises(ValidationError) as raised:
        services.create_call(by=secretariat, **_fields(**changes))

    assert raised.value.message_dict == errors
    assert (Call.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_create_call_compares_the_cutoff_with_the_deadlines_date_in_beijing(secretariat):
    # 00:30 on 1 June in Beijing is still 31 May in UTC: the cut-off of 1 June is the deadline's own date.
    deadline = datetime.datetime(2026, 6, 1, 0, 30, tzinfo=BEIJING)

    fields = _fields(
        deadline=deadline,
        implementation_cutoff=deadline.date(),
        recommendation_deadline=deadline + datetime.timedelta(30),
    )

    call = services.create_call(by=secretariat, **fields)

    assert call.implementation_cutoff == datetime.date(2026, 6, 1)


def test_update_call_before_any_submission_needs_no_reason(secretariat):
    call = CallFactory(title="旧标题")
    make_application(call=call)  # a draft does not freeze the call

    changed = services.update_call(call=call, by=secretariat, title="新标题", default_quota=4)

    call.refresh_from_db()
    assert (changed, call.title, call.default_quota) == (["title", "default_quota"], "新标题", 4)
    assert _events(call, "call.update") == [("title, default_quota", secretariat.pk)]


def test_update_call_with_nothing_changed_writes_nothing(secretariat):
    call = CallFactory()

    changed = services.update_call(call=call, by=secretariat, title=call.title)

    assert (changed, AuditEvent.objects.filter(action="call.update").count()) == ([], 0)


def test_update_call_refuses_a_rule_change_of_a_frozen_call_without_reason(secretariat):
    call = CallFactory(default_quota=3)
    _submitted(call)

    with pytest.raises(ValidationError) as raised:
        services.update_call(call=call, by=secretariat, default_quota=2)

    call.refresh_from_db()
    assert list(raised.value.message_dict) == ["reason"]
    assert "default quota per recommender" in raised.value.message_dict["reason"][0]
    assert (call.default_quota, _events(call, "call.update")) == (3, [])


def test_update_call_records_the_reason_for_a_rule_change_of_a_frozen_call(secretariat):
    call = CallFactory(default_quota=3)
    _submitted(call)

    services.update_call(call=call, by=secretariat, reason="部分省份申报量大，调整名额。", default_quota=4)

    call.refresh_from_db()
    assert call.default_quota == 4
    assert _events(call, "call.update") == [("default_quota\n部分省份申报量大，调整名额。", secretariat.pk)]


def test_update_call_moves_the_dates_of_a_frozen_call_without_reason(secretariat):
    call = CallFactory()
    _submitted(call)
    later = call.deadline + datetime.timedelta(days=2)

    changed = services.update_call(call=call, by=secretariat, deadline=later)

    call.refresh_from_db()
    assert (changed, call.deadline) == (["deadline"], later)


def test_update_call_checks_the_dates_of_the_result(secretariat):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.update_call(call=call, by=secretariat, deadline=call.recommendation_deadline + datetime.timedelta(1))

    assert list(raised.value.message_dict) == ["recommendation_deadline"]


def test_update_call_refuses_an_unknown_field(secretariat):
    with pytest.raises(TypeError):
        services.update_call(call=CallFactory(), by=secretariat, status="open")


def test_is_frozen_is_derived_from_submissions_and_survives_a_withdrawal():
    call = CallFactory()
    draft = make_application(call=call)
    before = is_frozen(call)
    submitted = _submitted(call)
    workflow.withdraw(submitted, by=submitted.created_by, reason="材料需要重新整理。")

    assert (before, is_frozen(call), is_frozen(CallFactory()), draft.submission_count) == (False, True, False, 0)


def test_application_counts_lists_each_status_in_lifecycle_order():
    call = CallFactory()
    withdrawn = _submitted(call)
    workflow.withdraw(withdrawn, by=withdrawn.created_by, reason="材料需要重新整理。")
    _submitted(call)
    _submitted(call)
    _submitted(CallFactory())

    counts = [(row.status.value, row.count) for row in application_counts(call)]

    assert counts == [("submitted", 2), ("withdrawn", 1)]


def test_application_counts_leave_out_drafts_never_submitted():
    call = CallFactory()
    make_application(call=call)
    withdrawn_draft = make_application(call=call)
    workflow.withdraw(withdrawn_draft, by=withdrawn_draft.created_by, reason="暂不申报。")

    assert application_counts(call) == []


# --- quotas ----------------------------------------------------------------------------------------
def test_set_quota_adds_changes_and_removes_an_override(secretariat):
    call = CallFactory(default_quota=3)
    department = ProvincialDepartmentFactory(name="浙江省经济和信息化厅")

    services.set_quota(call=call, recommender=department, quota=6, by=secretariat)
    services.set_quota(call=call, recommender=department, quota=4, by=secretariat)
    after_change = list(QuotaOverride.objects.values_list("recommender", "quota"))
    services.set_quota(call=call, recommender=department, quota=None, by=secretariat)

    assert (after_change, QuotaOverride.objects.count()) == ([(department.pk, 4)], 0)
    assert [note for note, _actor in _events(call, "call.quota")] == [
        "浙江省经济和信息化厅: 3 → 6",
        "浙江省经济和信息化厅: 6 → 4",
        "浙江省经济和信息化厅: 4 → 3",
    ]


def test_set_quota_for_an_industry_delegate(secretariat):
    call = CallFactory()
    delegate = IndustryDelegateFactory()

    override = services.set_quota(call=call, recommender=delegate, quota=8, by=secretariat)

    assert (override.recommender, override.quota) == (delegate, 8)


def test_set_quota_refuses_a_social_group(secretariat):
    with pytest.raises(ValidationError) as raised:
        services.set_quota(call=CallFactory(), recommender=SocialGroupFactory(), quota=2, by=secretariat)

    assert list(raised.value.message_dict) == ["recommender"]
    assert QuotaOverride.objects.count() == 0


def test_set_quota_of_a_frozen_call_needs_a_reason(secretariat):
    call = CallFactory()
    _submitted(call)
    department = ProvincialDepartmentFactory()

    with pytest.raises(ValidationError) as raised:
        services.set_quota(call=call, recommender=department, quota=6, by=secretariat)
    services.set_quota(call=call, recommender=department, quota=6, by=secretariat, reason="经部领导同意。")

    assert list(raised.value.message_dict) == ["reason"]
    assert [note for note, _actor in _events(call, "call.quota")] == [f"{department.name}: 3 → 6\n经部领导同意。"]


# --- extensions ------------------------------------------------------------------------------------
def test_grant_extension_records_the_group_the_date_and_the_reason(secretariat):
    call = CallFactory(
        opens_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING),
        deadline=datetime.datetime(2026, 4, 30, 17, 0, tzinfo=BEIJING),
        implementation_cutoff=datetime.date(2026, 4, 30),
        recommendation_deadline=datetime.datetime(2026, 5, 29, 17, 0, tzinfo=BEIJING),
    )
    group = SocialGroupFactory(name="浙江省品牌建设促进会")
    until = datetime.datetime(2026, 5, 6, 17, 0, tzinfo=BEIJING)

    extension = services.grant_extension(call=call, organisation=group, until=until, reason="系统故障", by=secretariat)

    assert (extension.until, extension.reason, extension.granted_by) == (until, "系统故障", secretariat)
    assert _events(call, "call.extension") == [("浙江省品牌建设促进会: 2026-05-06 17:00\n系统故障", secretariat.pk)]


def test_grant_extension_again_changes_the_groups_one_extension(secretariat):
    call = CallFactory()
    group = SocialGroupFactory()
    first = call.deadline + datetime.timedelta(days=1)
    second = call.deadline + datetime.timedelta(days=2)

    services.grant_extension(call=call, organisation=group, until=first, reason="系统故障", by=secretariat)
    services.grant_extension(call=call, organisation=group, until=second, reason="再延两天", by=secretariat)

    assert list(DeadlineExtension.objects.values_list("until", "reason")) == [(second, "再延两天")]
    notes = [note for note, _actor in _events(call, "call.extension")]
    assert notes[1].startswith(f"{group.name}: {services.beijing(first)} → {services.beijing(second)}")


@pytest.mark.parametrize(
    ("until_after_deadline", "reason", "field"),
    [
        (datetime.timedelta(0), "系统故障", "until"),
        (datetime.timedelta(days=30), "系统故障", "until"),  # past the recommendation deadline (20 days on)
        (datetime.timedelta(days=1), "  ", "reason"),
    ],
)
def test_grant_extension_refuses_a_bad_date_or_no_reason(secretariat, until_after_deadline, reason, field):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.grant_extension(
            call=call,
            organisation=SocialGroupFactory(),
            until=call.deadline + until_after_deadline,
            reason=reason,
            by=secretariat,
        )

    assert list(raised.value.message_dict) == [field]
    assert (DeadlineExtension.objects.count(), _events(call, "call.extension")) == (0, [])


def test_grant_extension_refuses_an_organisation_that_does_not_apply(secretariat):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.grant_extension(
            call=call,
            organisation=ProvincialDepartmentFactory(),
            until=call.deadline + datetime.timedelta(days=1),
            reason="系统故障",
            by=secretariat,
        )

    assert list(raised.value.message_dict) == ["organisation"]


# --- attachments -----------------------------------------------------------------------------------
def test_add_call_attachment_stores_a_pdf_under_a_random_name(secretariat):
    call = CallFactory()

    attachment = services.add_call_attachment(
        call=call,
        kind=CallAttachment.Kind.APPLICATION_TEMPLATE,
        title="附件1 申报书",
        file=ContentFile(minimal_pdf("template"), name="../../申报书.pdf"),
        by=secretariat,
    )

    assert attachment.file.name.startswith(f"calls/{call.pk}/")
    assert "申报书" not in attachment.file.name
    assert services.download_name(attachment) == "附件1_申报书.pdf"
    assert _events(call, "call.attachment_add") == [("附件1 申报书", secretariat.pk)]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("汇总表.xlsx", "xl/workbook.xml", "XLSX"),
        ("申报书.docx", "word/document.xml", "DOCX"),
        ("a.ofd", "OFD.xml", "OFD"),
    ],
)
def test_add_call_attachment_accepts_office_and_ofd_files_by_content(secretariat, name, content, kind):
    attachment = services.add_call_attachment(
        call=CallFactory(),
        kind=CallAttachment.Kind.SUMMARY_TEMPLATE,
        title="模板",
        file=ContentFile(_zip_bytes(content), name=name),
        by=secretariat,
    )

    assert attachment.file.name.endswith("." + kind.lower())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申报书.pdf", b"just some text, not a PDF"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),  # an image is not a template
        ("tool.exe", b"MZ\x90\x00"),
    ],
)
def test_add_call_attachment_refuses_other_content(secretariat, name, content):
    call = CallFactory()

    with pytest.raises(ValidationError) as raised:
        services.add_call_attachment(
            call=call, kind="other", title="附件", file=ContentFile(content, name=name), by=secretariat
        )

    assert list(raised.value.message_dict) == ["file"]
    assert (CallAttachment.objects.count(), _events(call, "call.attachment_add")) == (0, [])


def test_delete_call_attachment_removes_the_file_after_commit(secretariat, django_capture_on_commit_callbacks):
    call = CallFactory()
    attachment = services.add_call_attachment(
        call=call, kind="other", title="说明", file=ContentFile(minimal_pdf("x"), name="x.pdf"), by=secretariat
    )
    name = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_call_attachment(attachment=attachment, by=secretariat)

    assert (CallAttachment.objects.count(), default_storage.exists(name)) == (0, False)
    assert _events(call, "call.attachment_delete") == [("说明", secretariat.pk)]


# --- the demo call ---------------------------------------------------------------------------------
def test_seed_demo_call_is_open_now_with_its_templates_and_idempotent():
    first = seed_demo_call()
    second = seed_demo_call()

    now = timezone.now()
    year = now.astimezone(BEIJING).year
    assert (first, Call.objects.count()) == (second, 1)
    assert (first.notice_number, first.title) == (f"工信厅科函〔{year}〕88号", f"{year}年团体标准应用示范项目")
    assert first.implementation_cutoff == first.deadline.astimezone(BEIJING).date()
    assert first.opens_at < now < first.deadline < first.recommendation_deadline
    assert [entry.call for entry in open_calls(now)] == [first]
    assert sorted(first.attachments.values_list("kind", flat=True)) == ["application_template", "summary_template"]
    assert "申报" in first.notice_text


def test_update_call_schedules_the_public_notice_without_a_reason_once_frozen(secretariat):
    call = CallFactory()
    _submitted(call)
    opens_on = (call.recommendation_deadline + datetime.timedelta(days=20)).date()

    changed = services.update_call(call=call, by=secretariat, publicity_opens_on=opens_on)

    call.refresh_from_db()
    assert (changed, call.publicity_opens_on) == (["publicity_opens_on"], opens_on)
