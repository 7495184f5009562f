"""The notification service: a row per recipient and key, mail to each new recipient with an address, reading."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone, translation

from portal import notifications
from portal.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/applications/12/"
PORTAL_URL = "https://portal.example.cn"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL_URL


def _notify(recipients, key="application:12:returned:345", subject="申报书已退回修改"):
    return notifications.notify(recipients=recipients, key=key, subject=subject, body="请补充数据。", url=URL)


class RefusingBackend(EmailBackend):
    """The locmem backend, except that the server refuses one address and is unreachable for another."""

    refused = "refused@example.cn"
    unreachable = "unreachable@example.cn"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"no such user")})
            if self.unreachable in message.to:
                raise ConnectionRefusedError
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"


def test_notify_writes_a_row_per_recipient_and_mails_each_with_an_address_alone():
    li, wang, no_address = UserFactory(), UserFactory(), UserFactory(email="")

    with translation.override("en"):
        created = _notify([wang, no_address, li])

    assert sorted((n.recipient.pk, n.subject, n.body, n.url, n.read_at) for n in created) == sorted(
        (user.pk, "申报书已退回修改", "请补充数据。", URL, None) for user in [li, wang, no_address]
    )
    body = "请补充数据。\n\nView: https://portal.example.cn/applications/12/"
    assert sorted((m.to, m.subject, m.body) for m in mail.outbox) == sorted(
        ([user.email], "申报书已退回修改", body) for user in [li, wang]
    )


def test_notify_mail_ends_with_the_full_link_under_portal_url_and_the_portal_keeps_the_path(settings):
    settings.PORTAL_URL = "https://bz.example.gov.cn/portal"

    with translation.override("en"):
        (notification,) = notifications.notify(
            recipients=[UserFactory()], key="k", subject="s", body="正文。", url="/recommendations/?call=3"
        )

    assert (mail.outbox[0].body, notification.body, notification.url) == (
        "正文。\n\nView: https://bz.example.gov.cn/portal/recommendations/?call=3",
        "正文。",
        "/recommendations/?call=3",
    )


def test_notify_again_with_the_same_key_writes_and_mails_nothing():
    li, wang = UserFactory(), UserFactory()
    _notify([li, wang])

    again = _notify([li, wang])

    assert (again, len(mail.outbox), Notification.objects.count()) == ([], 2, 2)


def test_notify_again_reaches_only_a_recipient_new_to_the_key():
    li, wang = UserFactory(), UserFactory()
    _notify([li])

    again = _notify([li, wang])

    assert ([n.recipient for n in again], [m.to for m in mail.outbox]) == ([wang], [[li.email], [wang.email]])


def test_notify_with_another_key_notifies_again():
    li = UserFactory()
    _notify([li])

    again = _notify([li], key="application:12:returned:400")

    assert ([n.recipient for n in again], len(mail.outbox)) == ([li], 2)


def test_notify_truncates_a_long_subject_in_the_portal_but_not_in_the_mail():
    subject = "标" * 600

    (notification,) = _notify([UserFactory()], subject=subject)

    notification.refresh_from_db()
    # The ellipsis is the active language's.
    assert (len(notification.subject), notification.subject[:490], mail.outbox[0].subject) == (
        500,
        subject[:490],
        subject,
    )


def test_notify_keeps_the_notification_of_an_address_the_server_refuses(refusing_mail, caplog):
    refused, fine = UserFactory(email=RefusingBackend.refused), UserFactory()

    created = _notify([refused, fine])

    assert sorted(n.recipient.pk for n in created) == sorted([refused.pk, fine.pk])
    assert [m.to for m in mail.outbox] == [[fine.email]]
    assert "The mail server refused refused@example.cn" in caplog.text


def test_notify_after_a_mail_failure_leaves_that_recipient_for_the_retry(refusing_mail):
    first, unreachable = UserFactory(), UserFactory(email=RefusingBackend.unreachable)
    assert first.pk < unreachable.pk  # recipients are served in this order

    with pytest.raises(ConnectionRefusedError):
        _notify([first, unreachable])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [first.pk]
    unreachable.email = "back@example.cn"
    unreachable.save()
    retried = _notify([first, unreachable])
    assert ([n.recipient for n in retried], [m.to for m in mail.outbox]) == (
        [unreachable],
        [[first.email], ["back@example.cn"]],
    )


def test_mark_read_sets_the_time_once():
    user = UserFactory()
    (notification,) = _notify([user])
    earlier = timezone.now() - datetime.timedelta(hours=1)
    Notification.objects.filter(pk=notification.pk).update(read_at=earlier)
    notification.refresh_from_db()

    notifications.mark_read(notification=notification, by=user)

    notification.refresh_from_db()
    assert notification.read_at == earlier


def test_mark_read_of_an_unread_notification_records_when():
    user = UserFactory()
    (notification,) = _notify([user])

    notifications.mark_read(notification=notification, by=user)

    notification.refresh_from_db()
    assert (notification.is_unread, notifications.unread_count(user)) == (False, 0)


def test_mark_read_by_another_user_refused():
    owner = UserFactory()
    (notification,) = _notify([owner])

    with pytest.raises(PermissionDenied):
        notifications.mark_read(notification=notification, by=UserFactory())

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_the_users_unread_ones():
    user, other = UserFactory(), UserFactory()
    _notify([user, other], key="a")
    _notify([user, other], key="b")
    (already,) = _notify([user], key="c")
    notifications.mark_read(notification=already, by=user)

    count = notifications.mark_all_read(user=user)

    assert (count, notifications.unread_count(user), notifications.unread_count(other)) == (2, 0, 2)


def test_notifications_for_lists_the_users_own_newest_first_and_filters_unread():
    user, other = UserFactory(), UserFactory()
    old, new = _notify([user], key="old")[0], _notify([user], key="new")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    _notify([other], key="other")
    notifications.mark_read(notification=new, by=user)

    assert (
        list(notifications.notifications_for(user)),
        list(notifications.notifications_for(user, unread=True)),
    ) == ([new, old], [old])
