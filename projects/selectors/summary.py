"""Reads for a social group's summary table (汇总表) of its applications in one call."""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

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


# A summary table ranks a group's applications against each other: one is worth linking from two on.
SUMMARY_FROM = 2


@dataclass(frozen=True)
class SummaryTable:
    """A group's summary table in a call worth linking to, with the number of its live applications there."""

    call: Call
    group: Organisation
    applications: int


def summary_tables(calls: list[Call], groups: list[Organisation]) -> list[SummaryTable]:
    """Per call and group, the summary tables of the groups with two or more live applications in the call, in
    the order of `calls`, then by group name. One query whatever the number of calls (none without either)."""
    if not calls or not groups:
        return []
    by_call = {call.pk: call for call in calls}
    by_group = {group.pk: group for group in groups}
    counts = (
        Application.objects.filter(call__in=list(by_call), group__in=list(by_group))
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values("call_id", "group_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=SUMMARY_FROM)
        .order_by()
    )
    position = {pk: index for index, pk in enumerate(by_call)}
    tables = [SummaryTable(by_call[row["call_id"]], by_group[row["group_id"]], row["n"]) for row in counts]
    return sorted(tables, key=lambda table: (position[table.call.pk], table.group.name, table.group.pk))
