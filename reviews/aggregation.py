"""The arithmetic of the ranking, without the database: per application the reviews' totals aggregated, per
expert the totals normalised, and the order the call's settings give.

- `mean`: the mean of the submitted reviews' weighted totals, on 100.
- `trimmed_mean`: the same without one highest and one lowest total, from five reviews on (below five it is
  the mean: dropping two of four would leave too little to judge by).
- `stdev`: the sample standard deviation of the totals (n − 1; none below two reviews); `divergent` when it is
  past the call's threshold, so that the secretariat looks at why the experts disagree.
- `normalised`: the mean of the reviews' z-scores, each review's total against its expert's own totals in the
  call, (total − the expert's mean) / the expert's population standard deviation: a strict expert's 70 and a
  lenient one's 90 may say the same. An expert with fewer than two reviews, or the same total every time,
  gives 0 (the review says nothing about where it stands among theirs).
Decimals are rounded half-up to two places, z-scores to three, as the paper forms round.

The order: the call's aggregate, highest first (applications without a submitted review last), then its
tie-break (`TieBreak`), then the earlier submission, then the application's number, so that the order is total
and the same on every run. `tied` marks a row whose aggregate another row shares: its place was decided by the
tie-break, which the page says.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from reviews.models import RankBy, TieBreak

PLACES = Decimal("0.01")
Z_PLACES = Decimal("0.001")
TRIM_FROM = 5


@dataclass(frozen=True)
class ReviewTotal:
    """One submitted review as the ranking reads it."""

    application_id: int
    expert_id: int
    total: Decimal
    recommends: bool


@dataclass(frozen=True)
class Candidate:
    """An application the ranking orders: how many experts it has, and when it was submitted."""

    application_id: int
    assigned: int
    submitted_at: datetime | None


@dataclass
class Aggregate:
    application_id: int
    assigned: int
    submitted_at: datetime | None
    totals: list[Decimal] = field(default_factory=list)
    z_scores: dict[int, Decimal] = field(default_factory=dict)  # expert → the z-score of their review
    recommendations: int = 0
    mean: Decimal | None = None
    trimmed_mean: Decimal | None = None
    stdev: Decimal | None = None
    normalised: Decimal | None = None
    divergent: bool = False
    rank: int = 0
    tied: bool = False

    @property
    def reviews_in(self) -> int:
        return len(self.totals)

    @property
    def all_in(self) -> bool:
        return self.assigned > 0 and self.reviews_in >= self.assigned

    def value(self, rank_by: str) -> Decimal | None:
        return getattr(self, rank_by)


def _round(value: float | Decimal, places: Decimal = PLACES) -> Decimal:
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def mean(totals: list[Decimal]) -> Decimal | None:
    return _round(sum(totals, Decimal(0)) / len(totals)) if totals else None


def trimmed_mean(totals: list[Decimal]) -> Decimal | None:
    if len(totals) < TRIM_FROM:
        return mean(totals)
    return mean(sorted(totals)[1:-1])


def stdev(totals: list[Decimal]) -> Decimal | None:
    # In Decimal by hand: `statistics.stdev` is exact but goes through Fractions, 50 times slower on a call.
    if len(totals) < 2:
        return None
    centre = sum(totals, Decimal(0)) / len(totals)
    squares = sum(((total - centre) ** 2 for total in totals), Decimal(0))
    return _round((squares / (len(totals) - 1)).sqrt())


def mean_z(values: list[Decimal]) -> Decimal | None:
    return _round(sum(values, Decimal(0)) / len(values), Z_PLACES) if values else None


def z_scores(reviews: Iterable[ReviewTotal]) -> dict[tuple[int, int], Decimal]:
    """Each review's z-score among its expert's reviews, keyed (application, expert)."""
    by_expert: dict[int, list[ReviewTotal]] = defaultdict(list)
    for review in reviews:
        by_expert[review.expert_id].append(review)
    scores = {}
    for expert_reviews in by_expert.values():
        totals = [float(review.total) for review in expert_reviews]
        centre = math.fsum(totals) / len(totals)
        spread = math.sqrt(math.fsum((total - centre) ** 2 for total in totals) / len(totals))
        for review in expert_reviews:
            z = (float(review.total) - centre) / spread if spread > 0 else 0.0
            scores[review.application_id, review.expert_id] = _round(z, Z_PLACES)
    return scores


def aggregate(
    candidates: Iterable[Candidate], reviews: Iterable[ReviewTotal], *, divergence_threshold: Decimal
) -> dict[int, Aggregate]:
    """Per candidate its aggregates. `reviews` are every submitted review of the call (the z-scores need each
    expert's whole set), whether or not their application is a candidate."""
    reviews = list(reviews)
    rows = {c.application_id: Aggregate(c.application_id, c.assigned, c.submitted_at) for c in candidates}
    z = z_scores(reviews)
    for review in sorted(reviews, key=lambda r: (r.application_id, r.expert_id)):
        row = rows.get(review.application_id)
        if row is None:
            continue
        row.totals.append(review.total)
        row.z_scores[review.expert_id] = z[review.application_id, review.expert_id]
        row.recommendations += review.recommends
    for row in rows.values():
        row.mean = mean(row.totals)
        row.trimmed_mean = trimmed_mean(row.totals)
        row.stdev = stdev(row.totals)
        row.normalised = mean_z(list(row.z_scores.values()))
        row.divergent = row.stdev is not None and row.stdev > divergence_threshold
    return rows


def _order_key(row: Aggregate, rank_by: str, tie_break: str) -> tuple:
    value = row.value(rank_by)
    unranked = value is None
    submitted = row.submitted_at.timestamp() if row.submitted_at is not None else math.inf
    recommendations = -row.recommendations if tie_break == TieBreak.RECOMMENDATIONS else 0
    return (unranked, -(value or 0), recommendations, submitted, row.application_id)


def rank(rows: Iterable[Aggregate], *, rank_by: str = RankBy.TRIMMED_MEAN, tie_break: str = TieBreak.RECOMMENDATIONS):
    """The rows in ranking order, each with its place (1, 2, …; none for a row without a review) and `tied`."""
    ordered = sorted(rows, key=lambda row: _order_key(row, rank_by, tie_break))
    shared = defaultdict(int)
    for row in ordered:
        if row.value(rank_by) is not None:
            shared[row.value(rank_by)] += 1
    for place, row in enumerate(ordered, start=1):
        value = row.value(rank_by)
        row.rank = place if value is not None else 0
        row.tied = value is not None and shared[value] > 1
    return ordered
