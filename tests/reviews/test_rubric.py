"""The rubric's arithmetic against hand-computed totals, its defaults, and its saving until the freeze."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portal.models import AuditEvent
from reviews.models import Criterion, ReviewSettings
from reviews.rubric import DEFAULT_CRITERIA, Weighted, on_step, weighted_total
from reviews.services import rubric as services
from tests.factories import CallFactory, MinistryFactory, member_of

D = Decimal


def test_weighted_total_of_the_default_weights():
    # 80×0.3 + 90×0.3 + 70×0.2 + 60×0.2 = 24 + 27 + 14 + 12
    items = [
        Weighted(D(80), 100, D(30)),
        Weighted(D(90), 100, D(30)),
        Weighted(D(70), 100, D(20)),
        Weighted(D(60), 100, D(20)),
    ]
    assert weighted_total(items) == D("77.00")


def test_weighted_total_normalises_each_maximum_and_the_weights():
    # 8.5/10 × 3 + 40/50 × 1 = 2.55 + 0.8 = 3.35 of 4 weight → 83.75
    assert weighted_total([Weighted(D("8.5"), 10, D(3)), Weighted(D(40), 50, D(1))]) == D("83.75")


def test_weighted_total_rounds_two_thirds_to_two_places():
    assert weighted_total([Weighted(D(2), 3, D(1))]) == D("66.67")
    assert weighted_total([Weighted(D(1), 3, D(1))]) == D("33.33")


def test_weighted_total_rounds_half_up_not_to_even():
    # 0.5 / 400 × 100 = 0.125 exactly: half-up gives 0.13 (the banker's rounding would give 0.12)
    assert weighted_total([Weighted(D("0.5"), 400, D(1))]) == D("0.13")


def test_weighted_total_of_full_and_empty_marks():
    assert weighted_total([Weighted(D(100), 100, D(30)), Weighted(D(10), 10, D(70))]) == D("100.00")
    assert weighted_total([Weighted(D(0), 100, D(30))]) == D("0.00")


def test_weighted_total_refuses_no_criteria():
    with pytest.raises(ValueError, match="criterion"):
        weighted_total([])


def test_on_step_accepts_halves_only():
    assert [on_step(D(v)) for v in ("0", "0.5", "7", "7.5", "7.3")] == [True, True, True, True, False]


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytestmark_db
def test_ensure_rubric_creates_the_notices_four_criteria_once():
    call = CallFactory()
    services.ensure_rubric(call)
    services.ensure_rubric(call)
    rows = list(Criterion.objects.filter(call=call).values_list("name", "weight", "max_score"))
    assert rows == [("应用效果", 30, 100), ("技术水平", 30, 100), ("市场竞争力", 20, 100), ("社会影响力", 20, 100)]
    assert [row[0] for row in rows] == [default.name for default in DEFAULT_CRITERIA]
    assert ReviewSettings.objects.get(call=call).reviews_per_application == 5


def _settings(**overrides):
    values = {
        "reviews_per_application": 3,
        "max_load": 12,
        "due_at": None,
        "rank_by": "mean",
        "tie_break": "submission",
        "divergence_threshold": D("10.00"),
    }
    return values | overrides


@pytestmark_db
def test_save_rubric_renames_swaps_adds_and_removes_criteria(secretariat):
    call = CallFactory()
    services.ensure_rubric(call)
    first, second, *_ = Criterion.objects.filter(call=call)
    rows = [
        services.CriterionRow(pk=second.pk, name=first.name, weight=D(50), max_score=10),
        services.CriterionRow(pk=first.pk, name=second.name, weight=D(25), max_score=10),
        services.CriterionRow(name="标准化贡献", weight=D(25), max_score=100),
    ]
    services.save_rubric(call=call, by=secretariat, settings=_settings(), criteria=rows)
    saved = list(Criterion.objects.filter(call=call).values_list("pk", "name", "weight", "position"))
    assert saved[:2] == [(second.pk, "应用效果", 50, 0), (first.pk, "技术水平", 25, 1)]
    assert saved[2][1:] == ("标准化贡献", 25, 2)
    assert len(saved) == 3
    settings = ReviewSettings.objects.get(call=call)
    assert (settings.reviews_per_application, settings.max_load, settings.rank_by) == (3, 12, "mean")
    assert AuditEvent.objects.filter(action="review.rubric_save").count() == 1


@pytestmark_db
@pytest.mark.parametrize(
    "rows",
    [
        [],
        [services.CriterionRow(name="A", weight=D(0), max_score=10)],
        [services.CriterionRow(name="A", weight=D(1), max_score=0)],
        [services.CriterionRow(name="A", weight=D(1), max_score=1001)],
        [services.CriterionRow(name="A", weight=D(1), max_score=5)] * 2,
    ],
)
def test_save_rubric_refuses_bad_criteria_and_changes_nothing(secretariat, rows):
    call = CallFactory()
    services.ensure_rubric(call)
    with pytest.raises(ValidationError) as error:
        services.save_rubric(call=call, by=secretariat, settings=_settings(), criteria=rows)
    assert len(error.value.message_dict["criteria"]) == 1
    assert Criterion.objects.filter(call=call).count() == 4
    assert ReviewSettings.objects.get(call=call).max_load == 30
    assert not AuditEvent.objects.filter(action="review.rubric_save").exists()


@pytestmark_db
def test_save_rubric_refused_once_frozen(secretariat):
    call = CallFactory()
    services.ensure_rubric(call)
    assert services.freeze(call) is True
    assert services.freeze(call) is False
    rows = [services.CriterionRow(name="A", weight=D(1), max_score=10)]
    with pytest.raises(services.RubricFrozen):
        services.save_rubric(call=call, by=secretariat, settings=_settings(), criteria=rows)
    assert Criterion.objects.filter(call=call).count() == 4
