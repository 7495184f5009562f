"""What the objections tell people: the filer (by e-mail: they have no account), the secretariat, and the staff
of an organisation a question is forwarded to (portal notifications with their e-mail).

Run by the Celery task `publicity.objection_mail`, queued once the transaction that made the change commits
(`publicity.services.objections`): a mail server that does not answer never undoes a filing or a decision, and
the task retries. Nothing sent to an organisation names the filer.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal import mail, notifications
from portal.links import absolute
from portal.models import User
from publicity import lists
from publicity.models import Objection, ObjectionForward
from publicity.notifications import notify_secretariat


def _objection(objection_id: int) -> Objection:
    return Objection.objects.select_related("notice", "application__standard").get(pk=objection_id)


def send_filed(*, objection_id: int) -> None:
    """The filer's receipt with the tracking number, and the secretariat's notification."""
    objection = _objection(objection_id)
    project = lists.project_name(objection.application)
    with translation.override(settings.LANGUAGE_CODE):
        status_link = absolute(reverse("publicity:objection_status"))
        body = "\n\n".join(
            [
                _("Your objection to %(project)s in the public notice “%(notice)s” is received.")
                % {"project": project, "notice": objection.notice.title},
                _("Its tracking number is %(number)s. With it and your e-mail address you read its status.")
                % {"number": objection.tracking_number},
                _("Status: %(url)s") % {"url": status_link},
            ]
        )
        mail.send_after_commit(
            to=objection.email,
            subject=_("Objection received: %(number)s") % {"number": objection.tracking_number},
            body=body,
        )
        notify_secretariat(
            key=f"objection:{objection.pk}:filed",
            subject=_("New objection %(number)s") % {"number": objection.tracking_number},
            body=_("An objection to %(project)s in the public notice “%(notice)s” was filed.")
            % {"project": project, "notice": objection.notice.title},
            url=reverse("publicity:objection_detail", kwargs={"pk": objection.pk}),
        )


def send_forwarded(*, forward_id: int) -> None:
    """The organisation's staff: a question about an objection to their project waits for their answer."""
    forward = ObjectionForward.objects.select_related("organisation", "objection__application__standard").get(
        pk=forward_id
    )
    staff = User.objects.filter(memberships__organisation=forward.organisation, is_active=True).distinct()
    with translation.override(settings.LANGUAGE_CODE):
        notifications.notify(
            recipients=list(staff),
            key=f"objection-forward:{forward.pk}",
            subject=_("Objection to answer: %(project)s")
            % {"project": lists.project_name(forward.objection.application)},
            body=_("The secretariat asks %(organisation)s to answer an objection to %(project)s in public notice.")
            % {"organisation": forward.organisation.name, "project": lists.project_name(forward.objection.application)},
            url=reverse("publicity:answer_detail", kwargs={"pk": forward.pk}),
        )


def send_answered(*, forward_id: int) -> None:
    forward = ObjectionForward.objects.select_related("organisation", "objection").get(pk=forward_id)
    with translation.override(settings.LANGUAGE_CODE):
        notify_secretariat(
            key=f"objection-forward:{forward.pk}:answered",
            subject=_("Objection %(number)s answered") % {"number": forward.objection.tracking_number},
            body=_("%(organisation)s answered the question about objection %(number)s.")
            % {"organisation": forward.organisation.name, "number": forward.objection.tracking_number},
            url=reverse("publicity:objection_detail", kwargs={"pk": forward.objection_id}),
        )


def send_decided(*, objection_id: int) -> None:
    """The filer reads the decision and the response (the finding stays with the secretariat)."""
    objection = _objection(objection_id)
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            [
                _("Your objection %(number)s to %(project)s is decided: %(status)s.")
                % {
                    "number": objection.tracking_number,
                    "project": lists.project_name(objection.application),
                    "status": objection.get_status_display(),
                },
                _("The secretariat's response:"),
                objection.response,
                _("Status: %(url)s") % {"url": absolute(reverse("publicity:objection_status"))},
            ]
        )
        mail.send_after_commit(
            to=objection.email,
            subject=_("Objection decided: %(number)s") % {"number": objection.tracking_number},
            body=body,
        )
