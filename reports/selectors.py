"""The programme in numbers, read as GROUP BY aggregates: a fixed number of queries, whatever the data's size.

The public register's figures count the announced projects of published announcements, as /projects/ lists
them. A call's funnel counts each application once per stage it reached, read from the audit trail (every
transition writes one row, `to_state` its new status): an application withdrawn after its admission still
counts as submitted, recommended and admitted, which its current status alone would not say.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from portal.models import AuditEvent
from projects.models import Application, ApplicationStatus, Call
from publicity.models import AnnouncedProject, Objection, ObjectionStatus
from publicity.models.objections import PENDING
from publicity.selectors.register import register_projects
from reviews.models import Assignment, AssignmentStatus, ReviewStatus

S = ApplicationStatus
TOP_GROUPS = 10

# --- the public register -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFigures:
    """Counts of announced projects: (key, count) pairs, keys as stored (a year, a province's code, ...)."""

    total: int
    by_year: list[tuple[int, int]]
    by_province: list[tuple[str, int]]
    by_field: list[tuple[str, int]]
    by_type: dict[str, int]
    top_groups: list[tuple[str, int]]


def announced_projects() -> QuerySet[AnnouncedProject]:
    """The register's projects, as /projects/ lists them, without its joins and order (the counts group them)."""
    return register_projects().select_related(None).only("pk").order_by()


def _counted(projects: QuerySet[AnnouncedProject], key: str) -> QuerySet:
    return projects.values(key).annotate(count=Count("pk")).values_list(key, "count")


def register_figures() -> RegisterFigures:
    """The register's counts per year, province, industry field, type and social group, in five queries."""
    projects = announced_projects()
    types = projects.aggregate(
        total=Count("pk"),
        innovative=Count("pk", filter=Q(innovative=True)),
        advanced=Count("pk", filter=Q(advanced=True)),
        international=Count("pk", filter=Q(international=True)),
    )
    # Groups by the name the announcement published (imported lists of earlier years link no registry row).
    top_groups = _counted(projects, "group_name").order_by("-count", "group_name")[:TOP_GROUPS]
    return RegisterFigures(
        total=types.pop("total"),
        by_year=list(_counted(projects, "year").order_by("year")),
        by_province=list(_counted(projects, "province").order_by("-count", "province")),
        by_field=list(_counted(projects, "industry_field").order_by("-count", "industry_field")),
        by_type=types,
        top_groups=list(top_groups),
    )


# --- a call's funnel -----------------------------------------------------------------------------------

STAGES = ("submitted", "recommended", "admitted", "reviewed", "shortlisted", "announced")
# The audit rows that show an application reached each stage. A direct (部管社会团体) submission goes to
# "recommended" in one move; "reviewed" is also reached when every active assignment has its review in.
REACHED_BY = {
    "submitted": Q(action="application.submit"),
    "recommended": Q(to_state=S.RECOMMENDED),
    "admitted": Q(to_state=S.UNDER_REVIEW),
    "reviewed": Q(to_state__in=[S.SHORTLISTED, S.NOT_SELECTED]),
    "shortlisted": Q(to_state=S.SHORTLISTED),
    "announced": Q(to_state=S.ANNOUNCED),
}


@dataclass
class FunnelRow:
    """One line of the funnel: the whole call, a province (the group's) or a recommender."""

    key: str | int | None
    name: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    withdrawn: int = 0

    def add(self, counts: dict[str, int], withdrawn: int) -> None:
        for stage in STAGES:
            self.counts[stage] += counts[stage]
        self.withdrawn += withdrawn

    @property
    def stages(self) -> list[int]:
        return [self.counts[stage] for stage in STAGES]


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    by_province: list[FunnelRow]
    by_recommender: list[FunnelRow]


def _reached(stage: str) -> Exists:
    audit = AuditEvent.objects.filter(
        REACHED_BY[stage],
        target_type=ContentType.objects.get_for_model(Application),
        target_id=Cast(OuterRef("pk"), CharField()),
        action__startswith="application.",
    )
    return Exists(audit)


def _reviews_all_in() -> Q:
    active = Assignment.objects.filter(application=OuterRef("pk"), status=AssignmentStatus.ACTIVE)
    outstanding = active.filter(Q(review__isnull=True) | ~Q(review__status=ReviewStatus.SUBMITTED))
    return Q(Exists(active)) & ~Q(Exists(outstanding))


def funnel(call: Call) -> Funnel:
    """How many of the call's applications reached each stage, in all, per province and per recommender.

    One query, grouped by the group's province and the recommender; the two views are summed from its rows.
    """
    flags = {f"reached_{stage}": _reached(stage) for stage in STAGES}
    counts = {stage: Count("pk", filter=Q(**{f"reached_{stage}": True})) for stage in STAGES}
    counts["reviewed"] = Count("pk", filter=Q(reached_reviewed=True) | _reviews_all_in())
    rows = (
        Application.objects.filter(call=call)
        .alias(**flags)
        .values("group__province", "recommender_id", "recommender__name")
        .annotate(**counts, withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)))
        .order_by()
    )
    total = FunnelRow(key=None)
    provinces: dict[str, FunnelRow] = {}
    recommenders: dict[int | None, FunnelRow] = {}
    for row in rows:
        stage_counts = {stage: row[stage] for stage in STAGES}
        province = provinces.setdefault(row["group__province"], FunnelRow(key=row["group__province"]))
        recommender = recommenders.setdefault(
            row["recommender_id"], FunnelRow(key=row["recommender_id"], name=row["recommender__name"] or "")
        )
        for line in (total, province, recommender):
            line.add(stage_counts, row["withdrawn"])
    return Funnel(
        total=total,
        by_province=_largest_first(provinces.values()),
        by_recommender=_largest_first(recommenders.values()),
    )


def _largest_first(rows) -> list[FunnelRow]:
    return sorted(rows, key=lambda row: (-row.counts["submitted"], row.name, str(row.key or "")))


# --- a call's review progress and objections -------------------------------------------------------------


@dataclass(frozen=True)
class ExpertProgress:
    expert_id: int
    name: str
    affiliation: str
    assigned: int
    submitted: int
    declined: int

    @property
    def outstanding(self) -> int:
        return self.assigned - self.submitted


def review_progress(call: Call) -> list[ExpertProgress]:
    """Per expert with an assignment in the call: active assignments, reviews submitted, assignments declined."""
    active = Q(status=AssignmentStatus.ACTIVE)
    rows = (
        Assignment.objects.filter(application__call=call)
        .values("expert_id", "expert__user__name", "expert__user__username", "expert__affiliation")
        .annotate(
            assigned=Count("pk", filter=active),
            submitted=Count("pk", filter=active & Q(review__status=ReviewStatus.SUBMITTED)),
            declined=Count("pk", filter=Q(status=AssignmentStatus.DECLINED)),
        )
        .order_by("expert__user__name", "expert_id")
    )
    return [
        ExpertProgress(
            expert_id=row["expert_id"],
            name=row["expert__user__name"] or row["expert__user__username"],
            affiliation=row["expert__affiliation"],
            assigned=row["assigned"],
            submitted=row["submitted"],
            declined=row["declined"],
        )
        for row in rows
    ]


def objection_counts(call: Call) -> dict[str, int]:
    """The objections to the call's notice: in all, still pending, upheld, dismissed."""
    return Objection.objects.filter(notice__call=call).aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status__in=PENDING)),
        upheld=Count("pk", filter=Q(status=ObjectionStatus.UPHELD)),
        dismissed=Count("pk", filter=Q(status=ObjectionStatus.DISMISSED)),
    )


@dataclass(frozen=True)
class CallFigures:
    funnel: Funnel
    experts: list[ExpertProgress]
    objections: dict[str, int]


FIGURES_KEY = "reports:call:{}:{}"
FIGURES_SECONDS = 300


def call_figures(call: Call) -> CallFigures:
    """The call's funnel, review progress and objections, from the shared cache while no audit event has been
    written since they were counted.

    Every move they count writes one (a transition, an assignment made or declined, a review submitted or
    reopened, an objection's step), so the latest event's id says whether they may have changed: one index
    lookup, where counting them again reads every application of the call and its audit trail.
    """
    latest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    key = FIGURES_KEY.format(call.pk, latest)
    figures = cache.get(key)
    if figures is None:
        figures = CallFigures(funnel(call), review_progress(call), objection_counts(call))
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def calls_for_secretariat() -> QuerySet[Call]:
    """Every call, newest first, for the secretariat's links to their funnels."""
    return Call.objects.only("pk", "year", "title", "notice_number").order_by("-year", "-pk")
