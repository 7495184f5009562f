"""E-mail about an application's moves, composed in Chinese (the portal's default language)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind
from portal.models import Organisation, User
from projects.models import Application


def _members_of(organisations: list[Organisation]) -> list[str]:
    users = User.objects.filter(memberships__organisation__in=organisations, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _secretariat() -> list[str]:
    return _members_of(list(Organisation.objects.filter(kind=OrganisationKind.MINISTRY)))


def _recipients(application: Application, event: str) -> list[str]:
    if event in {"submitted", "resubmitted"}:
        return _members_of([application.recommender]) if application.recommender_id else []
    if event in {"returned", "recommended", "declined"}:
        return _members_of([application.group])
    if event == "submitted_directly":
        return _secretariat()
    if event == "withdrawn" and application.submission_count:
        # Whoever holds it now: the recommender, or the secretariat for a ministry-managed group's.
        return _members_of([application.recommender]) if application.recommender_id else _secretariat()
    return []


def _subject(application: Application, event: str) -> str:
    subjects = {
        "submitted": _("New application to recommend: %(title)s"),
        "resubmitted": _("Revised application resubmitted: %(title)s"),
        "submitted_directly": _("Application of a ministry-managed group: %(title)s"),
        "withdrawn": _("Application withdrawn: %(title)s"),
        "returned": _("Application returned for revision: %(title)s"),
        "recommended": _("Application recommended: %(title)s"),
        "declined": _("Application not recommended: %(title)s"),
    }
    return subjects[event] % {"title": application}


def send(*, application_id: int, event: str) -> int:
    """Send the e-mail for `event` to the people it concerns; return how many recipients."""
    application = Application.objects.select_related("group", "standard", "recommender", "call").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        recipients = _recipients(application, event)
        if not recipients:
            return 0
        body = _("%(group)s — %(title)s (%(call)s).\n\nOpen the portal to see it.") % {
            "group": application.group,
            "title": application,
            "call": application.call,
        }
        send_mail(_subject(application, event), body, None, recipients)
    return len(recipients)
