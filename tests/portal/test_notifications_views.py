"""The notifications pages: each user's own list, opening one, marking all read, and the navigation's badge."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import notifications
from portal.models import Notification
from projects import workflow
from tests.factories import (
    CallFactory,
    ProvincialDepartmentFactory,
    UserFactory,
    make_application,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = reverse("portal:notifications")
READ_ALL = reverse("portal:notifications_read_all")


def _notify(user, key: str, subject: str = "申报书已退回修改", url: str = "/applications/12/") -> Notification:
    return notifications.notify(recipients=[user], key=key, subject=subject, body="请补充数据。", url=url)[0]


def _open_url(notification: Notification) -> str:
    return reverse("portal:notification_open", kwargs={"pk": notification.pk})


def _subjects(content: str) -> list[str]:
    return re.findall(
        r'<h3 id="notification-\d+">\s*(?:<span class="badge[^"]*">Unread</span>)?\s*([^<]+?)\s*</h3>', content
    )


def _unread_subjects(content: str) -> list[str]:
    return re.findall(r'<span class="badge badge-info">Unread</span>\s*([^<]+?)\s*</h3>', content)


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


# --- the list -----------------------------------------------------------------------------------------
def test_list_shows_the_users_own_newest_first_with_the_unread_marked(client, user):
    old = _notify(user, "old", subject="较早的通知")
    read = _notify(user, "read", subject="已读的通知")
    _notify(user, "new", subject="最新的通知")
    _notify(UserFactory(), "other", subject="别人的通知")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    notifications.mark_read(notification=read, by=user)

    content = client.get(LIST, **ENGLISH).content.decode()

    assert _subjects(content) == ["最新的通知", "已读的通知", "较早的通知"]
    assert _unread_subjects(content) == ["最新的通知", "较早的通知"]
    assert content.count("请补充数据。") == 3


def test_list_filtered_to_unread_leaves_the_read_ones_out(client, user):
    notifications.mark_read(notification=_notify(user, "read", subject="已读的通知"), by=user)
    _notify(user, "unread", subject="未读的通知")

    content = client.get(LIST, {"unread": "1"}, **ENGLISH).content.decode()

    assert _subjects(content) == ["未读的通知"]


def test_list_without_notifications_says_so(client, user):
    content = client.get(LIST, **ENGLISH).content.decode()

    assert ("No notification yet." in content, "Mark all as read" in content) == (True, False)


def test_list_pages_twenty_at_a_time(client, user):
    for number in range(25):
        _notify(user, f"n{number}", subject=f"通知{number}")

    content = client.get(LIST, {"page": 2}, **ENGLISH).content.decode()

    assert (len(_subjects(content)), "Page 2 of 2" in content) == (5, True)


@pytest.mark.parametrize("rows", [1, 20])
def test_list_asks_the_same_number_of_queries_for_1_and_20_rows(client, user, django_assert_num_queries, rows):
    for number in range(rows):
        _notify(user, f"n{number}")

    # user, roles (memberships, expert register), the unread count (navigation), the page's count, the page
    with django_assert_num_queries(6):
        content = client.get(LIST, **ENGLISH).content.decode()

    assert len(_subjects(content)) == rows


# --- opening one --------------------------------------------------------------------------------------
def test_open_marks_it_read_and_goes_to_what_it_is_about(client, user):
    notification = _notify(user, "a")

    response = client.post(_open_url(notification))

    notification.refresh_from_db()
    assert (response.status_code, response["Location"], notification.is_unread) == (302, "/applications/12/", False)


def test_open_of_another_users_notification_not_found_and_left_unread(client, user):
    notification = _notify(UserFactory(), "a")

    response = client.post(_open_url(notification))

    notification.refresh_from_db()
    assert (response.status_code, notification.is_unread) == (404, True)


@pytest.mark.parametrize("url", ["https://evil.example.cn/", "//evil.example.cn/x", "javascript:alert(1)", ""])
def test_open_never_leaves_the_portal(client, user, url):
    notification = _notify(user, "a", url=url)

    response = client.post(_open_url(notification))

    notification.refresh_from_db()
    assert (response["Location"], notification.is_unread) == (LIST, False)


def test_open_by_get_refused_and_left_unread(client, user):
    notification = _notify(user, "a")

    response = client.get(_open_url(notification))

    notification.refresh_from_db()
    assert (response.status_code, notification.is_unread) == (405, True)


# --- marking all read ---------------------------------------------------------------------------------
def test_read_all_marks_the_users_own_and_says_how_many(client, user):
    _notify(user, "a")
    _notify(user, "b")
    other = UserFactory()
    _notify(other, "a")

    response = client.post(READ_ALL, follow=True, **ENGLISH)

    assert (notifications.unread_count(user), notifications.unread_count(other)) == (0, 1)
    assert [str(message) for message in response.context["messages"]] == ["2 notifications marked read."]
    assert _unread_subjects(response.content.decode()) == []


# --- the navigation -----------------------------------------------------------------------------------
def _nav_link(content: str) -> str:
    return re.search(rf'<a href="{LIST}"[^>]*>(.*?)</a>', content, re.S).group(1)


def test_navigation_shows_the_unread_count(client, user):
    _notify(user, "a")
    _notify(user, "b")
    notifications.mark_read(notification=_notify(user, "c"), by=user)

    content = client.get(reverse("portal:dashboard"), **ENGLISH).content.decode()

    assert _nav_link(content) == (
        'Notifications <span class="badge badge-danger">2<span class="visually-hidden"> unread</span></span>'
    )


def test_navigation_without_unread_shows_no_badge(client, user):
    notifications.mark_read(notification=_notify(user, "a"), by=user)

    content = client.get(reverse("portal:dashboard"), **ENGLISH).content.decode()

    assert _nav_link(content) == "Notifications"


def test_navigation_for_anonymous_has_no_notifications_and_asks_nothing(client, django_assert_num_queries):
    # The home page's open calls, open notices and latest announced projects; nothing for the navigation.
    with django_assert_num_queries(3):
        content = client.get(reverse("portal:home"), **ENGLISH).content.decode()

    assert LIST not in content


# --- from a real transition ---------------------------------------------------------------------------
def test_return_for_revision_leaves_a_notification_the_groups_staff_open(client, django_capture_on_commit_callbacks):
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    colleague = member_of(application.group)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(application, by=member_of(department), reason="补充实施效果的数据。")
    client.force_login(colleague)

    content = client.get(LIST, **ENGLISH).content.decode()
    notification = Notification.objects.get(recipient=colleague)
    response = client.post(_open_url(notification))

    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [application.created_by.pk, colleague.pk]
    )
    assert "补充实施效果的数据。" in content
    assert _unread_subjects(content) == [notification.subject]
    assert response["Location"] == application.get_absolute_url()


# --- the admin ----------------------------------------------------------------------------------------
def test_admin_lists_notifications_but_offers_no_add_or_change(client):
    _notify(UserFactory(), "a", subject="申报书已退回修改")
    notification = Notification.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = client.get(reverse("admin:portal_notification_changelist")).content.decode()
    add = client.get(reverse("admin:portal_notification_add"))
    change = client.post(reverse("admin:portal_notification_change", args=[notification.pk]), {"subject": "改过的主题"})

    notification.refresh_from_db()
    assert ("申报书已退回修改" in changelist, add.status_code, change.status_code) == (True, 403, 403)
    assert notification.subject == "申报书已退回修改"


# --- opening what a notification is about -----------------------------------------------------------
def _unread_keys(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("key", flat=True))


def test_opening_the_linked_page_marks_exactly_its_notifications_read(client, user):
    _notify(user, "here", url="/dashboard/")
    _notify(user, "here too", url="/dashboard/")
    _notify(user, "elsewhere", url="/account/")
    other = UserFactory()
    _notify(other, "theirs", url="/dashboard/")

    response = client.get(reverse("portal:dashboard"), **ENGLISH)

    assert (_unread_keys(user), _unread_keys(other)) == (["elsewhere"], ["theirs"])
    assert _nav_link(response.content.decode()) == (
        'Notifications <span class="badge badge-danger">1<span class="visually-hidden"> unread</span></span>'
    )


def test_opening_the_linked_page_keeps_the_first_readings_time(client, user):
    earlier = timezone.now() - datetime.timedelta(days=1)
    read = _notify(user, "read", url="/dashboard/")
    Notification.objects.filter(pk=read.pk).update(read_at=earlier)
    _notify(user, "unread", url="/dashboard/")

    client.get(reverse("portal:dashboard"))

    read.refresh_from_db()
    assert (read.read_at, _unread_keys(user)) == (earlier, [])


def test_opening_a_call_in_the_inbox_marks_that_calls_notification_only(client):
    department = ProvincialDepartmentFactory()
    recommender = member_of(department)
    first, second = CallFactory(), CallFactory()
    for call in (first, second):
        submitted_application(call=call, recommender=department, same_province=True)
    inbox = reverse("projects:recommendation_inbox")
    _notify(recommender, "first", url=f"{inbox}?call={first.pk}")
    _notify(recommender, "second", url=f"{inbox}?call={second.pk}")
    _notify(recommender, "inbox", url=inbox)
    client.force_login(recommender)

    response = client.get(inbox, {"call": first.pk}, **ENGLISH)

    assert (response.context["call"], _unread_keys(recommender)) == (first, ["inbox", "second"])


def test_opening_the_page_without_the_query_string_marks_nothing(client):
    recommender = member_of(ProvincialDepartmentFactory())
    call = CallFactory()
    inbox = reverse("projects:recommendation_inbox")
    _notify(recommender, "call", url=f"{inbox}?call={call.pk}")
    client.force_login(recommender)

    client.get(inbox)

    assert _unread_keys(recommender) == ["call"]


def test_a_refused_post_to_the_linked_page_marks_nothing(client, user):
    _notify(user, "account", url="/account/")

    response = client.post(reverse("portal:account"), {"first_name": "x" * 500}, **ENGLISH)

    assert (response.status_code, _unread_keys(user)) == (400, ["account"])


def test_opening_the_application_a_return_notification_links_to_reads_it(client, django_capture_on_commit_callbacks):
    department = ProvincialDepartmentFactory()
    application = make_application(complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(application, by=member_of(department), reason="补充实施效果的数据。")
    client.force_login(application.created_by)

    client.get(application.get_absolute_url())

    notification = Notification.objects.get(recipient=application.created_by)
    assert (notification.url, notification.is_unread) == (application.get_absolute_url(), False)


@pytest.mark.parametrize(("links", "extra"), [([], 0), (["/account/"], 0), (["/dashboard/"], 1)])
def test_navigation_reads_in_one_more_query_only_when_a_notification_links_here(
    client, user, django_assert_num_queries, links, extra
):
    dashboard = reverse("portal:dashboard")
    client.get(dashboard)  # what a first request caches is not counted
    with CaptureQueriesContext(connection) as baseline:
        client.get(dashboard)
    for number, url in enumerate(links):
        _notify(user, f"n{number}", url=url)

    # The same queries as without notifications, and the UPDATE when one links here.
    with django_assert_num_queries(len(baseline.captured_queries) + extra):
        client.get(dashboard)
