"""Notifications about an application's moves, composed in the portal's language (Chinese by default).

Each event names who is told and what the message says; the reason or opinion is the note of the audit event
that caused it. `portal.notifications.notify` writes the in-portal copies and sends the e-mail.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import notifications
from portal.choices import OrganisationKind
from portal.models import AuditEvent, Organisation, User
from projects.models import Application, RecommenderExtension
from projects.selectors.submission import SUBMIT, Receipt, receipt_of_event


def _members_of(organisations: list[Organisation]) -> list[User]:
    users = User.objects.filter(memberships__organisation__in=organisations, is_active=True)
    return list(users.distinct().order_by("pk"))


def _secretariat(application: Application) -> list[User]:
    return _members_of(list(Organisation.objects.filter(kind=OrganisationKind.MINISTRY)))


def _recommender(application: Application) -> list[User]:
    return _members_of([application.recommender]) if application.recommender_id else []


def _group(application: Application) -> list[User]:
    return _members_of([application.group])


def _holder(application: Application) -> list[User]:
    # Whoever holds a submitted application now: its recommender, or the secretariat for a ministry-managed
    # group's; a draft never left the group, so no one else is told of its withdrawal.
    if not application.submission_count:
        return []
    return _recommender(application) if application.recommender_id else _secretariat(application)


@dataclass(frozen=True)
class _Event:
    action: str  # the audit action of the transition behind it
    to: Callable[[Application], list[User]]
    subject: Promise
    note_label: Promise | None = None  # what introduces the audit note in the body ("Reasons…:")


EVENTS: dict[str, _Event] = {
    "submitted": _Event("application.submit", _recommender, gettext_lazy("New application to recommend: %(title)s")),
    "resubmitted": _Event(
        "application.submit", _recommender, gettext_lazy("Revised application resubmitted: %(title)s")
    ),
    "submitted_directly": _Event(
        "application.submit", _secretariat, gettext_lazy("Application of a ministry-managed group: %(title)s")
    ),
    "withdrawn": _Event(
        "application.withdraw",
        _holder,
        gettext_lazy("Application withdrawn: %(title)s"),
        gettext_lazy("Reason for withdrawing:"),
    ),
    "returned": _Event(
        "application.return_for_revision",
        _group,
        gettext_lazy("Application returned for revision: %(title)s"),
        gettext_lazy("Reasons for revision:"),
    ),
    "recommended": _Event(
        "application.recommend",
        _group,
        gettext_lazy("Application recommended: %(title)s"),
        gettext_lazy("Recommendation opinion:"),
    ),
    "declined": _Event(
        "application.decline",
        _group,
        gettext_lazy("Application not recommended: %(title)s"),
        gettext_lazy("Reason for not recommending:"),
    ),
    "admitted": _Event(
        "application.admit",
        _group,
        gettext_lazy("Application admitted to expert review: %(title)s"),
        gettext_lazy("Note of the formal check:"),
    ),
    "ineligible": _Event(
        "application.reject_ineligible",
        _group,
        gettext_lazy("Application ineligible: %(title)s"),
        gettext_lazy("Reasons of the formal check:"),
    ),
    # The outcome only: never a score, nor who reviewed (the note is not quoted).
    "shortlisted": _Event(
        "application.shortlist", _group, gettext_lazy("Application shortlisted for the public notice: %(title)s")
    ),
    "not_selected": _Event(
        "application.not_select", _group, gettext_lazy("Application not selected after expert review: %(title)s")
    ),
    "in_publicity": _Event("application.open_notice", _group, gettext_lazy("Application in public notice: %(title)s")),
    "announced": _Event("application.close_notice", _group, gettext_lazy("Demonstration project announced: %(title)s")),
    # The finding only: never who objected.
    "withdrawn_by_objection": _Event(
        "application.uphold_objection",
        _group,
        gettext_lazy("Application withdrawn on an upheld objection: %(title)s"),
        gettext_lazy("Finding:"),
    ),
}


def _cause(application: Application, spec: _Event, event_id: int | None) -> AuditEvent | None:
    """The audit event behind the message: the one named, or for a message queued before events were named,
    the application's latest of its kind."""
    events = AuditEvent.objects.for_object(application).filter(action=spec.action)
    named = events.filter(pk=event_id).first() if event_id is not None else None
    return named or events.order_by("-id").first()


def _heading(application: Application) -> str:
    return _("%(group)s — %(title)s (%(call)s).") % {
        "group": application.group,
        "title": application,
        "call": application.call,
    }


def _body(application: Application, spec: _Event, note: str, receipt: Receipt | None = None) -> str:
    parts = [_heading(application)]
    if receipt is not None:
        parts.append(
            _("Submission number %(number)s, submitted %(time)s (Beijing time).")
            % {"number": receipt.number, "time": _beijing(receipt.submitted_at)}
        )
    if spec.note_label and note:
        parts.append(f"{spec.note_label}\n{note}")
    parts.append(_("Open the portal to see it."))
    return "\n\n".join(parts)


def _beijing(moment) -> str:
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "Y-m-d H:i")


def send(*, application_id: int, event: str, event_id: int | None = None) -> int:
    """Notify the people `event` concerns, once per audit event; return how many were notified now.

    A submission's message carries its receipt's number, and the group's staff get the receipt (回执) itself.
    Running it again for the same event notifies no one (portal.notifications.notify keys each message).
    """
    spec = EVENTS[event]
    application = Application.objects.select_related("group", "standard", "recommender", "call").get(pk=application_id)
    recipients = spec.to(application)
    cause = _cause(application, spec, event_id) if recipients or spec.action == SUBMIT else None
    receipt = receipt_of_event(application, cause) if cause is not None else None
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        if recipients:
            created = notifications.notify(
                recipients=recipients,
                key=f"application:{application.pk}:{event}:{cause.pk if cause else 0}",
                subject=spec.subject % {"title": application},
                body=_body(application, spec, cause.note if cause else "", receipt),
                url=application.get_absolute_url(),
            )
        if receipt is not None:
            created += _send_receipt(receipt, event_id=cause.pk)
    return len(created)


def _send_receipt(receipt: Receipt, *, event_id: int) -> list:
    """The group's receipt of a submission: its number and time, who sent it, to whom, with which files."""
    application = receipt.application
    recommender = receipt.recommender or _("None: a ministry-managed social group applies directly.")
    lines = [
        _("Submission number: %(number)s") % {"number": receipt.number},
        _("Submitted: %(time)s (Beijing time), by %(person)s")
        % {"time": _beijing(receipt.submitted_at), "person": receipt.submitted_by or "—"},
        _("Recommender: %(recommender)s") % {"recommender": recommender},
    ]
    attachments = (_("%(kind)s: %(file)s") % {"kind": kind, "file": name} for kind, name in receipt.attachments)
    files = "\n".join([_("Attachments:"), *(f"- {line}" for line in attachments)])
    body = "\n\n".join(
        [_heading(application), "\n".join(lines), files, _("Keep this receipt: open it in the portal to print it.")]
    )
    return notifications.notify(
        recipients=_group(application),
        key=f"application:{application.pk}:receipt:{event_id}",
        subject=_("Submission receipt %(number)s: %(title)s") % {"number": receipt.number, "title": application},
        body=body,
        url=reverse("projects:application_receipt", kwargs={"pk": application.pk, "number": receipt.snapshot.number}),
    )


def send_recommender_extension(*, extension_id: int, event_id: int) -> int:
    """Tell the recommender's staff that the secretariat extended their recommendation deadline in a call.

    Keyed by the audit event of the extension, so a second run notifies no one and a later change of the
    date is a new message.
    """
    extension = RecommenderExtension.objects.select_related("call", "recommender").get(pk=extension_id)
    recipients = _members_of([extension.recommender])
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        until = date_format(timezone.localtime(extension.until, timezone.get_default_timezone()), "DATETIME_FORMAT")
        body = "\n\n".join(
            [
                _("%(recommender)s may recommend, return or decline in %(call)s until %(until)s (Beijing time).")
                % {"recommender": extension.recommender, "call": extension.call, "until": until},
                f"{_('Reason for the extension:')}\n{extension.reason}",
                _("Open the portal to see it."),
            ]
        )
        created = notifications.notify(
            recipients=recipients,
            key=f"recommender_extension:{extension.pk}:{event_id}",
            subject=_("Recommendation deadline extended: %(call)s") % {"call": extension.call},
            body=body,
            url=f"{reverse('projects:recommendation_inbox')}?call={extension.call_id}",
        )
    return len(created)
