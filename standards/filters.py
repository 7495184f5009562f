"""The registry's search forms. Applied by the selectors, which own every read; they only shape the query."""

import re

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal import filters
from portal.choices import SocialGroupType
from standards.models import ApplicationType, GroupStandard, SocialGroup, StandardStatus
from standards.numbers import InvalidNumberError, canonical_characters, normalise_number

# Zero-padding in a typed fragment ("CNTAC 008") is dropped, as in the normal form; not after a dot (a part).
_LEADING_ZEROS = re.compile(r"(?<![\d.])0+(?=\d)")

_TYPE_CONDITIONS = {
    ApplicationType.INNOVATIVE: Q(fills_gap=True),
    ApplicationType.ADVANCED: ~Q(stricter_than=""),
    ApplicationType.INTERNATIONAL: ~Q(international_standard="") | Q(internationally_leading=True),
}


def search_standards(queryset: QuerySet[GroupStandard], text: str) -> QuerySet[GroupStandard]:
    """A whole number in any written form finds exactly that standard; anything else searches numbers and titles."""
    text = text.strip()
    if not text:
        return queryset
    try:
        return queryset.filter(number=normalise_number(text))
    except InvalidNumberError:
        pass
    fragment = _LEADING_ZEROS.sub("", canonical_characters(text))
    return queryset.filter(
        Q(number__icontains=fragment)
        | Q(number_as_typed__icontains=text)
        | Q(title_zh__icontains=text)
        | Q(title_en__icontains=text)
    )


def group_matches(text: str) -> Q:
    """Social groups whose name or short name contains the text, or whose code it is."""
    text = text.strip()
    return (
        Q(organisation__name__icontains=text)
        | Q(organisation__short_name__icontains=text)
        | Q(organisation__code__iexact=text)
    )


class StandardFilter(filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Number or title"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "T/CAS 115—2018"}),
    )
    # Typed, not chosen from a list: a list of every group would grow with the registry (and render 500
    # options on every page of results).
    group = django_filters.CharFilter(
        label=_("Issuing group"),
        method="filter_group",
        help_text=_("Name, short name or code; standards the group co-issued are found too."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StandardStatus.choices, empty_label=_("Any"))
    year = filters.YearFilter(label=_("Year published"), field_name="publication_date", min_value=1980)
    ics = django_filters.CharFilter(label=_("ICS"), field_name="ics", lookup_expr="startswith")
    ccs = django_filters.CharFilter(label=_("CCS"), field_name="ccs", lookup_expr="iexact")
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ApplicationType.choices, method="filter_type", empty_label=_("Any")
    )

    class Meta:
        model = GroupStandard
        fields = ["q", "group", "status", "year", "ics", "ccs", "type"]

    def filter_q(self, queryset, name, value):
        return search_standards(queryset, value)

    def filter_group(self, queryset, name, value):
        # Issued or co-issued; subqueries rather than joins, so no row comes back twice.
        groups = SocialGroup.objects.filter(group_matches(value)).values("pk")
        co_issued = GroupStandard.co_issuers.through.objects.filter(socialgroup__in=groups).values("groupstandard")
        return queryset.filter(Q(issuer__in=groups) | Q(pk__in=co_issued))

    def filter_type(self, queryset, name, value):
        return queryset.filter(_TYPE_CONDITIONS[ApplicationType(value)])


class GroupFilter(filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or code"), method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="organisation__social_group_type",
        choices=SocialGroupType.choices,
        empty_label=_("Any"),
    )

    class Meta:
        model = SocialGroup
        fields = ["q", "type"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(group_matches(value))
