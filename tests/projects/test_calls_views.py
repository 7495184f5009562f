"""The call pages: the public list and notice, the secretariat's management, the home page and dashboard."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects.models import Call, CallAttachment, DeadlineExtension, QuotaOverride
from projects.services import calls as services
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
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

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def group():
    return SocialGroupFactory(name="浙江省品牌建设促进会")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def fixed_call():
    """A call in 2026, with round Beijing times."""
    return CallFactory(
        title="2026年团体标准应用示范项目",
        notice_number="工信厅科函〔2026〕88号",
        opens_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING),
        deadline=datetime.datetime(2026, 4, 30, 17, 0, tzinfo=BEIJING),
        implementation_cutoff=datetime.date(2026, 4, 30),
        recommendation_deadline=datetime.datetime(2026, 5, 29, 17, 0, tzinfo=BEIJING),
    )


def _past_call(**fields) -> Call:
    now = timezone.now()
    return CallFactory(
        opens_at=now - 60 * DAY,
        deadline=now - 30 * DAY,
        implementation_cutoff=(now - 30 * DAY).date(),
        recommendation_deadline=now - 10 * DAY,
        **fields,
    )


def _upcoming_call(**fields) -> Call:
    now = timezone.now()
    return CallFactory(
        opens_at=now + 5 * DAY, deadline=now + 30 * DAY, recommendation_deadline=now + 50 * DAY, **fields
    )


def _call_data(**changes) -> dict:
    return {
        "year": "2026",
        "title": "2026年团体标准应用示范项目",
        "notice_number": "工信厅科函〔2026〕88号",
        "notice_text": "请各有关单位按要求组织申报。",
        "opens_at": "2026-03-01T09:00",
        "deadline": "2026-04-30T17:00",
        "implementation_cutoff": "2026-04-30",
        "recommendation_deadline": "2026-05-29T17:00",
        "default_quota": "5",
        "publicity_working_days": "5",
        **changes,
    }


def _submitted(call: Call):
    return submitted_application(call=call)


def _pdf(name: str = "申报书模板.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf("template"), content_type="application/pdf")


def _section(content: str, element_id: str) -> str:
    return content.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


# --- the public list ---------------------------------------------------------------------------------
def test_call_list_puts_open_and_upcoming_calls_before_past_ones(client):
    past = _past_call(title="往年批次")
    upcoming = _upcoming_call(title="下一批次")
    open_call = CallFactory(title="本批次")

    response = client.get(reverse("projects:call_list"))

    entries = response.context["entries"]
    assert [(entry.call, entry.phase.value) for entry in entries] == [
        (open_call, "open"),
        (upcoming, "upcoming"),
        (past, "reviewing"),
    ]
    content = response.content.decode()
    assert content.index("本批次") < content.index("下一批次") < content.index("往年批次")
    assert f'href="{reverse("projects:call_create")}"' not in content


@pytest.mark.parametrize("rows", [1, 20])
def test_call_list_runs_the_same_queries_for_1_and_20_calls(client, django_assert_num_queries, rows):
    CallFactory.create_batch(rows)

    # the count for the paginator, the page of calls
    with django_assert_num_queries(2):
        response = client.get(reverse("projects:call_list"))

    assert len(response.context["entries"]) == rows


def test_call_list_offers_the_secretariat_management_links(client, secretariat):
    call = CallFactory()
    client.force_login(secretariat)

    content = client.get(reverse("projects:call_list")).content.decode()

    assert f'href="{reverse("projects:call_create")}"' in content
    assert f'href="{reverse("projects:call_edit", args=[call.pk])}"' in content
    assert f'href="{reverse("projects:call_extensions", args=[call.pk])}"' in content


# --- the public notice -------------------------------------------------------------------------------
def test_call_detail_shows_anyone_the_notice_in_beijing_time_with_its_attachments(client, fixed_call):
    attachment = services.add_call_attachment(
        call=fixed_call, kind="summary_template", title="附件2 汇总表", file=_pdf(), by=None
    )

    response = client.get(fixed_call.get_absolute_url())

    content = response.content.decode()
    assert ["2026-03-01 09:00" in content, "2026-04-30 17:00" in content, "2026-05-29 17:00" in content] == [
        True,
        True,
        True,
    ]
    assert "implemented on or before 2025-10-30" in content
    assert "请各有关单位按要求组织申报。" in content
    assert f'href="{reverse("projects:call_attachment", args=[fixed_call.pk, attachment.pk])}">附件2 汇总表' in content
    assert 'id="call-management"' not in content
    assert reverse("projects:application_create") not in content


def test_call_detail_shows_the_time_left_of_an_open_call(client):
    call = CallFactory(deadline=timezone.now() + 3 * DAY + datetime.timedelta(hours=1, minutes=5))

    content = client.get(call.get_absolute_url()).content.decode()

    assert "Submission closes" in content
    assert "in 3\xa0days, 1\xa0hour" in content


def test_call_detail_shows_an_applicant_their_groups_extension_and_the_way_in(secretariat, client, applicant, group):
    call = CallFactory()
    until = call.deadline + 2 * DAY
    services.grant_extension(call=call, organisation=group, until=until, reason="系统故障影响上传。", by=secretariat)
    client.force_login(applicant)

    response = client.get(call.get_absolute_url())

    content = response.content.decode()
    assert response.context["own_extensions"] == [DeadlineExtension.objects.get()]
    assert "you may submit until" in content
    assert "系统故障影响上传。" in content
    assert f'href="{reverse("projects:application_create")}?call={call.pk}"' in content


def test_call_detail_hides_a_groups_extension_from_other_groups(secretariat, client, group):
    call = CallFactory()
    services.grant_extension(
        call=call, organisation=group, until=call.deadline + DAY, reason="系统故障", by=secretariat
    )
    client.force_login(member_of(SocialGroupFactory()))

    content = client.get(call.get_absolute_url()).content.decode()

    assert ("系统故障" in content, 'id="own-extension"' in content) == (False, False)


def test_call_detail_lets_an_extended_group_in_after_the_deadline(secretariat, client, applicant, group):
    now = timezone.now()
    call = CallFactory(opens_at=now - 20 * DAY, deadline=now - DAY, implementation_cutoff=(now - DAY).date())
    services.grant_extension(call=call, organisation=group, until=now + DAY, reason="系统故障", by=secretariat)
    other = member_of(SocialGroupFactory())

    client.force_login(applicant)
    extended = client.get(call.get_absolute_url()).content.decode()
    client.force_login(other)
    closed = client.get(call.get_absolute_url()).content.decode()

    start = f"{reverse('projects:application_create')}?call={call.pk}"
    assert (start in extended, start in closed) == (True, False)


def test_call_detail_shows_the_secretariat_counts_quotas_extensions_and_history(client, secretariat):
    call = CallFactory()
    make_application(call=call)
    _submitted(call)
    services.set_quota(
        call=call,
        recommender=ProvincialDepartmentFactory(name="广东省工业和信息化厅"),
        quota=7,
        by=None,
        reason="名额调整",
    )
    client.force_login(secretariat)

    response = client.get(call.get_absolute_url())

    content = response.content.decode()
    # The draft is its group's own until submitted: not counted.
    assert [(row.status.value, row.count) for row in response.context["counts"]] == [("submitted", 1)]
    assert response.context["frozen"] is True
    assert "广东省工业和信息化厅: 7" in content
    assert "Quota set" in _section(content, "call-management")  # the audit action, by its label


# --- creating and editing ----------------------------------------------------------------------------
def test_call_create_reads_the_times_as_beijing_time(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_create"), _call_data())

    call = Call.objects.get()
    assert response["Location"] == call.get_absolute_url()
    assert (call.opens_at, call.deadline) == (
        datetime.datetime(2026, 3, 1, 1, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 4, 30, 9, 0, tzinfo=datetime.UTC),
    )
    assert AuditEvent.objects.for_object(call).get().action == "call.create"


def test_call_create_refuses_dates_out_of_order_and_keeps_what_was_typed(client, secretariat):
    client.force_login(secretariat)
    data = _call_data(recommendation_deadline="2026-04-01T17:00", implementation_cutoff="2026-05-02")

    response = client.post(reverse("projects:call_create"), data)

    content = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "recommendation_deadline": ["The recommendation deadline cannot come before the deadline."],
        "implementation_cutoff": ["The cut-off cannot be after the deadline's date (2026-04-30)."],
    }
    assert ['value="2026-04-01T17:00"' in content, "请各有关单位按要求组织申报。" in content] == [True, True]
    assert Call.objects.count() == 0


def test_call_create_refuses_a_working_day_count_out_of_range(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_create"), _call_data(publicity_working_days="31"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "publicity_working_days": ["The public notice lasts 1 to 30 working days."]
    }


def test_call_create_is_refused_to_an_applicant_and_sends_anonymous_to_log_in(client, applicant):
    anonymous = client.post(reverse("projects:call_create"), _call_data())
    client.force_login(applicant)
    refused = client.post(reverse("projects:call_create"), _call_data())

    assert anonymous.url.startswith(reverse("login"))
    assert refused.status_code == 403
    assert Call.objects.count() == 0


def test_call_edit_shows_the_stored_times_in_beijing_time_in_datetime_inputs(client, secretariat, fixed_call):
    client.force_login(secretariat)

    content = client.get(reverse("projects:call_edit", args=[fixed_call.pk])).content.decode()

    assert 'type="datetime-local" name="opens_at" value="2026-03-01T09:00"' in content
    assert 'name="reason"' not in content


def test_call_edit_of_a_frozen_call_asks_for_a_reason_and_keeps_what_was_typed(client, secretariat):
    call = CallFactory(title="原标题")
    _submitted(call)
    client.force_login(secretariat)
    data = _call_data(
        title="新标题",
        opens_at=timezone.localtime(call.opens_at, BEIJING).strftime("%Y-%m-%dT%H:%M"),
        deadline=timezone.localtime(call.deadline, BEIJING).strftime("%Y-%m-%dT%H:%M"),
        implementation_cutoff=call.implementation_cutoff.isoformat(),
        recommendation_deadline=timezone.localtime(call.recommendation_deadline, BEIJING).strftime("%Y-%m-%dT%H:%M"),
    )

    refused = client.post(reverse("projects:call_edit", args=[call.pk]), data)
    saved = client.post(reverse("projects:call_edit", args=[call.pk]), {**data, "reason": "标题有误。"})

    call.refresh_from_db()
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["reason"]
    assert 'value="新标题"' in refused.content.decode()
    assert 'id="frozen-notice"' in refused.content.decode()
    assert (saved["Location"], call.title) == (call.get_absolute_url(), "新标题")
    note = AuditEvent.objects.for_object(call).filter(action="call.update").values_list("note", flat=True).get()
    assert note.endswith("\n标题有误。")


def test_call_edit_of_a_missing_call_is_404(client, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("projects:call_edit", args=[999999]))

    assert (response.status_code, Call.objects.count()) == (404, 0)


# --- attachments -------------------------------------------------------------------------------------
def test_call_attachment_uploaded_by_the_secretariat_is_downloaded_by_anyone(client, secretariat, fixed_call):
    client.force_login(secretariat)
    upload = client.post(
        reverse("projects:call_attachment_create", args=[fixed_call.pk]),
        {"kind": "application_template", "title": "附件1 申报书", "file": _pdf()},
    )
    attachment = CallAttachment.objects.get()
    client.logout()

    response = client.get(reverse("projects:call_attachment", args=[fixed_call.pk, attachment.pk]))

    assert upload["Location"] == fixed_call.get_absolute_url()
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E9%99%84%E4%BB%B61_%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf" in response["Content-Disposition"]


def test_call_attachment_upload_refuses_a_file_that_is_not_what_it_says(client, secretariat, fixed_call):
    client.force_login(secretariat)
    fake = SimpleUploadedFile("申报书.pdf", b"plain text", content_type="application/pdf")

    response = client.post(
        reverse("projects:call_attachment_create", args=[fixed_call.pk]),
        {"kind": "application_template", "title": "附件1 申报书", "file": fake},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["file"]
    assert 'value="附件1 申报书"' in response.content.decode()
    assert CallAttachment.objects.count() == 0


def test_call_attachment_of_another_call_is_404(client, fixed_call):
    attachment = services.add_call_attachment(call=CallFactory(), kind="other", title="说明", file=_pdf(), by=None)

    response = client.get(reverse("projects:call_attachment", args=[fixed_call.pk, attachment.pk]))

    assert response.status_code == 404


def test_call_attachment_delete_asks_on_get_and_removes_on_post_for_the_secretariat(
    client, secretariat, applicant, fixed_call
):
    # Issue 10: a GET no longer answers 405, it is the page that names the file and asks (tests/projects/
    # test_calls_publication.py has the rest); the POST removes, for the secretariat only, as before.
    attachment = services.add_call_attachment(call=fixed_call, kind="other", title="说明", file=_pdf(), by=None)
    url = reverse("projects:call_attachment_delete", args=[fixed_call.pk, attachment.pk])
    client.force_login(applicant)
    refused = client.post(url)
    client.force_login(secretariat)
    by_get = client.get(url)
    kept = CallAttachment.objects.count()

    deleted = client.post(url)

    assert (refused.status_code, by_get.templates[0].name, kept) == (403, "projects/call_attachment_delete.html", 1)
    assert (deleted["Location"], CallAttachment.objects.count()) == (fixed_call.get_absolute_url(), 0)


# --- quotas and extensions ---------------------------------------------------------------------------
def test_call_quotas_page_sets_changes_and_removes_a_quota(client, secretariat):
    call = CallFactory(default_quota=3)
    department = ProvincialDepartmentFactory()
    client.force_login(secretariat)
    url = reverse("projects:call_quotas", args=[call.pk])

    client.post(url, {"recommender": department.pk, "quota": "6"})
    page = client.get(url)
    client.post(url, {"recommender": department.pk, "quota": "8"})
    changed = list(QuotaOverride.objects.values_list("quota", flat=True))
    removed = client.post(url, {"recommender": department.pk, "quota": ""})

    assert department.name in _section(page.content.decode(), "quota-overrides").split("</table>")[0]
    assert (changed, QuotaOverride.objects.count(), removed["Location"]) == ([8], 0, url)


def test_call_quotas_of_a_frozen_call_refused_without_reason(client, secretariat):
    call = CallFactory()
    _submitted(call)
    department = ProvincialDepartmentFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("projects:call_quotas", args=[call.pk]), {"recommender": department.pk, "quota": "6"}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert QuotaOverride.objects.count() == 0


def test_call_quotas_page_is_refused_to_a_recommender(client):
    call = CallFactory()
    client.force_login(member_of(ProvincialDepartmentFactory()))

    response = client.post(
        reverse("projects:call_quotas", args=[call.pk]), {"recommender": ProvincialDepartmentFactory().pk, "quota": "9"}
    )

    assert (response.status_code, QuotaOverride.objects.count()) == (403, 0)


def test_call_extensions_page_grants_and_then_offers_to_change(client, secretariat, group):
    call = CallFactory()
    client.force_login(secretariat)
    url = reverse("projects:call_extensions", args=[call.pk])
    until = timezone.localtime(call.deadline + DAY, BEIJING)

    granted = client.post(
        url, {"organisation": group.pk, "until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "系统故障"}
    )
    change = client.get(url, {"organisation": group.pk})

    extension = DeadlineExtension.objects.get()
    assert (granted["Location"], extension.organisation, extension.reason) == (url, group, "系统故障")
    assert extension.until == until.replace(second=0, microsecond=0)
    content = change.content.decode()
    assert f'value="{until:%Y-%m-%dT%H:%M}"' in content
    assert "浙江省品牌建设促进会" in _section(content, "extension-list").split("</table>")[0]


def test_call_extensions_page_refuses_a_date_before_the_deadline_and_keeps_the_reason(client, secretariat, group):
    call = CallFactory()
    client.force_login(secretariat)
    too_early = timezone.localtime(call.deadline - DAY, BEIJING).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("projects:call_extensions", args=[call.pk]),
        {"organisation": group.pk, "until": too_early, "reason": "系统故障影响上传"},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["until"]
    assert "系统故障影响上传" in response.content.decode()
    assert DeadlineExtension.objects.count() == 0


# --- home page and dashboard -------------------------------------------------------------------------
def test_home_lists_open_calls_with_the_time_left_and_nothing_else(client):
    CallFactory(title="本批次", deadline=timezone.now() + 5 * DAY + datetime.timedelta(hours=3, minutes=5))
    _past_call(title="往年批次")
    _upcoming_call(title="下一批次")

    response = client.get(reverse("portal:home"))

    section = _section(response.content.decode(), "open-calls")
    assert ("本批次" in section, "往年批次" in section, "下一批次" in section) == (True, False, False)
    assert "5\xa0days, 3\xa0hours left" in section


@pytest.mark.parametrize("rows", [1, 20])
def test_home_lists_open_calls_in_one_query(client, django_assert_num_queries, rows):
    CallFactory.create_batch(rows)

    # The open calls; the open notices and the latest announced projects (one each, tests/publicity).
    with django_assert_num_queries(3):
        response = client.get(reverse("portal:home"))

    assert len(response.context["open_calls"]) == rows


def test_dashboard_lists_open_calls_with_the_groups_own_extension(secretariat, client, applicant, group):
    now = timezone.now()
    extended = CallFactory(
        title="延期批次", opens_at=now - 20 * DAY, deadline=now - DAY, implementation_cutoff=(now - DAY).date()
    )
    services.grant_extension(call=extended, organisation=group, until=now + 2 * DAY, reason="系统故障", by=secretariat)
    open_call = CallFactory(title="本批次")
    services.grant_extension(
        call=open_call,
        organisation=SocialGroupFactory(name="别的协会"),
        until=open_call.deadline + DAY,
        reason="x",
        by=secretariat,
    )
    client.force_login(applicant)

    response = client.get(reverse("portal:dashboard"))

    section = _section(response.content.decode(), "role-applicant")
    assert [entry.call for entry in response.context["open_calls"]] == [extended, open_call]
    assert section.count("The secretariat has extended the deadline for 浙江省品牌建设促进会") == 1
    assert "别的协会" not in section
    assert f'href="{reverse("projects:application_create")}?call={open_call.pk}"' in section


@pytest.mark.parametrize("rows", [1, 20])
def test_dashboard_lists_open_calls_in_two_queries(client, django_assert_num_queries, applicant, group, rows):
    for call in CallFactory.create_batch(rows):
        DeadlineExtension.objects.create(
            call=call, organisation=group, until=call.deadline + DAY, reason="系统故障", granted_by=applicant
        )
    client.force_login(applicant)

    # user, memberships, expert register, organisations; the open calls, their extensions for the group; the
    # applications waiting for the applicant and their memberships; the person's registration requests; the
    # unread notifications' count (navigation); the group's summary tables in the open calls (one, issue 10); the
    # questions about objections forwarded to the group (issue 13)
    with django_assert_num_queries(12):
        response = client.get(reverse("portal:dashboard"))

    assert [len(entry.extensions) for entry in response.context["open_calls"]] == [1] * rows


def test_dashboard_links_the_secretariat_to_the_calls(client, secretariat):
    client.force_login(secretariat)

    section = _section(client.get(reverse("portal:dashboard")).content.decode(), "role-secretariat")

    assert f'href="{reverse("projects:call_list")}"' in section
    assert f'href="{reverse("projects:call_create")}"' in section


def test_seeded_call_templates_download(client):
    call = seed_demo_call()
    summary = call.attachments.get(kind="summary_template")

    response = client.get(reverse("projects:call_attachment", args=[call.pk, summary.pk]))

    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- admin ---------------------------------------------------------------------------------------------
def test_admin_shows_calls_and_applications_but_edits_neither(client):
    call = CallFactory(title="管理后台批次")
    application = make_application(call=call)
    services.add_call_attachment(call=call, kind="other", title="附件说明", file=_pdf(), by=None)
    services.grant_extension(
        call=call,
        organisation=application.group,
        until=call.deadline + DAY,
        reason="系统故障",
        by=application.created_by,
    )
    services.set_quota(call=call, recommender=ProvincialDepartmentFactory(), quota=9, by=None)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    call_page = client.get(reverse("admin:projects_call_change", args=[call.pk]))
    application_page = client.get(reverse("admin:projects_application_change", args=[application.pk]))
    add_page = client.get(reverse("admin:projects_call_add"))

    assert ["管理后台批次" in call_page.content.decode(), "附件说明" in call_page.content.decode()] == [True, True]
    assert 'name="status"' not in application_page.content.decode()
    assert (call_page.status_code, application_page.status_code, add_page.status_code) == (200, 200, 403)


def test_call_create_refuses_a_public_notice_before_the_recommendation_deadline(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_create"), _call_data(publicity_opens_on="2026-05-01"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "publicity_opens_on": ["The public notice opens after the recommendation deadline's date (2026-05-29)."]
    }
    assert 'value="2026-05-01"' in response.content.decode()


def test_call_detail_shows_the_public_notice_window(client, secretariat):
    call = CallFactory(publicity_opens_on=datetime.date(2099, 9, 30), publicity_working_days=5)
    client.force_login(secretariat)

    response = client.get(call.get_absolute_url())

    window = call.publicity_window()
    assert response.context["publicity_window"] == window
    assert 'id="publicity-window"' in response.content.decode()
