"""Reads of one recommender's recommendations in a call: its ranks page, its letter (推荐函) and its deadline."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from portal.models import Organisation
from projects import rules
from projects.models import Application, Call
from projects.selectors.recommendation import QuotaRow


def recommended_applications(call: Call, recommender: Organisation) -> QuerySet[Application]:
    """Every recommendation the recommender made in the call and did not lose to a withdrawal
    (`rules.COUNTS_AS_RECOMMENDED`), whatever the formal check found since, in rank order: what its ranks page
    and its recommendation letter list, with what a row shows joined."""
    return (
        Application.objects.filter(rules.COUNTS_AS_RECOMMENDED, call=call, recommender=recommender)
        .select_related("group", "standard")
        .order_by("recommendation_rank", "pk")
    )


def beijing(moment: datetime) -> str:
    """A moment in Beijing time (the default zone), whatever zone a request may have activated."""
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "DATETIME_FORMAT")


@dataclass(frozen=True)
class RecommenderRow:
    """One of the user's recommender organisations in a call: its quota and its own deadline (with extension)."""

    quota: QuotaRow
    deadline: datetime
    passed: bool

    @property
    def organisation(self) -> Organisation:
        return self.quota.organisation

    @property
    def deadline_text(self) -> str:
        return beijing(self.deadline)


def recommender_rows(call: Call, quotas: list[QuotaRow], now: datetime) -> list[RecommenderRow]:
    """Each quota row with the organisation's recommendation deadline, extended as `quota_rows` read it (as
    `rules.recommendation_deadline` decides: the later of the call's and the extension's)."""
    rows = []
    for quota in quotas:
        until = quota.extended_until
        deadline = max(call.recommendation_deadline, until) if until else call.recommendation_deadline
        rows.append(RecommenderRow(quota=quota, deadline=deadline, passed=now > deadline))
    return rows
