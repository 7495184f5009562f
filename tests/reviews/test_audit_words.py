"""Every action the review stage records has words in the audit log (reviews.apps.ReviewsConfig.audit_actions)."""

import re
from pathlib import Path

from django.apps import apps

REVIEWS = Path(__file__).resolve().parents[2] / "reviews"


def test_every_recorded_action_of_the_review_stage_has_a_label():
    recorded = set()
    for source in REVIEWS.rglob("*.py"):
        recorded |= set(re.findall(r'"((?:expert|panel|assignment|review)\.[a-z_]+)"', source.read_text("utf-8")))
    labelled = set(apps.get_app_config("reviews").audit_actions)

    assert recorded, "no action found: the pattern no longer matches how the services record"
    assert sorted(recorded - labelled) == []
