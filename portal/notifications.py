"""Telling users what concerns them: a notification in the portal, and the same message by e-mail.

Notifications are derived from audited events (the caller names the event in `key`), so writing or reading
one is not itself audited: it changes nothing in the programme, only what one user has seen. The portal's copy
links to a local path; the e-mail ends with the full link under PORTAL_URL (a worker has no request to ask).
"""

import logging
import smtplib
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.links import absolute
from portal.models import Notification, User

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length


# Not one transaction for all: one per recipient (see the docstring), so that a mail failure undoes only its own.
def notify(*, recipients: Iterable[User], key: str, subject: str, body: str, url: str) -> list[Notification]:
    """Notify each recipient who has no notification with `key` yet, in the portal and by e-mail.

    `url` is the local path of what the message is about: the notification keeps it, and the e-mail's body ends
    with it as a full link under PORTAL_URL, in the active language ("查看：https://…/applications/3/").

    Returns the notifications created now (none for a recipient already notified of `key`, so a task that runs
    again notifies no one twice). Each recipient with an e-mail address gets a message of their own: no one
    sees another's address, and each recipient's row commits only with their message handed to the mail
    server, so a retry after a mail failure reaches exactly those not reached yet. An address the server
    refuses is logged; the notification stays in the portal.
    """
    candidates = {user.pk: user for user in recipients}
    done = set(
        Notification.objects.filter(key=key, recipient__in=list(candidates)).values_list("recipient_id", flat=True)
    )
    new = sorted(candidates.keys() - done)
    if not new:
        return []
    created = []
    with get_connection() as connection:  # one connection to the mail server for all the messages
        for user_pk in new:
            notification = _notify_one(candidates[user_pk], key, subject, body, url, connection)
            if notification is not None:
                created.append(notification)
    return created


def _notify_one(user: User, key: str, subject: str, body: str, url: str, connection) -> Notification | None:
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user, key=key, subject=Truncator(subject).chars(SUBJECT_LENGTH), body=body, url=url
            )
            if user.email:
                _mail(user.email, subject, _mail_body(body, url), connection)
    except IntegrityError:
        return None  # the same notification written meanwhile by another run of the task: it mailed them
    return notification


def _mail_body(body: str, url: str) -> str:
    return f"{body}\n\n" + _("View: %(url)s") % {"url": absolute(url)}


def _mail(address: str, subject: str, body: str, connection) -> None:
    try:
        EmailMessage(subject, body, to=[address], connection=connection).send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning("The mail server refused %s; the notification stays in the portal.", address)


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark the user's own notification read (once: the first reading's time is kept)."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        # Conditional, so that two tabs opening it at once keep the first reading's time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def mark_read_on_opening(*, user: User, path: str) -> int:
    """Mark read the user's unread notifications that link to `path` (with its query string): the user has
    opened what they are about. Returns how many. Another query string is another page (``?call=3`` is not
    what a notification linking to ``?call=2`` is about)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True, url=path)
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_counts(user: User, *, path: str) -> tuple[int, int]:
    """How many of the user's notifications are unread, and how many of those link to `path`: one query."""
    counts = Notification.objects.filter(recipient=user, read_at__isnull=True).aggregate(
        unread=Count("pk"), here=Count("pk", filter=Q(url=path))
    )
    return counts["unread"], counts["here"]


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first; only the unread ones when asked."""
    notifications = Notification.objects.filter(recipient=user)
    return notifications.filter(read_at__isnull=True) if unread else notifications
