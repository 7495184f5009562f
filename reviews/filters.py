"""The secretariat's list of experts: by field, province, active or not, and by name, address or affiliation."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from portal.choices import Province
from projects.models.applications import IndustryField


class ExpertFilter(FilterSet):
    field = django_filters.ChoiceFilter(
        label=_("Field of expertise"),
        choices=IndustryField.choices,
        empty_label=_("All fields"),
        field_name="expertise__field",
    )
    province = django_filters.ChoiceFilter(label=_("Province"), choices=Province.choices, empty_label=_("All"))
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("yes", _("Active")), ("no", _("Inactive"))],
        empty_label=_("All"),
        method="filter_active",
    )
    q = django_filters.CharFilter(
        label=_("Name, e-mail or affiliation"),
        method="filter_text",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "yes")

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(user__name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(affiliation__icontains=value)
            | Q(organisation__name__icontains=value)
        )
