"""The review stage's messages about assignments: to the expert assigned, to the secretariat when an expert
declares a conflict, and the reminders before a review is due. Composed in the portal's language (Chinese by
default), each keyed by its cause so that a task run twice sends nothing twice; called by `reviews.tasks`.
"""

import datetime
from collections import defaultdict

from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import notifications
from portal.choices import OrganisationKind
from portal.models import User
from reviews.models import Assignment, AssignmentStatus, Reminder, ReviewStatus

ACTIVE = AssignmentStatus.ACTIVE


def send_assigned(*, assignment_ids: list[int], event_id: int) -> int:
    """Tell each expert, once per audit event, which applications they are asked to review (portal and mail)."""
    rows = Assignment.objects.filter(pk__in=assignment_ids, status=ACTIVE).select_related(
        "expert__user", "application__standard", "application__call"
    )
    by_expert: dict[int, list[Assignment]] = defaultdict(list)
    for row in rows.order_by("application_id"):
        by_expert[row.expert_id].append(row)
    sent = 0
    with translation.override(django_settings.LANGUAGE_CODE):
        for expert_id, assignments in by_expert.items():
            titles = "\n".join(f"- {row.application}" for row in assignments)
            subject = ngettext(
                "You are asked to review %(count)s application",
                "You are asked to review %(count)s applications",
                len(assignments),
            ) % {"count": len(assignments)}
            body = "\n\n".join(
                [
                    _("The secretariat asks you to review, in %(call)s:") % {"call": assignments[0].application.call},
                    titles,
                    _("Open your review queue in the portal to start."),
                ]
            )
            sent += len(
                notifications.notify(
                    recipients=[assignments[0].expert.user],
                    key=f"assignment:{event_id}:{expert_id}",
                    subject=subject,
                    body=body,
                    url=reverse("projects:application_detail", kwargs={"pk": assignments[0].application_id}),
                )
            )
    return sent


def _secretariat() -> list[User]:
    users = User.objects.filter(memberships__organisation__kind=OrganisationKind.MINISTRY, is_active=True)
    return list(users.distinct().order_by("pk"))


def send_declined(*, assignment_id: int, event_id: int) -> int:
    """Tell the secretariat an expert declared a conflict, with the reason, so that it reassigns."""
    assignment = Assignment.objects.select_related("expert__user", "application__standard").get(pk=assignment_id)
    with translation.override(django_settings.LANGUAGE_CODE):
        values = {"expert": assignment.expert.user.get_full_name(), "application": assignment.application}
        return len(
            notifications.notify(
                recipients=_secretariat(),
                key=f"assignment:{assignment.pk}:declined:{event_id}",
                subject=_("%(expert)s declared a conflict of interest: %(application)s") % values,
                body="\n\n".join(
                    [
                        _("%(expert)s declined to review %(application)s.") % values,
                        _("Reason: %(reason)s") % {"reason": assignment.end_reason},
                        _("Open the application's assignments to choose a replacement."),
                    ]
                ),
                url=reverse("reviews:application_assignments", kwargs={"pk": assignment.application_id}),
            )
        )


def send_reminder(assignment: Assignment, *, day) -> int:
    """Remind the expert of the assignment's due date (once per day: the key holds the day)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        due = timezone.localtime(assignment.due_at, timezone.get_default_timezone())
        values = {"application": assignment.application, "due": due.strftime("%Y-%m-%d %H:%M")}
        return len(
            notifications.notify(
                recipients=[assignment.expert.user],
                key=f"assignment:{assignment.pk}:reminder:{day.isoformat()}",
                subject=_("Review due %(due)s: %(application)s") % values,
                body=_("Your review of %(application)s is due %(due)s (Beijing time).") % values,
                url=reverse("projects:application_detail", kwargs={"pk": assignment.application_id}),
            )
        )


# Reminders: once three days before the due date, then every day until the review is submitted.
REMIND_DAYS_BEFORE = 3


def send_due_reminders(*, today=None) -> int:
    """Remind every expert whose active assignment is due within three days (or overdue) and whose review is not
    submitted; each reminder is recorded once per assignment and day, so running this twice a day sends one."""
    today = today or timezone.localdate()
    # Due on day D (Beijing time) is reminded from D − 3 on: due before the start of today + 4.
    after = today + datetime.timedelta(days=REMIND_DAYS_BEFORE + 1)
    horizon = datetime.datetime.combine(after, datetime.time.min, tzinfo=timezone.get_default_timezone())
    due = (
        Assignment.objects.filter(status=ACTIVE, due_at__isnull=False, due_at__lt=horizon)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .exclude(reminders__sent_on=today)
        .select_related("expert__user", "application__standard")
        .order_by("pk")
    )
    sent = 0
    for assignment in due:
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(assignment=assignment, sent_on=today)
            if created:
                send_reminder(assignment, day=today)
                sent += 1
    return sent
