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


class StandardFilter(filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Number or title"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "T/CAS 115—2018"}),
    )
    group = filters.ModelChoiceFilter(
        label=_("Issuing group"),
        queryset=SocialGroup.objects.select_related("organisation").order_by("organisation__name"),
        method="filter_group",
        empty_label=_("All groups"),
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
        # Issued or co-issued; a subquery rather than a join, so no row comes back twice.
        co_issued = GroupStandard.co_issuers.through.objects.filter(socialgroup=value).values("groupstandard")
        return queryset.filter(Q(issuer=value) | Q(pk__in=co_issued))

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
        value = value.strip()
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
            | Q(organisation__code__iexact=value)
        )
