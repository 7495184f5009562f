"""The announcement (公告): refusals before the notice is over, publishing the list and the register, corrections."""

import hashlib
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects import workflow
from projects.models import ApplicationStatus
from publicity import jobs
from publicity.models import AnnouncedProject, Objection, PublishedList
from publicity.services import announcements
from publicity.services.announcements import AnnouncementRefused
from standards.numbers import canonical_characters
from tests.factories import member_of
from tests.publicity import factories
from tests.publicity.register_factories import (
    draft_announcement,
    imported_announcement,
    next_number,
    published_announcement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _actions(announcement) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(announcement.pk), action__startswith="announcement.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def _draft_of(call):
    return announcements.save_draft(
        call, by=call.notice.created_by, number=next_number(), title="2026年团体标准应用示范项目名单", body="正文"
    )


def _objection(notice, application) -> Objection:
    # Filed as the objection form files it; this stage's tests need only that one is pending.
    return Objection.objects.create(
        notice=notice,
        application=application,
        tracking_number=f"YY{notice.pk:06d}{application.pk:06d}",
        name="张三",
        phone="13800000000",
        email="zhang@example.cn",
        grounds="该标准的实施时间不足六个月。",
        created_at=timezone.now(),
    )


# --- refusals -----------------------------------------------------------------------------------------------
def test_publishing_is_refused_while_the_notice_is_open():
    notice = factories.open_notice(count=2)
    draft = _draft_of(notice.call)

    with pytest.raises(AnnouncementRefused) as refused:
        announcements.publish_announcement(draft, by=notice.created_by)

    draft.refresh_from_db()
    assert refused.value.message == "The call's public notice has not closed yet: the announcement follows it."
    assert (draft.published_at, draft.lists.count(), draft.projects.count()) == (None, 0, 0)
    assert _actions(draft) == ["announcement.create"]


def test_publishing_is_refused_while_an_objection_is_pending_then_allowed_once_it_is_decided():
    notice = factories.open_notice(count=3)
    held = notice.applications.order_by("pk").first()
    _objection(notice, held)
    factories.end_window(notice)
    assert jobs.close_one(notice.pk, timezone.now())
    draft = _draft_of(notice.call)

    with pytest.raises(AnnouncementRefused) as refused:
        announcements.publish_announcement(draft, by=notice.created_by)
    assert "1 applications of the call are still in public notice" in refused.value.message
    assert draft.lists.count() == 0

    Objection.objects.filter(application=held).update(status="upheld")
    workflow.uphold_objection(held, by=notice.created_by, finding="实施时间不足六个月，异议成立。")
    published = announcements.publish_announcement(draft, by=notice.created_by)

    assert published.entry_count == 2
    assert held.pk not in set(draft.projects.values_list("application_id", flat=True))


def test_a_document_number_is_one_announcements_only():
    taken = imported_announcement()
    notice = factories.closed_notice(count=1)

    with pytest.raises(AnnouncementRefused) as refused:
        announcements.save_draft(notice.call, by=notice.created_by, number=taken.number, title="名单", body="")

    assert refused.value.errors == {"number": f"Another announcement already has the number {taken.number}."}


def test_a_published_announcement_is_not_changed_as_a_draft_nor_published_again():
    announcement = published_announcement(count=1)
    secretariat = announcement.call.notice.created_by

    with pytest.raises(AnnouncementRefused):
        announcements.save_draft(announcement.call, by=secretariat, number="新文号", title="新", body="")
    with pytest.raises(AnnouncementRefused):
        announcements.publish_announcement(announcement, by=secretariat)

    assert announcement.lists.count() == 1


# --- publishing ------------------------------------------------------------------------------------------------
def test_publishing_writes_the_list_and_the_register_in_the_notices_order():
    notice = factories.closed_notice(count=3)
    draft = _draft_of(notice.call)

    published = announcements.publish_announcement(draft, by=notice.created_by)

    draft.refresh_from_db()
    listed = list(notice.applications.order_by("notice_entries__position"))
    document = json.loads(bytes(published.content))
    projects = list(draft.projects.order_by("position"))
    assert (published.version, published.sha256) == (1, hashlib.sha256(bytes(published.content)).hexdigest())
    assert {key: document[key] for key in ("kind", "number", "call", "title")} == {
        "kind": "announcement",
        "number": draft.number,
        "call": notice.call.notice_number,
        "title": draft.title,
    }
    assert [entry["group"] for entry in document["projects"]] == [application.group.name for application in listed]
    assert [project.application_id for project in projects] == [application.pk for application in listed]
    first, application = projects[0], listed[0]
    assert (first.name, first.group_name, first.province, first.industry_field, first.innovative) == (
        f"《{application.standard.title_zh}》团体标准应用示范项目",
        application.group.name,
        application.group.province,
        application.industry_field,
        application.claims_innovative,
    )
    assert canonical_characters(application.standard.display_number) in first.search_text
    assert first.search_text == first.search_text.upper()
    assert draft.published_at is not None
    assert _actions(draft) == ["announcement.create", "announcement.publish"]


def test_the_published_hash_matches_the_downloaded_bytes(client):
    announcement = published_announcement(count=2)
    url = reverse("publicity:announcement_list_download", kwargs={"pk": announcement.pk, "version": 1})

    response = client.get(url)
    page = client.get(announcement.get_absolute_url()).content.decode()

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert hashlib.sha256(response.content).hexdigest() == announcement.lists.get().sha256
    assert announcement.lists.get().sha256 in page
    assert url in page


@pytest.mark.parametrize("version", [2, 32768, 10**19])
def test_a_version_that_does_not_exist_is_not_found(client, version):
    announcement = imported_announcement(count=1)
    url = reverse("publicity:announcement_list_download", kwargs={"pk": announcement.pk, "version": version})

    assert client.get(url).status_code == 404


# --- corrections ------------------------------------------------------------------------------------------------
def test_a_correction_is_the_next_version_and_the_first_stays_as_it_was():
    announcement = published_announcement(count=2)
    secretariat = announcement.call.notice.created_by
    first = announcement.lists.get()
    first_bytes = bytes(first.content)
    project = announcement.projects.get(position=1)
    project.group.name = "中国示例标准化协会（更名）"
    project.group.save(update_fields=["name"])

    corrected = announcements.correct_announcement(announcement, by=secretariat, reason="团体更名")

    first.refresh_from_db()
    project.refresh_from_db()
    assert (corrected.version, corrected.reason, corrected.sha256 != first.sha256) == (2, "团体更名", True)
    assert (bytes(first.content), first.version) == (first_bytes, 1)
    assert json.loads(bytes(corrected.content))["projects"][0]["group"] == "中国示例标准化协会（更名）"
    assert (project.group_name, "(更名)" in project.search_text) == ("中国示例标准化协会（更名）", True)
    assert _actions(announcement)[-1] == "announcement.correct"


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Give the reason for the correction."), ("再次发布", "The list has not changed since version 1.")],
)
def test_a_correction_needs_a_reason_and_a_change(reason, message):
    announcement = published_announcement(count=1)

    with pytest.raises(AnnouncementRefused) as refused:
        announcements.correct_announcement(announcement, by=announcement.call.notice.created_by, reason=reason)

    assert (refused.value.message, announcement.lists.count()) == (message, 1)


def test_correction_page_publishes_the_next_version(client):
    announcement = published_announcement(count=1)
    client.force_login(announcement.call.notice.created_by)
    url = reverse("publicity:announcement_correct", kwargs={"pk": announcement.pk})
    group = announcement.projects.get().group
    group.name = "更名后的协会"
    group.save(update_fields=["name"])

    refused = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "团体更名"}, follow=True)

    assert refused.status_code == 400
    assert list(announcement.lists.values_list("version", flat=True)) == [2, 1]
    assert "更名后的协会" in response.content.decode()


# --- pages ------------------------------------------------------------------------------------------------------
def test_a_draft_is_not_found_except_by_the_secretariat():
    draft = draft_announcement(count=1)
    url = draft.get_absolute_url()
    secretariat, group_member = Client(), Client()
    secretariat.force_login(draft.call.notice.created_by)
    group_member.force_login(member_of(draft.call.applications.first().group))

    statuses = [Client().get(url).status_code, group_member.get(url).status_code, secretariat.get(url).status_code]

    assert statuses == [404, 404, 200]


def test_prepare_page_says_why_it_cannot_publish_yet_and_keeps_what_was_typed(client):
    notice = factories.open_notice(count=1)
    taken = imported_announcement(count=1)
    client.force_login(notice.created_by)
    url = reverse("publicity:announcement_prepare", kwargs={"pk": notice.call.pk})

    page = client.get(url).content.decode()
    refused = client.post(url, {"number": taken.number, "title": "我的标题", "body": "我的正文"})

    assert "The call&#x27;s public notice has not closed yet" in page
    assert refused.status_code == 400
    assert ("我的标题" in refused.content.decode(), "我的正文" in refused.content.decode()) == (True, True)
    assert "Another announcement already has the number" in refused.content.decode()


def test_the_secretariat_prepares_and_publishes_through_the_pages(client):
    notice = factories.closed_notice(count=2)
    client.force_login(notice.created_by)
    prepare = reverse("publicity:announcement_prepare", kwargs={"pk": notice.call.pk})

    saved = client.post(prepare, {"number": "工信部科函〔2026〕333号", "title": "名单", "body": "正文"})
    draft = notice.call.announcement
    publish = reverse("publicity:announcement_publish", kwargs={"pk": draft.pk})
    published = client.post(publish)
    again = client.post(publish)

    assert (saved.status_code, saved["Location"]) == (302, prepare)
    assert (published.status_code, published["Location"]) == (302, draft.get_absolute_url())
    assert again.status_code == 409
    assert AnnouncedProject.objects.filter(announcement=draft).count() == 2


def test_publishing_through_the_page_while_the_notice_is_open_is_a_conflict(client):
    notice = factories.open_notice(count=1)
    draft = _draft_of(notice.call)
    client.force_login(notice.created_by)

    response = client.post(reverse("publicity:announcement_publish", kwargs={"pk": draft.pk}))

    assert response.status_code == 409
    assert "has not closed yet" in response.content.decode()
    assert PublishedList.objects.filter(announcement=draft).count() == 0


@pytest.mark.parametrize("rows", [1, 50])
def test_announcement_page_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    announcement = imported_announcement(count=rows)

    # The announcement, its versions, the current version's bytes, and the register's project of each number.
    with django_assert_num_queries(4):
        response = client.get(announcement.get_absolute_url())

    assert len(response.context["entries"]) == rows


def test_announced_applications_are_announced_state_only():
    notice = factories.closed_notice(count=2)

    assert {application.status for application in announcements.announced_applications(notice.call)} == {
        ApplicationStatus.ANNOUNCED
    }
