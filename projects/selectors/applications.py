"""Reads of applications: who sees which, what each list row shows, what a group may still apply with."""

from dataclasses import dataclass
from datetime import datetime

import django_filters
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import filters
from portal.choices import OrganisationKind
from portal.models import AuditEvent, Membership, Organisation, User
from portal.permissions import is_secretariat
from portal.workdays import local_zone
from projects import permissions, rules
from projects.models import (
    Application,
    ApplicationStatus,
    Call,
    DeadlineExtension,
    ImplementingEnterprise,
    RecommenderExtension,
)
from projects.permissions import SUBMITTED_ONCE
from standards.models import GroupStandard, SocialGroup

S = ApplicationStatus

# The states whose events carry a message from the recommender or the secretariat to the applicant.
MESSAGE_STATES = frozenset({S.RETURNED, S.NOT_RECOMMENDED, S.INELIGIBLE})


# --- who sees what ---------------------------------------------------------------------------------
def visible_applications(user: User) -> QuerySet[Application]:
    """What `permissions.can_view` lets the user see: those the user's organisations hold view rights on (the
    group's own, and, from submission on, those naming the user's department as recommender), and for the
    secretariat every application submitted at least once (a draft never submitted is its group's own)."""
    queryset = Application.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    granted = permissions.granted(user, "view_application")
    if is_secretariat(user):
        return queryset.filter(SUBMITTED_ONCE | granted)
    return queryset.filter(granted)


class ApplicationFilter(filters.FilterSet):
    call = filters.ModelChoiceFilter(
        label=gettext_lazy("Call"),
        queryset=Call.objects.published().order_by("-opens_at"),
        empty_label=gettext_lazy("All calls"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ApplicationStatus.choices, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = Application
        fields = ["call", "status"]


def with_extensions(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotated with the group's and the recommender's extensions in the call, for `deadline_of` to read."""
    extension = DeadlineExtension.objects.filter(call=OuterRef("call"), organisation=OuterRef("group")).values("until")[
        :1
    ]
    recommender_extension = RecommenderExtension.objects.filter(
        call=OuterRef("call"), recommender=OuterRef("recommender")
    ).values("until")[:1]
    return queryset.annotate(
        extension_until=Subquery(extension), recommender_extension_until=Subquery(recommender_extension)
    )


def application_search(*, user: User, params) -> ApplicationFilter:
    """The user's list: what they may see, filtered by call and status, in the list's order. Its rows are read
    by `listed` once a page of it is chosen."""
    queryset = visible_applications(user).order_by("-call__opens_at", "group__name", "group_rank", "id")
    return ApplicationFilter(params, queryset=queryset)


def listed(ids: list[int]) -> list[Application]:
    """The applications of one page, in its order, with what each row shows joined.

    A page is sorted on the ids alone and its twenty rows read afterwards: sorting the rows themselves made
    PostgreSQL join the standards and compute the deadline extensions for every application the user may see
    (some 4,000 for the secretariat), to show twenty.
    """
    rows = with_extensions(Application.objects.select_related("call", "group", "standard").only(*LIST_ROW))
    by_id = rows.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# What a list row reads (`list_rows`, the template): only these, not the sections' text, the call's notice or
# the standard's, which the sort would otherwise carry for every application the user may see.
LIST_ROW = (
    "status",
    "submission_count",
    "group_rank",
    "recommender_id",
    "call__title",
    "call__notice_number",
    "call__opens_at",
    "call__deadline",
    "call__recommendation_deadline",
    "group__name",
    "standard__number",
    "standard__number_as_typed",
    "standard__title_zh",
)


# --- what a list row shows -------------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    label: str
    at: datetime
    passed: bool


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    deadline: Deadline | None
    next_action: str


_NEXT_FOR_APPLICANT = {
    S.DRAFT: gettext_lazy("Complete every section and submit"),
    S.RETURNED: gettext_lazy("Revise as asked and submit again"),
    S.SUBMITTED: gettext_lazy("Wait for the recommender's decision"),
    S.RECOMMENDED: gettext_lazy("Wait for the secretariat's formal check"),
    S.UNDER_REVIEW: gettext_lazy("Wait for the expert review"),
    S.SHORTLISTED: gettext_lazy("Wait for the public notice"),
    S.IN_PUBLICITY: gettext_lazy("Wait for the end of the public notice"),
}
_NEXT_FOR_RECOMMENDER = {S.SUBMITTED: gettext_lazy("Recommend, return or decline")}
_NEXT_FOR_SECRETARIAT = {
    S.RECOMMENDED: gettext_lazy("Formal check"),
    S.UNDER_REVIEW: gettext_lazy("Follow the expert review"),
}


def deadline_of(application: Application, now: datetime) -> Deadline | None:
    """The date that matters next for the application: submission, resubmission or recommendation.

    Uses the annotations of `with_extensions` when present, so a list asks nothing more.
    """
    call = application.call
    if application.status == S.DRAFT:
        if hasattr(application, "extension_until"):
            until = application.extension_until
            at = max(call.deadline, until) if until else call.deadline
        else:
            at = rules.submission_deadline(call, application.group)
        return _deadline(_("Submission deadline"), at, now)
    if application.status == S.RETURNED:
        return _deadline(_("Resubmission deadline"), recommendation_deadline_of(application), now)
    if application.status == S.SUBMITTED:
        return _deadline(_("Recommendation deadline"), recommendation_deadline_of(application), now)
    return None


def recommendation_deadline_of(application: Application) -> datetime:
    """The application's recommender's deadline, with its extension (`rules.recommendation_deadline`)."""
    if not hasattr(application, "recommender_extension_until"):
        return rules.recommendation_deadline(application.call, application.recommender)
    until, deadline = application.recommender_extension_until, application.call.recommendation_deadline
    return max(deadline, until) if until else deadline


def _deadline(label: str, at: datetime, now: datetime) -> Deadline:
    return Deadline(label=label, at=at, passed=at < now)


def list_rows(user: User, applications: list[Application]) -> list[ApplicationRow]:
    """Rows for a page of `application_search`: each with its deadline and the next action of this user."""
    now = timezone.now()
    own = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    rows = []
    for application in applications:
        if application.group_id in own:
            next_action = _NEXT_FOR_APPLICANT.get(application.status, "")
        elif application.recommender_id in own:
            next_action = _NEXT_FOR_RECOMMENDER.get(application.status, "")
        else:
            next_action = _next_for_secretariat(application, now)
        rows.append(ApplicationRow(application, deadline_of(application, now), str(next_action)))
    return rows


def _next_for_secretariat(application: Application, now: datetime) -> str:
    """The formal check once it may be made (as `projects.workflow.admit` decides); until the recommender's
    deadline has passed, from when."""
    if application.status == S.RECOMMENDED and application.recommender_id is not None:
        deadline = recommendation_deadline_of(application)
        if now <= deadline:
            at = deadline.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
            return _("Ready after the recommendation deadline (%(at)s)") % {"at": at}
    return str(_NEXT_FOR_SECRETARIAT.get(application.status, ""))


def waiting_for_applicant(user: User, limit: int = 10) -> list[ApplicationRow]:
    """The user's groups' drafts and returned applications, soonest deadline first, for the dashboard."""
    queryset = with_extensions(
        Application.objects.filter(group__memberships__user=user, status__in=[S.DRAFT, S.RETURNED])
        .select_related("call", "group", "standard")
        .order_by("call__deadline", "id")
    )
    return list_rows(user, list(queryset[:limit]))


# --- one application -------------------------------------------------------------------------------
def application_with_details() -> QuerySet[Application]:
    """Applications with everything the detail, edit and print pages show, in a fixed number of queries
    (the extensions annotated, so the deadlines ask nothing more)."""
    return (
        with_extensions(Application.objects)
        .select_related("call", "group", "standard__issuer__organisation", "recommender", "created_by")
        .prefetch_related(
            "indicators",
            Prefetch("enterprises", queryset=ImplementingEnterprise.objects.order_by("position", "id")),
            "attachments",
            Prefetch("standard__co_issuers", queryset=SocialGroup.objects.select_related("organisation")),
        )
    )


def messages_in(events: list[AuditEvent]) -> list[AuditEvent]:
    """The events that carry a message to the applicant: a return, a decline or a finding of ineligibility."""
    return [event for event in events if event.to_state in MESSAGE_STATES and event.note.strip()]


# --- starting an application -----------------------------------------------------------------------
def applicant_groups(user: User) -> list[Organisation]:
    """The active social groups the user acts for."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, is_active=True, kind=OrganisationKind.SOCIAL_GROUP
        ).order_by("name")
    )


@dataclass(frozen=True)
class Candidate:
    """A standard the group might apply with in a call, and why it may not (empty when it may)."""

    group: Organisation
    standard: GroupStandard
    problems: list[str]
    existing: Application | None = None


def candidate_standards(call: Call, groups: list[Organisation]) -> list[Candidate]:
    """Each group's issued or co-issued standards, with the eligibility problems of each in this call."""
    live = {
        application.standard_id: application
        for application in Application.objects.filter(call=call).exclude(status=S.WITHDRAWN)
    }
    candidates = []
    for group in groups:
        standards = (
            GroupStandard.objects.filter(Q(issuer__organisation=group) | Q(co_issuers__organisation=group))
            .distinct()
            .select_related("issuer__organisation")
            .prefetch_related("co_issuers")
            .order_by("number")
        )
        for standard in standards:
            problems = rules.standard_problems(call, group, standard)
            existing = live.get(standard.pk)
            if existing is not None:
                problems.append(
                    _("%(number)s already has an application in this call.") % {"number": standard.display_number}
                )
            candidates.append(Candidate(group, standard, problems, existing))
    return candidates
