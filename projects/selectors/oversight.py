"""Reads of the secretariat's view of the recommendation stage: per recommender, and the formal check's list.

Each function runs a fixed number of queries whatever the number of recommenders or applications.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from portal.models import Organisation
from projects.models import Application, ApplicationStatus, Call, QuotaOverride, RecommenderExtension
from projects.selectors.applications import with_extensions
from projects.selectors.recommendation import COUNTS_AS_RECOMMENDED

S = ApplicationStatus
FIGURES = ("received", "recommended", "returned", "declined", "undecided", "quota")
# Admitted by the formal check: under expert review, or in a later stage of it.
ADMITTED = (S.UNDER_REVIEW, S.SHORTLISTED, S.NOT_SELECTED, S.IN_PUBLICITY, S.ANNOUNCED)


@dataclass(frozen=True)
class RecommenderRow:
    """One recommender in one call: what it received and decided, its quota and its deadline."""

    recommender: Organisation
    received: int
    recommended: int
    returned: int
    declined: int
    undecided: int
    quota: int
    deadline: datetime
    extended_until: datetime | None
    passed: bool


@dataclass(frozen=True)
class Totals:
    received: int = 0
    recommended: int = 0
    returned: int = 0
    declined: int = 0
    undecided: int = 0
    quota: int = 0


@dataclass(frozen=True)
class RecommenderOverview:
    rows: list[RecommenderRow]
    totals: Totals
    # Still `submitted` though their recommender's deadline has passed: the secretariat may extend it.
    undecided_late: list[Application] = field(default_factory=list)


def recommender_rows(call: Call, now: datetime) -> list[RecommenderRow]:
    """One row per recommender named by an application of the call submitted at least once (two queries)."""
    figures = {
        row.pop("recommender_id"): row
        for row in Application.objects.filter(call=call, submission_count__gt=0, recommender__isnull=False)
        .values("recommender_id")
        .annotate(
            received=Count("pk"),
            recommended=Count("pk", filter=COUNTS_AS_RECOMMENDED),
            returned=Count("pk", filter=Q(status=S.RETURNED)),
            declined=Count("pk", filter=Q(status=S.NOT_RECOMMENDED)),
            undecided=Count("pk", filter=Q(status=S.SUBMITTED)),
        )
        .order_by()
    }
    if not figures:
        return []
    own = {"call": call, "recommender": OuterRef("pk")}
    recommenders = (
        Organisation.objects.filter(pk__in=figures)
        .annotate(
            quota_override=Subquery(QuotaOverride.objects.filter(**own).values("quota")[:1]),
            extended_until=Subquery(RecommenderExtension.objects.filter(**own).values("until")[:1]),
        )
        .order_by("kind", "name", "pk")
    )
    return [_row(call, recommender, figures[recommender.pk], now) for recommender in recommenders]


def _row(call: Call, recommender: Organisation, figures: dict[str, int], now: datetime) -> RecommenderRow:
    # As projects.rules.quota_for and recommendation_deadline decide, from the annotations.
    quota = recommender.quota_override if recommender.quota_override is not None else call.default_quota
    until = recommender.extended_until
    deadline = max(call.recommendation_deadline, until) if until else call.recommendation_deadline
    return RecommenderRow(
        recommender=recommender,
        quota=quota,
        deadline=deadline,
        extended_until=until,
        passed=now > deadline,
        **figures,
    )


def totals(rows: Iterable[RecommenderRow]) -> Totals:
    rows = list(rows)
    return Totals(**{name: sum(getattr(row, name) for row in rows) for name in FIGURES})


def undecided_after_deadline(call: Call, rows: Iterable[RecommenderRow]) -> list[Application]:
    """The call's applications still awaiting a decision whose recommender's deadline has passed (one query)."""
    late = [row.recommender.pk for row in rows if row.passed and row.undecided]
    if not late:
        return []
    return list(
        Application.objects.filter(call=call, status=S.SUBMITTED, recommender__in=late)
        .select_related("group", "standard", "recommender")
        .order_by("recommender__name", "submitted_at", "id")
    )


def recommender_overview(call: Call, now: datetime) -> RecommenderOverview:
    rows = recommender_rows(call, now)
    return RecommenderOverview(rows, totals(rows), undecided_after_deadline(call, rows))


# --- the formal check (形式审查) -----------------------------------------------------------------------
def check_open(now: datetime) -> Q:
    """Applications whose formal check may be made at `now`, as `projects.workflow.admit` decides: a ministry-
    managed group's at once, the others once their recommender's deadline, extension included, has passed."""
    extended = RecommenderExtension.objects.filter(
        call=OuterRef("call_id"), recommender=OuterRef("recommender_id"), until__gte=now
    )
    return Q(recommender__isnull=True) | (Q(call__recommendation_deadline__lt=now) & ~Q(Exists(extended)))


@dataclass(frozen=True)
class CheckRow:
    """A recommended application awaiting the formal check, and from when the check may be made."""

    application: Application
    opens_after: datetime | None  # the recommender's deadline; None for a ministry-managed group's
    open: bool


def awaiting_formal_check(call: Call, *, recommender: Organisation | None = None) -> QuerySet[Application]:
    """The call's recommended applications, by recommender and rank, with what the list shows joined."""
    queryset = Application.objects.filter(call=call, status=S.RECOMMENDED)
    if recommender is not None:
        queryset = queryset.filter(recommender=recommender)
    return with_extensions(
        queryset.select_related("call", "group", "standard", "recommender").order_by(
            "recommender__name", "recommendation_rank", "group__name", "id"
        )
    )


def check_rows(applications: Iterable[Application], now: datetime) -> list[CheckRow]:
    """Each application with the moment its formal check opens (`projects.workflow.admit` checks the same)."""
    rows = []
    for application in applications:
        if application.recommender_id is None:
            rows.append(CheckRow(application, None, True))
            continue
        until = application.recommender_extension_until
        deadline = application.call.recommendation_deadline
        opens_after = max(deadline, until) if until else deadline
        rows.append(CheckRow(application, opens_after, now > opens_after))
    return rows


@dataclass(frozen=True)
class CheckCounts:
    awaiting: int
    admitted: int
    ineligible: int
    # Of those awaiting: checkable now, and checkable only once their recommender's deadline has passed.
    ready: int = 0
    locked: int = 0


def check_counts(call: Call, now: datetime | None = None) -> CheckCounts:
    """One query: how many of the call's applications await the formal check (and how many of them may be
    checked at `now`), and its outcomes so far."""
    awaiting = Q(status=S.RECOMMENDED)
    figures = Application.objects.filter(call=call).aggregate(
        awaiting=Count("pk", filter=awaiting),
        ready=Count("pk", filter=awaiting & check_open(now or timezone.now())),
        admitted=Count("pk", filter=Q(status__in=ADMITTED)),
        ineligible=Count("pk", filter=Q(status=S.INELIGIBLE)),
    )
    return CheckCounts(**figures, locked=figures["awaiting"] - figures["ready"])


def check_recommenders(call: Call) -> QuerySet[Organisation]:
    """The recommenders of the call's applications awaiting the formal check: the list's filter."""
    ids = Application.objects.filter(call=call, status=S.RECOMMENDED, recommender__isnull=False).values(
        "recommender_id"
    )
    return Organisation.objects.filter(pk__in=ids).order_by("kind", "name")
