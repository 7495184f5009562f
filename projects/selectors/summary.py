"""Reads for a social group's summary table (汇总表) of its applications in one call."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from portal.choices import OrganisationKind
from portal.models import Organisation, User
from portal.roles import organisations_of
from projects.models import Application, ApplicationStatus, Call


def summary_groups(user: User) -> list[Organisation]:
    """The social groups whose summary table the user may keep: those they act for."""
    return organisations_of(user, OrganisationKind.SOCIAL_GROUP)


def group_applications(call: Call, group: Organisation) -> QuerySet[Application]:
    """The group's live applications in the call, in 汇总表 order: ranked first, then the order they were started."""
    return (
        Application.objects.filter(call=call, group=group)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("standard", "recommender")
        .order_by(F("group_rank").asc(nulls_last=True), "created_at", "id")
    )


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary table; `rank` is the position in it (gaps left by withdrawals closed)."""

    rank: int
    application: Application
    types: list[str]


def summary_rows(call: Call, group: Organisation) -> list[SummaryRow]:
    applications = group_applications(call, group)
    return [
        SummaryRow(rank=rank, application=application, types=[str(kind.label) for kind in application.claimed_types])
        for rank, application in enumerate(applications, start=1)
    ]
