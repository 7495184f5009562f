"""Reads of the recommender's inbox: the applications naming the user's organisations, per call."""

from dataclasses import dataclass
from datetime import datetime

import django_filters
from django import forms
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from portal import filters
from portal.choices import OrganisationKind
from portal.models import Organisation, User
from projects import rules
from projects.models import Application, ApplicationStatus, Call, IndustryField, QuotaOverride, RecommenderExtension
from projects.selectors.applications import visible_applications

S = ApplicationStatus
RECOMMENDER_KINDS = (OrganisationKind.PROVINCIAL_DEPARTMENT, OrganisationKind.INDUSTRY_DELEGATE)
COUNTS_AS_RECOMMENDED = rules.COUNTS_AS_RECOMMENDED  # the inbox and the secretariat count as the quota does


def recommender_organisations(user: User) -> list[Organisation]:
    """The active provincial departments and industry delegates the user acts for."""
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(memberships__user=user, is_active=True, kind__in=RECOMMENDER_KINDS)
        .distinct()
        .order_by("name")
    )


def inbox_applications(user: User, organisations: list[Organisation]) -> QuerySet[Application]:
    """What the user may see (view right, granted on submit) among the applications naming their organisations."""
    return visible_applications(user).filter(recommender__in=organisations)


def inbox_calls(user: User, organisations: list[Organisation]) -> list[Call]:
    """The calls with applications in the user's inbox, the most recent first."""
    ids = inbox_applications(user, organisations).values("call_id")
    return list(Call.objects.filter(pk__in=ids).order_by("-opens_at", "-pk"))


class InboxFilter(filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ApplicationStatus.choices, empty_label=gettext_lazy("Any")
    )
    industry_field = django_filters.ChoiceFilter(
        label=gettext_lazy("Industry field"), choices=IndustryField.choices, empty_label=gettext_lazy("Any")
    )
    # Typed, not chosen: a province's inbox names hundreds of groups, and a select of them all would be
    # rendered on every page of the inbox.
    group = django_filters.CharFilter(
        label=gettext_lazy("Social group"),
        method="filter_group",
        max_length=200,
        help_text=gettext_lazy("Name, short name or code."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    class Meta:
        model = Application
        fields = ["status", "industry_field", "group"]

    def filter_group(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return queryset.filter(group_matches(value))


def group_matches(text: str) -> Q:
    """Applications whose group's name or short name contains the text, or whose code it is."""
    text = text.strip()
    return Q(group__name__icontains=text) | Q(group__short_name__icontains=text) | Q(group__code__iexact=text)


def inbox_search(base: QuerySet[Application], params) -> InboxFilter:
    """The inbox of one call, filtered by status, field and group, with what each row shows joined."""
    queryset = (
        base.select_related("group", "standard").only(*INBOX_ROW).order_by("recommendation_rank", "group__name", "id")
    )
    return InboxFilter(params, queryset=queryset)


# What an inbox row shows: only these are read, not the sections' text and the standard's, which the sort
# would otherwise carry for every application of the call.
INBOX_ROW = (
    "status",
    "industry_field",
    "submission_count",
    "recommendation_rank",
    "group_rank",
    "submitted_at",
    "group__name",
    "standard__number",
    "standard__number_as_typed",
    "standard__title_zh",
)


@dataclass(frozen=True)
class InboxCounts:
    received: int
    recommended: int
    returned: int
    declined: int
    undecided: int


def inbox_counts(base: QuerySet[Application]) -> InboxCounts:
    """One query: every application received in the call, and how many of them are in each decision."""
    totals = base.aggregate(
        received=Count("pk"),
        recommended=Count("pk", filter=COUNTS_AS_RECOMMENDED),
        returned=Count("pk", filter=Q(status=S.RETURNED)),
        declined=Count("pk", filter=Q(status=S.NOT_RECOMMENDED)),
        undecided=Count("pk", filter=Q(status=S.SUBMITTED)),
    )
    return InboxCounts(**totals)


@dataclass(frozen=True)
class QuotaRow:
    organisation: Organisation
    quota: int
    used: int
    # The recommendation deadline the secretariat extended for this organisation in the call, if it did.
    extended_until: datetime | None = None

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


def quota_rows(call: Call, organisations: list[Organisation]) -> list[QuotaRow]:
    """Per organisation: its quota in the call and how many recommendations use it (COUNTS_AS_RECOMMENDED).

    One query however many organisations: the override (as `rules.quota_for` reads it), the count and the
    deadline extension (as `rules.recommendation_deadline` reads it) as subqueries of each organisation.
    """
    extension = RecommenderExtension.objects.filter(call=call, recommender=OuterRef("pk")).values("until")[:1]
    override = QuotaOverride.objects.filter(call=call, recommender=OuterRef("pk")).order_by("pk").values("quota")[:1]
    used = (
        Application.objects.filter(COUNTS_AS_RECOMMENDED, call=call, recommender=OuterRef("pk"))
        .order_by()
        .values("recommender")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = {
        pk: (override, used, until)
        for pk, override, used, until in Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        .annotate(override=Subquery(override), used=Coalesce(Subquery(used), 0), until=Subquery(extension))
        .values_list("pk", "override", "used", "until")
    }
    rows = []
    for org in organisations:
        override, used, until = found.get(org.pk, (None, 0, None))
        rows.append(QuotaRow(org, call.default_quota if override is None else override, used, until))
    return rows
