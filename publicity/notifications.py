"""What the notice stage tells the secretariat: a notice closed, a notice's end moved with the holidays."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal import notifications
from portal.choices import OrganisationKind
from portal.models import User
from publicity.models import Notice


def secretariat() -> list[User]:
    users = User.objects.filter(memberships__organisation__kind=OrganisationKind.MINISTRY, is_active=True)
    return list(users.distinct().order_by("pk"))


def notify_secretariat(*, key: str, subject: str, body: str, url: str) -> int:
    return len(notifications.notify(recipients=secretariat(), key=key, subject=subject, body=body, url=url))


def send_notice_closed(*, notice_id: int, event_id: int, announced: int, held: int) -> int:
    notice = Notice.objects.select_related("call").get(pk=notice_id)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("The public notice “%(title)s” of %(call)s has closed.") % {"title": notice.title, "call": notice.call},
            _("%(count)d projects are announced.") % {"count": announced},
        ]
        if held:
            lines.append(_("%(count)d projects wait for a decision on the objections against them.") % {"count": held})
        return notify_secretariat(
            key=f"notice:{notice.pk}:closed:{event_id}",
            subject=_("Public notice closed: %(title)s") % {"title": notice.title},
            body="\n\n".join(lines),
            url=notice.get_absolute_url(),
        )


def send_notice_rescheduled(*, notice_id: int, event_id: int) -> int:
    from portal.models import AuditEvent

    notice = Notice.objects.get(pk=notice_id)
    event = AuditEvent.objects.get(pk=event_id)
    with translation.override(settings.LANGUAGE_CODE):
        return notify_secretariat(
            key=f"notice:{notice.pk}:rescheduled:{event_id}",
            subject=_("Public notice’s end moved: %(title)s") % {"title": notice.title},
            body=event.note,
            url=notice.get_absolute_url(),
        )
