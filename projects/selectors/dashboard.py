"""What waits for a recommender and for the secretariat, per call, for the dashboard's next actions."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Organisation
from projects.models import Application, ApplicationStatus, Call, RecommenderExtension
from projects.selectors.oversight import check_open

S = ApplicationStatus


@dataclass(frozen=True)
class RecommenderTask:
    call: Call
    organisation: Organisation
    undecided: int
    deadline: datetime

    def passed(self, now: datetime) -> bool:
        return now > self.deadline


def waiting_for_recommender(organisations: list[Organisation]) -> list[RecommenderTask]:
    """Per call and organisation, the submitted applications awaiting its decision, soonest deadline first.

    Three queries whatever the number of calls: the counts, their calls, the organisations' extensions.
    """
    by_org = {organisation.pk: organisation for organisation in organisations}
    counts = list(
        Application.objects.filter(recommender__in=organisations, status=S.SUBMITTED)
        .values("call_id", "recommender_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    calls = Call.objects.in_bulk({row["call_id"] for row in counts})
    extended = {
        (extension.call_id, extension.recommender_id): extension.until
        for extension in RecommenderExtension.objects.filter(recommender__in=organisations, call__in=calls)
    }
    tasks = []
    for row in counts:
        call = calls[row["call_id"]]
        until = extended.get((call.pk, row["recommender_id"]))
        deadline = max(call.recommendation_deadline, until) if until else call.recommendation_deadline
        tasks.append(RecommenderTask(call, by_org[row["recommender_id"]], row["n"], deadline))
    return sorted(tasks, key=lambda task: (task.deadline, task.call.pk, task.organisation.name))


@dataclass(frozen=True)
class SecretariatTask:
    call: Call
    to_check: int
    undecided: int
    # Of `to_check`, those the formal check may take now; the others wait for their recommender's deadline.
    ready: int = 0

    @property
    def locked(self) -> int:
        return self.to_check - self.ready


def waiting_for_secretariat(now: datetime | None = None) -> list[SecretariatTask]:
    """Per call with anything to do: recommended applications awaiting the formal check (how many of them it may
    take at `now`), applications still awaiting their recommender's decision, and calls not published yet.
    One query."""
    calls = (
        Call.objects.annotate(
            to_check=_count_in_call(Q(status=S.RECOMMENDED)),
            undecided=_count_in_call(Q(status=S.SUBMITTED)),
            ready=_count_in_call(Q(status=S.RECOMMENDED) & check_open(now or timezone.now())),
        )
        .filter(Q(to_check__gt=0) | Q(undecided__gt=0) | Q(published_at__isnull=True))
        .order_by("-opens_at", "-pk")
    )
    return [SecretariatTask(call, call.to_check, call.undecided, call.ready) for call in calls]


def _count_in_call(condition: Q) -> Coalesce:
    """How many of the call's applications meet `condition`: a subquery per call on the (call, status) index,
    rather than a join of every call with all its applications."""
    applications = Application.objects.filter(condition, call=OuterRef("pk")).order_by().values("call")
    return Coalesce(Subquery(applications.annotate(n=Count("pk")).values("n")), 0)
