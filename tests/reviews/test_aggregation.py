"""The ranking's arithmetic against values computed by hand (reviews.aggregation)."""

from datetime import UTC, datetime
from decimal import Decimal

from reviews import aggregation
from reviews.aggregation import Candidate, ReviewTotal
from reviews.models import RankBy, TieBreak

D = Decimal
EARLY = datetime(2026, 5, 1, 9, tzinfo=UTC)
LATE = datetime(2026, 5, 2, 9, tzinfo=UTC)


def _totals(*values) -> list[Decimal]:
    return [D(str(value)) for value in values]


def test_mean_of_five_totals_by_hand():
    # 95 + 80 + 78 + 60 + 85 = 398; 398 / 5 = 79.6
    assert aggregation.mean(_totals(95, 80, 78, 60, 85)) == D("79.60")


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_reviews():
    # Without 95 and 60: (80 + 78 + 85) / 3 = 81
    assert aggregation.trimmed_mean(_totals(95, 80, 78, 60, 85)) == D("81.00")


def test_trimmed_mean_is_the_mean_below_five_reviews():
    assert aggregation.trimmed_mean(_totals(70, 80, 90, 100)) == D("85.00")


def test_trimmed_mean_drops_only_one_of_equal_extremes():
    # Without one 90 and one 60: (90 + 70 + 60) / 3 = 73.33
    assert aggregation.trimmed_mean(_totals(90, 90, 70, 60, 60)) == D("73.33")


def test_mean_rounds_half_up():
    # (80.01 + 80.00) / 2 = 80.005, which the paper forms round up to 80.01
    assert aggregation.mean(_totals("80.01", "80.00")) == D("80.01")


def test_sample_standard_deviation_by_hand():
    # Deviations from 79.6: 15.4, 0.4, -1.6, -19.6, 5.4; squares sum to 653.2; / 4 = 163.3; √163.3 = 12.779
    assert aggregation.stdev(_totals(95, 80, 78, 60, 85)) == D("12.78")


def test_standard_deviation_needs_two_reviews():
    assert aggregation.stdev(_totals(80)) is None
    assert aggregation.mean([]) is None


def test_z_scores_against_each_experts_own_reviews():
    reviews = [
        ReviewTotal(1, 10, D(80), True),  # expert 10: mean 70, population sd 10 → +1, -1
        ReviewTotal(2, 10, D(60), False),
        ReviewTotal(1, 11, D(90), True),  # expert 11 gives 90 every time: 0
        ReviewTotal(2, 11, D(90), True),
        ReviewTotal(1, 12, D(50), False),  # expert 12 has one review: 0
    ]

    z = aggregation.z_scores(reviews)

    assert z == {
        (1, 10): D("1.000"),
        (2, 10): D("-1.000"),
        (1, 11): D("0.000"),
        (2, 11): D("0.000"),
        (1, 12): D("0.000"),
    }


def test_aggregate_per_application_with_normalised_mean_and_divergence():
    candidates = [Candidate(1, 3, EARLY), Candidate(2, 3, LATE)]
    reviews = [
        ReviewTotal(1, 10, D(80), True),
        ReviewTotal(2, 10, D(60), False),
        ReviewTotal(1, 11, D(90), True),
        ReviewTotal(2, 11, D(90), True),
        ReviewTotal(1, 12, D(50), False),
    ]

    rows = aggregation.aggregate(candidates, reviews, divergence_threshold=D(15))

    first, second = rows[1], rows[2]
    assert (first.reviews_in, first.assigned, first.all_in) == (3, 3, True)
    assert (first.mean, first.trimmed_mean, first.recommendations) == (D("73.33"), D("73.33"), 2)
    # 80, 90, 50: sample sd √((6.67² + 16.67² + 23.33²) / 2) = √433.33 = 20.82, past 15
    assert (first.stdev, first.divergent) == (D("20.82"), True)
    assert first.normalised == D("0.333")  # (1 + 0 + 0) / 3
    assert (second.reviews_in, second.all_in, second.normalised) == (2, False, D("-0.500"))  # (-1 + 0) / 2
    assert (second.stdev, second.divergent) == (D("21.21"), True)


def test_reviews_of_other_applications_count_for_the_z_scores_only():
    # Application 2 is not a candidate (another panel's), but expert 10's review of it sets their mean.
    rows = aggregation.aggregate(
        [Candidate(1, 1, EARLY)],
        [ReviewTotal(1, 10, D(80), True), ReviewTotal(2, 10, D(60), True)],
        divergence_threshold=D(15),
    )

    assert list(rows) == [1]
    assert (rows[1].mean, rows[1].normalised, rows[1].stdev, rows[1].divergent) == (D("80.00"), D("1.000"), None, False)


def _row(pk, totals, *, recommends=0, submitted_at=EARLY):
    row = aggregation.Aggregate(pk, len(totals), submitted_at)
    row.totals = _totals(*totals)
    row.recommendations = recommends
    row.mean = aggregation.mean(row.totals)
    row.trimmed_mean = aggregation.trimmed_mean(row.totals)
    return row


def test_rank_by_the_calls_aggregate_highest_first_unreviewed_last():
    rows = [_row(1, [70]), _row(2, []), _row(3, [90, 60, 80, 85, 100])]

    by_trimmed = aggregation.rank(rows, rank_by=RankBy.TRIMMED_MEAN)
    by_mean = aggregation.rank(rows, rank_by=RankBy.MEAN)

    # trimmed: application 3 has (90 + 80 + 85) / 3 = 85; mean 83
    assert [(row.application_id, row.rank) for row in by_trimmed] == [(3, 1), (1, 2), (2, 0)]
    assert [row.application_id for row in by_mean] == [3, 1, 2]
    assert by_mean[0].mean == D("83.00")


def test_tie_broken_by_more_recommendations_then_earlier_submission():
    rows = [
        _row(1, [80, 80], recommends=1, submitted_at=EARLY),
        _row(2, [80, 80], recommends=2, submitted_at=LATE),
        _row(3, [80, 80], recommends=1, submitted_at=LATE),
        _row(4, [79, 79], recommends=2, submitted_at=EARLY),
    ]

    ranked = aggregation.rank(rows, rank_by=RankBy.MEAN, tie_break=TieBreak.RECOMMENDATIONS)

    assert [(row.application_id, row.rank, row.tied) for row in ranked] == [
        (2, 1, True),
        (1, 2, True),
        (3, 3, True),
        (4, 4, False),
    ]


def test_tie_broken_by_earlier_submission_alone():
    rows = [_row(1, [80], recommends=0, submitted_at=LATE), _row(2, [80], recommends=1, submitted_at=LATE)]
    rows.append(_row(3, [80], recommends=0, submitted_at=EARLY))

    ranked = aggregation.rank(rows, rank_by=RankBy.MEAN, tie_break=TieBreak.SUBMISSION)

    # 3 was submitted first; 1 and 2 at the same moment: the application's number decides, never chance
    assert [row.application_id for row in ranked] == [3, 1, 2]
