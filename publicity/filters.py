"""The public register's search form (/projects/ and its CSV export). Applied by publicity.selectors.register."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal import filters
from portal.choices import Province
from projects.models import IndustryField
from publicity.models import AnnouncedProject
from standards.models import ApplicationType
from standards.numbers import InvalidNumberError, canonical_characters, normalise_number

_TYPE_CONDITIONS = {
    ApplicationType.INNOVATIVE: Q(innovative=True),
    ApplicationType.ADVANCED: Q(advanced=True),
    ApplicationType.INTERNATIONAL: Q(international=True),
}
# Each sort keeps a list's own order (its announcement, then its number in the list) among equals.
SORTS = {
    "year": ("-year", "announcement_id", "position"),
    "number": ("standard_number", "-year", "announcement_id", "position"),
    "group": ("group_name", "-year", "announcement_id", "position"),
}
SORT_CHOICES = [("year", _("Year, newest first")), ("number", _("Standard number")), ("group", _("Social group"))]


def search_projects(queryset: QuerySet[AnnouncedProject], text: str) -> QuerySet[AnnouncedProject]:
    """A whole standard number in any written form finds exactly that number; anything else searches the
    project, standard number, title, group and recommender.

    `search_text` is stored in canonical characters (upper case), so the typed text in the same characters is
    looked for with a plain LIKE: the trigram GIN index (announced_project_search_trgm) serves it on PostgreSQL,
    where ILIKE on UPPER(...) would not.
    """
    text = text.strip()
    if not text:
        return queryset
    try:
        return queryset.filter(standard_number=normalise_number(text))
    except InvalidNumberError:
        pass
    return queryset.filter(search_text__contains=canonical_characters(text))


class RegisterFilter(filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Project, standard number, title or group"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "T/CAS 115—2018"}),
    )
    year = filters.IntegerFilter(label=_("Year"), field_name="year", min_value=1980, max_value=2099)
    industry_field = django_filters.ChoiceFilter(
        label=_("Industry field"), choices=IndustryField.choices, empty_label=_("Any")
    )
    province = django_filters.ChoiceFilter(label=_("Province"), choices=Province.choices, empty_label=_("Any"))
    # Typed, not chosen: a list of every recommender of every year would grow with the register.
    recommender = django_filters.CharFilter(
        label=_("Recommender"),
        method="filter_recommender",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ApplicationType.choices, method="filter_type", empty_label=_("Any")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None, null_label=None
    )

    class Meta:
        model = AnnouncedProject
        fields = ["q", "year", "industry_field", "province", "recommender", "type", "sort"]

    def filter_q(self, queryset, name, value):
        return search_projects(queryset, value)

    def filter_recommender(self, queryset, name, value):
        return queryset.filter(recommender_name__icontains=value.strip())

    def filter_type(self, queryset, name, value):
        return queryset.filter(_TYPE_CONDITIONS[ApplicationType(value)])

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
