"""The notice pages: the secretariat's preparing, editing, scheduling and correcting; the public's /publicity/."""

import datetime
import hashlib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from projects import workflow
from publicity import jobs, lists
from publicity.models import Notice, NoticeStatus
from publicity.services import notices as services
from publicity.windows import notice_end
from tests.factories import CallFactory, SocialGroupFactory, admitted_applications, member_of
from tests.publicity import factories

pytestmark = pytest.mark.django_db
BEIJING_FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def secretariat():
    return factories.secretariat_user()


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def _typed(call_start: datetime.datetime, **overrides) -> dict:
    start = timezone.localtime(call_start, timezone.get_default_timezone()).strftime(BEIJING_FORMAT)
    return {**factories.NOTICE_TEXT, "starts_at": start, "working_days": "5", **overrides}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- preparing -------------------------------------------------------------------------------------------------
def test_prepare_form_offers_the_calls_working_days(staff, secretariat):
    [application] = factories.shortlisted_applications(count=1, secretariat=secretariat)
    application.call.__class__.objects.filter(pk=application.call_id).update(publicity_working_days=7)

    response = staff.get(reverse("publicity:notice_prepare", kwargs={"pk": application.call_id}))

    assert (response.status_code, response.context["form"]["working_days"].value()) == (200, 7)


def test_prepare_preview_shows_the_end_and_the_list_and_saves_nothing(staff, secretariat):
    applications = factories.shortlisted_applications(count=2, secretariat=secretariat)
    call = applications[0].call
    starts = timezone.now() + datetime.timedelta(days=2)

    response = staff.post(
        reverse("publicity:notice_prepare", kwargs={"pk": call.pk}), {**_typed(starts), "preview": "1"}
    )

    preview = response.context["preview"]
    assert (response.status_code, Notice.objects.filter(call=call).exists()) == (200, False)
    assert preview.ends_at == notice_end(response.context["form"].cleaned_data["starts_at"], 5)
    assert [p["standards"][0]["number"] for p in preview.projects] == sorted(
        a.standard.display_number for a in applications
    )
    assert timezone.localtime(preview.ends_at).strftime("%Y-%m-%d %H:%M") in _text(response)
    assert response.context["form"]["title"].value() == factories.NOTICE_TEXT["title"]


def test_prepare_saves_a_draft_and_its_page_shows_what_scheduling_would_publish(staff, secretariat):
    [application] = factories.shortlisted_applications(count=1, secretariat=secretariat)
    starts = timezone.now() + datetime.timedelta(days=2)

    response = staff.post(reverse("publicity:notice_prepare", kwargs={"pk": application.call_id}), _typed(starts))

    notice = Notice.objects.get(call=application.call)
    assert (response.status_code, response["Location"], notice.status) == (302, notice.get_absolute_url(), "draft")
    page = staff.get(notice.get_absolute_url())
    assert page.context["preview"].projects[0]["group"] == application.group.name
    assert 'id="schedule-notice"' in page.content.decode()


def test_prepare_refused_keeps_what_was_typed_and_says_why(staff, secretariat):
    [application] = factories.shortlisted_applications(count=1, secretariat=secretariat)
    past = timezone.now() - datetime.timedelta(days=1)

    response = staff.post(
        reverse("publicity:notice_prepare", kwargs={"pk": application.call_id}), _typed(past, body="保留我写的正文。")
    )

    assert (response.status_code, Notice.objects.count()) == (400, 0)
    assert response.context["form"]["body"].value() == "保留我写的正文。"
    assert response.context["form"].errors["starts_at"] == ["The notice must open in the future."]


def test_prepare_for_a_call_that_has_a_notice_goes_to_the_notice(staff, secretariat):
    notice = factories.prepared_notice(count=1, secretariat=secretariat)

    response = staff.get(reverse("publicity:notice_prepare", kwargs={"pk": notice.call_id}))

    assert (response.status_code, response["Location"]) == (302, notice.get_absolute_url())


def test_prepare_is_refused_to_a_group(client):
    call = CallFactory()
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(reverse("publicity:notice_prepare", kwargs={"pk": call.pk}))

    assert (response.status_code, Notice.objects.count()) == (403, 0)


# --- editing and scheduling ------------------------------------------------------------------------------------
def test_edit_saves_the_change_before_the_notice_opens(staff):
    notice = factories.scheduled_notice(count=1)

    response = staff.post(
        reverse("publicity:notice_edit", kwargs={"pk": notice.pk}), _typed(notice.starts_at, contact="新联系人")
    )

    notice.refresh_from_db()
    assert (response.status_code, notice.contact) == (302, "新联系人")


def test_edit_after_the_notice_opened_is_409_with_the_reason(staff):
    notice = factories.open_notice(count=1)

    response = staff.get(reverse("publicity:notice_edit", kwargs={"pk": notice.pk}))

    assert response.status_code == 409
    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith("it can no longer be changed.")


def test_schedule_refused_while_applications_are_under_review_says_so(staff, secretariat):
    first, _left = admitted_applications(count=2, secretariat=secretariat)
    workflow.shortlist(first, by=secretariat)
    notice = factories.prepared_notice_of(first.call, by=secretariat)

    response = staff.post(reverse("publicity:notice_schedule", kwargs={"pk": notice.pk}))

    notice.refresh_from_db()
    assert (response.status_code, notice.status) == (409, NoticeStatus.DRAFT)
    assert [str(m) for m in response.context["messages"]] == [
        "1 applications of the call are still under review: decide the shortlist first."
    ]


def test_schedule_publishes_version_1_and_says_when_it_opens(staff, secretariat):
    notice = factories.prepared_notice(count=2, secretariat=secretariat)

    response = staff.post(reverse("publicity:notice_schedule", kwargs={"pk": notice.pk}), follow=True)

    notice.refresh_from_db()
    assert (notice.status, response.context["published"].version) == (NoticeStatus.SCHEDULED, 1)
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("The notice is scheduled with 2 projects")


def test_schedule_is_post_only(staff):
    notice = factories.prepared_notice(count=1)

    assert staff.get(reverse("publicity:notice_schedule", kwargs={"pk": notice.pk})).status_code == 405


# --- correcting ------------------------------------------------------------------------------------------------
def test_correct_publishes_the_next_version_and_both_are_listed(staff):
    notice = factories.open_notice(count=1)
    group = notice.applications.get().group
    group.name = "更正后的协会名称"
    group.save(update_fields=["name"])

    response = staff.post(reverse("publicity:notice_correct", kwargs={"pk": notice.pk}), {"reason": "名称更正。"})

    page = staff.get(notice.get_absolute_url())
    assert response.status_code == 302
    assert [v.version for v in page.context["versions"]] == [2, 1]
    assert (page.context["published"].version, page.context["projects"][0]["group"]) == (2, "更正后的协会名称")
    assert "名称更正。" in page.content.decode()


def test_correct_without_a_change_is_refused_on_the_form(staff):
    notice = factories.scheduled_notice(count=1)

    response = staff.post(reverse("publicity:notice_correct", kwargs={"pk": notice.pk}), {"reason": "复核。"})

    assert (response.status_code, response.context["form"]["reason"].value()) == (409, "复核。")
    assert response.context["form"].non_field_errors() == ["The list has not changed since version 1."]


def test_correct_of_a_draft_is_409(staff):
    notice = factories.prepared_notice(count=1)

    assert staff.get(reverse("publicity:notice_correct", kwargs={"pk": notice.pk})).status_code == 409


# --- the public pages ------------------------------------------------------------------------------------------
def test_list_shows_open_notices_first_then_closed_newest_first_and_hides_the_unpublished(staff):
    closed_old = factories.closed_notice(count=1)
    closed_new = factories.closed_notice(count=1)
    Notice.objects.filter(pk=closed_new.pk).update(starts_at=closed_old.starts_at + datetime.timedelta(hours=1))
    opened = factories.open_notice(count=2)
    scheduled = factories.scheduled_notice(count=1)

    public = Client().get(reverse("publicity:notice_list"))
    shown = staff.get(reverse("publicity:notice_list"))

    assert [n.pk for n in public.context["page_obj"]] == [opened.pk, closed_new.pk, closed_old.pk]
    assert [n.pk for n in shown.context["page_obj"]] == [opened.pk, scheduled.pk, closed_new.pk, closed_old.pk]
    assert [n.project_count for n in public.context["page_obj"]] == [2, 1, 1]
    label = str(NoticeStatus.SCHEDULED.label)
    assert (label in shown.content.decode(), label in public.content.decode()) == (True, False)


@pytest.mark.parametrize("make", [factories.prepared_notice, factories.scheduled_notice])
def test_an_unopened_notice_is_404_to_all_but_the_secretariat(client, staff, make):
    notice = make(count=1)
    group = Client()
    group.force_login(member_of(SocialGroupFactory()))

    statuses = [c.get(notice.get_absolute_url()).status_code for c in (Client(), group, staff)]

    assert statuses == [404, 404, 200]


def test_notice_page_shows_the_stored_list_not_what_the_projects_say_now(client):
    notice = factories.open_notice(count=1)
    group = notice.applications.get().group
    published_name = group.name
    group.name = "后来改名的协会"
    group.save(update_fields=["name"])

    page = client.get(notice.get_absolute_url()).content.decode()

    assert (published_name in page, "后来改名的协会" in page) == (True, False)


def test_open_notice_links_each_project_to_an_objection_and_a_closed_one_does_not(client):
    opened = factories.open_notice(count=2)
    closed = factories.closed_notice(count=1)
    objection = reverse("publicity:objection_create", kwargs={"pk": opened.pk})

    open_page, closed_page = client.get(opened.get_absolute_url()), client.get(closed.get_absolute_url())

    assert re.findall(rf'href="{objection}\?project=(\d+)"', open_page.content.decode()) == ["1", "2"]
    assert "?project=" not in closed_page.content.decode()


def test_download_is_the_exact_bytes_whose_sha256_the_page_shows(client):
    notice = factories.open_notice(count=2)
    page = client.get(notice.get_absolute_url()).content.decode()
    shown = re.search(r'id="notice-sha256">([0-9a-f]{64})<', page).group(1)

    response = client.get(reverse("publicity:notice_list_download", kwargs={"pk": notice.pk, "version": 1}))

    assert hashlib.sha256(response.content).hexdigest() == shown
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="notice-{notice.pk}-list-v1.json"'
    assert "sha256sum" in page


def test_an_old_version_still_downloads_the_same_bytes_after_a_correction(client):
    notice = factories.open_notice(count=1)
    url = reverse("publicity:notice_list_download", kwargs={"pk": notice.pk, "version": 1})
    before = client.get(url).content
    group = notice.applications.get().group
    group.name = "更正"
    group.save(update_fields=["name"])
    services.correct_list(notice, by=notice.created_by, reason="更正。")

    after = client.get(url).content
    second = client.get(reverse("publicity:notice_list_download", kwargs={"pk": notice.pk, "version": 2})).content

    assert (after, hashlib.sha256(second).hexdigest()) == (before, lists.current(notice).sha256)


@pytest.mark.parametrize("version", [2, 32768, 99999999999999999999])
def test_download_of_a_version_that_does_not_exist_is_404(client, version):
    notice = factories.open_notice(count=1)

    assert client.get(f"/publicity/{notice.pk}/list/v{version}.json").status_code == 404


def test_anonymous_page_from_the_cache_shows_the_close_at_once(client):
    notice = factories.open_notice(count=1)
    assert client.get(notice.get_absolute_url()).context["is_open"] is True
    factories.end_window(notice)

    jobs.close_one(notice.pk, timezone.now())

    page = client.get(notice.get_absolute_url()).content.decode()
    assert ("?project=" in page, str(NoticeStatus.CLOSED.label) in page) == (False, True)


# --- the application page and the call page --------------------------------------------------------------------
def test_application_page_shows_its_group_the_open_notice_with_its_window(client):
    notice = factories.open_notice(count=1)
    application = notice.applications.get()
    client.force_login(application.created_by)

    page = client.get(application.get_absolute_url()).content.decode()

    assert f'<a href="{notice.get_absolute_url()}" id="notice-panel-link">{notice.title}</a>' in page
    assert timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M") in page


def test_application_page_names_a_scheduled_notice_to_its_group_without_a_link(client):
    notice = factories.scheduled_notice(count=1)
    application = notice.applications.get()
    client.force_login(application.created_by)

    page = client.get(application.get_absolute_url()).content.decode()

    assert ('id="notice-panel"' in page, 'id="notice-panel-link"' in page) == (True, False)


def test_call_page_links_the_secretariat_to_the_notice_once_the_call_has_a_shortlist(staff, secretariat):
    [application] = factories.shortlisted_applications(count=1, secretariat=secretariat)
    bare = CallFactory()

    with_shortlist = staff.get(application.call.get_absolute_url()).content.decode()
    without = staff.get(bare.get_absolute_url()).content.decode()

    link = reverse("publicity:notice_prepare", kwargs={"pk": application.call_id})
    assert (link in with_shortlist, 'id="call-notice"' in without) == (True, False)


# --- queries ---------------------------------------------------------------------------------------------------
def _queries(client, url: str) -> int:
    client.get(url)  # what a first request fills once (content types, the site's caches)
    cache.clear()  # an anonymous visitor's page would come from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _notices(count: int) -> None:
    """`count` open notices, each of a call of its own (the list reads no application)."""
    by = factories.secretariat_user()
    now = timezone.now()
    for _n in range(count):
        Notice.objects.create(
            call=CallFactory(),
            created_by=by,
            status=NoticeStatus.OPEN,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=5),
            **factories.NOTICE_TEXT,
        )


@pytest.mark.parametrize("who", ["anonymous", "secretariat"])
def test_notice_list_asks_the_same_queries_for_1_and_50_notices(client, who):
    if who == "secretariat":
        client.force_login(factories.secretariat_user())
    url = reverse("publicity:notice_list")
    _notices(1)
    few = _queries(client, url)
    _notices(49)

    assert _queries(client, url) == few


def _entries(count: int) -> list[dict]:
    return [
        {
            "number": n,
            "name": f"《标准{n}》团体标准应用示范项目",
            "standards": [{"number": f"T/TEST {n}—2024", "title": f"标准{n}"}],
            "group": "中国测试协会",
            "recommender": "浙江省经济和信息化厅",
            "types": ["创新性"],
        }
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("who", ["anonymous", "secretariat"])
def test_notice_page_asks_the_same_queries_for_1_and_50_projects_and_versions(client, who):
    if who == "secretariat":
        client.force_login(factories.secretariat_user())
    counts = []
    for rows in (1, 50):
        _notices(1)
        notice = Notice.objects.latest("pk")
        for version in range(rows):
            lists.publish(
                of=notice, header=services.list_header(notice), entries=_entries(rows), by=None, reason=f"{version}"
            )
        counts.append(_queries(client, notice.get_absolute_url()))

    assert counts[0] == counts[1]
    assert AuditEvent.objects.filter(action="notice.open").count() == 0  # made directly, as the list reads them
