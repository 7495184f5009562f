"""Reads of the ranking: a call's (or a panel's) applications with their aggregates in the call's order, and the
reviews' detail the export writes.

The whole call is read to rank it (the z-scores need every review of each expert), in three queries of plain
values whatever its size: the applications, their assignment counts and the submitted reviews' totals. Only the
page shown is then read as model rows (`page_applications`).

The ranking page reads it through the shared cache (`ranked_rows`): ranking 2,600 applications takes tens of
milliseconds of arithmetic, and a secretariat reading it page by page asks the same again and again. The key holds
a fingerprint of everything the figures rest on, read in one aggregate query (the call's assignments and
reviews: counts and latest changes; the applications ranked), so that a review submitted or reopened, an
assignment made or ended, or an application admitted shows at once, without any writer having to remember to
invalidate it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from projects.models import Application, ApplicationStatus, Call
from reviews import aggregation
from reviews.aggregation import Aggregate, Candidate, ReviewTotal
from reviews.models import (
    AssignmentStatus,
    Criterion,
    Panel,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)

S = ApplicationStatus
# Applications that went through the expert review: those under it and those it has decided on.
RANKED = (S.UNDER_REVIEW, S.SHORTLISTED, S.NOT_SELECTED, S.IN_PUBLICITY, S.ANNOUNCED)

# What the ranking may be sorted by besides its own order, each highest first (`-` for the reverse).
SORTS = {
    "rank": None,
    "mean": "mean",
    "trimmed_mean": "trimmed_mean",
    "normalised": "normalised",
    "stdev": "stdev",
    "reviews": "reviews_in",
}


@dataclass(frozen=True)
class Ranking:
    call: Call
    settings: ReviewSettings
    panel: Panel | None
    rows: list[Aggregate]  # every candidate, in the call's order (`rank`)

    @property
    def incomplete(self) -> list[Aggregate]:
        return [row for row in self.rows if not row.all_in]


def settings_of(call: Call) -> ReviewSettings:
    """The call's review settings (read with the call when it was `select_related`), or the defaults (unsaved)
    before anyone saved or froze them."""
    try:
        return call.review_settings
    except ReviewSettings.DoesNotExist:
        return ReviewSettings(call=call)


def candidates(call: Call, panel: Panel | None = None) -> QuerySet[Application]:
    applications = Application.objects.filter(call=call, status__in=RANKED)
    if panel is not None:
        # The panel's field, and any application one of its experts was assigned to through it.
        in_panel = Application.objects.filter(assignments__panel=panel).values("pk")
        applications = applications.filter(Q(industry_field=panel.field) | Q(pk__in=in_panel))
    return applications


def submitted_reviews(call: Call) -> QuerySet:
    return Review.objects.filter(
        status=ReviewStatus.SUBMITTED,
        assignment__status=AssignmentStatus.ACTIVE,
        assignment__application__call=call,
    )


def ranking(call: Call, *, panel: Panel | None = None) -> Ranking:
    """The call's (or panel's) applications that went through review, aggregated and ranked by the call's rules."""
    settings = settings_of(call)
    applications = candidates(call, panel)
    active = Count("assignments", filter=Q(assignments__status=AssignmentStatus.ACTIVE))
    rows = applications.annotate(assigned=active).values_list("pk", "assigned", "submitted_at").order_by()
    reviews = submitted_reviews(call).values_list(
        "assignment__application_id", "assignment__expert_id", "total", "recommendation"
    )
    aggregates = aggregation.aggregate(
        [Candidate(pk, assigned, submitted_at) for pk, assigned, submitted_at in rows],
        [
            ReviewTotal(application_id, expert_id, total, recommendation == Recommendation.RECOMMEND)
            for application_id, expert_id, total, recommendation in reviews
        ],
        divergence_threshold=settings.divergence_threshold,
    )
    ordered = aggregation.rank(aggregates.values(), rank_by=settings.rank_by, tie_break=settings.tie_break)
    return Ranking(call=call, settings=settings, panel=panel, rows=ordered)


# --- the ranking page's rows, through the shared cache ---------------------------------------------------------
RANKING_TTL = 3600
# What a cached row keeps of an Aggregate: plain values (Decimals as text), cheap to (un)pickle by the thousand.
_KEPT = ("application_id", "assigned", "rank", "tied", "recommendations", "divergent", "reviews_in")
_DECIMALS = ("mean", "trimmed_mean", "stdev", "normalised")


@dataclass(frozen=True)
class Row:
    """One ranked application as the page shows it (the figures of an `Aggregate`, without its reviews)."""

    application_id: int
    assigned: int
    rank: int
    tied: bool
    recommendations: int
    divergent: bool
    reviews_in: int
    mean: Decimal | None
    trimmed_mean: Decimal | None
    stdev: Decimal | None
    normalised: Decimal | None

    @property
    def all_in(self) -> bool:
        return self.assigned > 0 and self.reviews_in >= self.assigned


def _kept(row: Aggregate) -> tuple:
    decimals = tuple(None if getattr(row, name) is None else str(getattr(row, name)) for name in _DECIMALS)
    return tuple(getattr(row, name) for name in _KEPT) + decimals


def _row(kept: tuple) -> Row:
    plain, decimals = kept[: len(_KEPT)], kept[len(_KEPT) :]
    return Row(*plain, *(None if value is None else Decimal(value) for value in decimals))


def fingerprint(call: Call, panel: Panel | None) -> tuple:
    """What the ranking's figures rest on, in one aggregate query (see the module's docstring): the call's
    assignments and reviews (a panel's z-scores rest on the whole call's), and the applications ranked."""
    # Row by row over the join, as `candidates` filters (a subquery here would double the query's time).
    ranked = Q(status__in=RANKED)
    if panel is not None:
        ranked &= Q(industry_field=panel.field) | Q(assignments__panel=panel)
    submitted = Q(assignments__review__status=ReviewStatus.SUBMITTED)
    changes = Application.objects.filter(call=call).aggregate(
        ranked=Count("pk", filter=ranked, distinct=True),
        assignment_count=Count("assignments"),
        assigned=Max("assignments__assigned_at"),
        ended=Max("assignments__ended_at"),
        reviews=Count("assignments__review", filter=submitted),
        saved=Max("assignments__review__updated_at"),
        changed=Max("updated_at"),  # an application admitted, decided or withdrawn
    )
    return tuple(value.isoformat() if hasattr(value, "isoformat") else value for value in changes.values())


def ranked_rows(call: Call, *, panel: Panel | None = None) -> tuple[ReviewSettings, list[tuple], int]:
    """The call's (or panel's) ranking as `_kept` tuples in the call's order, and how many are incomplete; from
    the shared cache while nothing it rests on changed."""
    settings = settings_of(call)
    rules = (settings.rank_by, settings.tie_break, str(settings.divergence_threshold))
    key = "ranking:" + ":".join(map(str, (call.pk, panel.pk if panel else 0, *rules, *fingerprint(call, panel))))
    cached = cache.get(key)
    if cached is None:
        fresh = ranking(call, panel=panel)
        cached = ([_kept(row) for row in fresh.rows], len(fresh.incomplete))
        cache.set(key, cached, RANKING_TTL)
    rows, incomplete = cached
    return settings, rows, incomplete


# Positions of the sortable figures in a `_kept` tuple.
_KEPT_INDEX = {name: index for index, name in enumerate(_KEPT + _DECIMALS)}


def sorted_kept(rows: list[tuple], sort: str) -> list[tuple]:
    """`_kept` tuples by `sort` (a key of SORTS, `-` first to reverse), highest first and the blanks last; the
    call's order for anything else."""
    name = SORTS.get(sort.removeprefix("-"))
    if name is not None:
        index = _KEPT_INDEX[name]
        present = [row for row in rows if row[index] is not None]
        absent = [row for row in rows if row[index] is None]
        number = float if name in _DECIMALS else int
        rows = sorted(present, key=lambda row: number(row[index]), reverse=True) + absent
    return rows[::-1] if sort.startswith("-") else rows


def rows_of(kept: list[tuple]) -> list[Row]:
    return [_row(item) for item in kept]


def page_applications(ids: list[int]) -> dict[int, Application]:
    """The page's applications with what a row shows, in one query."""
    rows = Application.objects.filter(pk__in=ids).select_related("standard", "group", "recommender")
    return {application.pk: application for application in rows.only(*ROW_FIELDS)}


ROW_FIELDS = (
    "pk",
    "status",
    "industry_field",
    "submitted_at",
    "call_id",
    "standard__number",
    "standard__number_as_typed",
    "standard__title_zh",
    "group__name",
    "group__short_name",
    "recommender__name",
    "recommender__short_name",
)


# --- the export's detail -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewDetail:
    application_id: int
    expert_id: int
    expert: str
    affiliation: str
    total: object
    recommendation: str
    opinion: str
    submitted_at: object
    scores: dict[int, tuple[object, str]]  # criterion pk → (score, comment)


def criteria(call: Call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def review_details(call: Call, application_ids: set[int]) -> Iterator[ReviewDetail]:
    """Each submitted review of the applications with its scores, by application then expert; in chunks, so
    that a call of thousands of reviews is written without holding every row at once."""
    reviews = (
        submitted_reviews(call)
        .filter(assignment__application_id__in=application_ids)
        .select_related("assignment__expert__user")
        .order_by("assignment__application_id", "assignment__expert__user__name", "pk")
    )
    chunk: list[Review] = []
    for review in reviews.iterator(chunk_size=500):
        chunk.append(review)
        if len(chunk) == 500:
            yield from _with_scores(chunk)
            chunk = []
    yield from _with_scores(chunk)


def _with_scores(reviews: list[Review]) -> Iterator[ReviewDetail]:
    scores: dict[int, dict[int, tuple[object, str]]] = {review.pk: {} for review in reviews}
    for review_id, criterion_id, score, comment in Score.objects.filter(review__in=reviews).values_list(
        "review_id", "criterion_id", "score", "comment"
    ):
        scores[review_id][criterion_id] = (score, comment)
    for review in reviews:
        expert = review.assignment.expert
        yield ReviewDetail(
            application_id=review.assignment.application_id,
            expert_id=expert.pk,
            expert=str(expert.user),
            affiliation=expert.affiliation,
            total=review.total,
            recommendation=review.get_recommendation_display(),
            opinion=review.opinion,
            submitted_at=review.submitted_at,
            scores=scores[review.pk],
        )
