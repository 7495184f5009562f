"""Reads about calls (申报批次): the open ones with their time left, the public list, a call's figures.

Each function runs a fixed number of queries whatever the number of calls, so list pages stay flat.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _

from portal.choices import OrganisationKind
from portal.models import Organisation
from projects.models import Application, ApplicationStatus, Call, CallPhase, DeadlineExtension, QuotaOverride
from projects.permissions import SUBMITTED_ONCE

RECOMMENDER_KINDS = (OrganisationKind.PROVINCIAL_DEPARTMENT, OrganisationKind.INDUSTRY_DELEGATE)


@dataclass(frozen=True)
class CallEntry:
    """A call as a list shows it at `now`: its phase, its next date and, for a group, its own extension."""

    call: Call
    now: datetime
    phase: CallPhase
    milestone_label: str = ""
    milestone: datetime | None = None
    # Open for submissions at `now`, for everyone or, through `extensions`, for the group asking.
    is_open: bool = False
    extensions: list[DeadlineExtension] = field(default_factory=list)

    @property
    def time_left(self) -> str:
        """Until the next date, in words ("2 weeks, 3 days"); empty once the call has no date ahead."""
        return timeuntil(self.milestone, self.now) if self.milestone else ""


MILESTONE_LABELS = {
    CallPhase.UPCOMING: _("Submission opens"),
    CallPhase.OPEN: _("Submission closes"),
    CallPhase.RECOMMENDING: _("Recommendations close"),
    CallPhase.PUBLICITY: _("Public notice closes"),
}


def call_entry(call: Call, now: datetime, extensions: Iterable[DeadlineExtension] = ()) -> CallEntry:
    """The call at `now`; an extension still running makes it open for its group until the extension's end."""
    phase = call.phase(now)
    running = [extension for extension in extensions if extension.until > call.deadline]
    latest = max((extension.until for extension in running), default=None)
    if latest is not None and call.opens_at <= now <= latest:
        return CallEntry(call, now, phase, MILESTONE_LABELS[CallPhase.OPEN], latest, True, running)
    milestone = {
        CallPhase.UPCOMING: call.opens_at,
        CallPhase.OPEN: call.deadline,
        CallPhase.RECOMMENDING: call.recommendation_deadline,
    }.get(phase)
    if phase == CallPhase.PUBLICITY:
        milestone = call.publicity_window()[1]  # counted on the calendar: only for the call in its notice
    label = MILESTONE_LABELS.get(phase, "")
    return CallEntry(call, now, phase, label, milestone, phase == CallPhase.OPEN, running)


def open_calls(now: datetime, *, groups: Iterable[Organisation] = ()) -> list[CallEntry]:
    """Published calls open for submissions at `now`, soonest deadline first (the home page, the applicant's
    dashboard, the start of an application).

    With `groups` (an applicant's social groups), also the calls whose deadline passed but whose extension for
    one of them still runs, each with those extensions: one query more, whatever the number of calls.
    """
    group_ids = [group.pk for group in groups]
    still_open = Q(deadline__gte=now)
    calls = Call.objects.published().filter(opens_at__lte=now)
    if group_ids:
        extended = DeadlineExtension.objects.filter(organisation_id__in=group_ids, until__gte=now)
        still_open |= Q(pk__in=extended.values("call_id"))
        calls = calls.prefetch_related(
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.filter(organisation_id__in=group_ids).select_related("organisation"),
                to_attr="group_extensions",
            )
        )
    entries = [call_entry(call, now, getattr(call, "group_extensions", ())) for call in calls.filter(still_open)]
    return sorted(entries, key=lambda entry: (entry.milestone, entry.call.pk))


def call_list(now: datetime, *, unpublished: bool = False) -> QuerySet[Call]:
    """The published calls (with `unpublished`, the secretariat's drafts too): those still to close first
    (soonest deadline first), then past ones (latest first)."""
    is_past = Case(When(deadline__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    current_deadline = Case(When(deadline__gte=now, then=F("deadline")))
    calls = Call.objects.all() if unpublished else Call.objects.published()
    return calls.annotate(is_past=is_past, current_deadline=current_deadline).order_by(
        "is_past", F("current_deadline").asc(nulls_last=True), "-deadline", "-pk"
    )


def is_frozen(call: Call) -> bool:
    """A call's rules freeze once any of its applications has been submitted (even if later withdrawn)."""
    return Application.objects.filter(call=call, submission_count__gt=0).exists()


@dataclass(frozen=True)
class StatusCount:
    status: ApplicationStatus
    count: int


def application_counts(call: Call) -> list[StatusCount]:
    """How many of the call's applications submitted at least once are in each status, in the lifecycle's order
    (zeros left out). The secretariat reads them: drafts never submitted are their groups' own, and not counted."""
    submitted = Application.objects.filter(SUBMITTED_ONCE, call=call)
    rows = dict(submitted.values_list("status").annotate(n=Count("id")).order_by())
    return [StatusCount(status, rows[status]) for status in ApplicationStatus if rows.get(status)]


def quota_overrides(call: Call) -> QuerySet[QuotaOverride]:
    return call.quota_overrides.select_related("recommender").order_by("recommender__kind", "recommender__name")


def extensions(call: Call) -> QuerySet[DeadlineExtension]:
    return call.extensions.select_related("organisation", "granted_by").order_by("organisation__name")


def extensions_for_groups(call: Call, groups: Iterable[Organisation]) -> list[DeadlineExtension]:
    """The extensions of `call` granted to the given groups: what an applicant may see of them."""
    group_ids = [group.pk for group in groups]
    if not group_ids:
        return []
    return list(call.extensions.filter(organisation_id__in=group_ids).select_related("organisation"))


def recommenders() -> QuerySet[Organisation]:
    """The organisations a quota may be set for: active provincial departments and industry delegates."""
    return Organisation.objects.filter(kind__in=RECOMMENDER_KINDS, is_active=True).order_by("kind", "name")


def social_groups() -> QuerySet[Organisation]:
    """The organisations an extension may be granted to."""
    return Organisation.objects.filter(kind=OrganisationKind.SOCIAL_GROUP, is_active=True).order_by("name")
