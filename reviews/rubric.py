"""The scoring rubric's defaults and arithmetic (评分标准), without the database.

A call's rubric is a list of criteria, each with a weight and a maximum score. An expert scores each criterion
from 0 to its maximum in steps of 0.5; the review's weighted total is on 100:

    total = Σ (score / max_score × weight) / Σ weight × 100, rounded half-up to two decimal places

so that weights are relative (30/30/20/20 and 3/3/2/2 give the same total) and a criterion scored out of 10
counts as much as one scored out of 100 of the same weight. Half-up, not the banker's rounding of Python's
`round`, because that is how the totals are rounded by hand on the paper forms experts are used to.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCORE_STEP = Decimal("0.5")
MAX_SCORE_LIMIT = 1000
TOTAL_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DefaultCriterion:
    name: str
    description: str
    weight: Decimal
    max_score: int = 100


# The notice's four criteria (工信部科〔2017〕324号), as stored data in the notice's words: the secretariat may
# rename or reword them per call, so they are rows, not translated strings.
DEFAULT_CRITERIA = (
    DefaultCriterion("应用效果", "团体标准的实施应用情况及取得的经济效益和社会效益。", Decimal(30)),
    DefaultCriterion("技术水平", "团体标准的技术指标与国家标准、行业标准及国际标准相比的先进程度。", Decimal(30)),
    DefaultCriterion("市场竞争力", "团体标准对提升产品、服务的质量和市场竞争力的作用。", Decimal(20)),
    DefaultCriterion("社会影响力", "团体标准在行业内外的认可、采信和推广情况。", Decimal(20)),
)


@dataclass(frozen=True)
class Weighted:
    """What the total needs of one criterion and its score."""

    score: Decimal
    max_score: int
    weight: Decimal


def weighted_total(items: Iterable[Weighted]) -> Decimal:
    """The weighted total on 100 (see the module's docstring); every criterion must be scored."""
    items = list(items)
    weights = sum((item.weight for item in items), Decimal(0))
    if not items or weights <= 0:
        raise ValueError("a weighted total needs at least one criterion of positive weight")
    points = sum((Decimal(item.score) / item.max_score * item.weight for item in items), Decimal(0))
    return (points / weights * 100).quantize(TOTAL_PLACES, rounding=ROUND_HALF_UP)


def on_step(score: Decimal) -> bool:
    """Whether the score is a whole number of steps (0, 0.5, 1, …)."""
    return score % SCORE_STEP == 0
