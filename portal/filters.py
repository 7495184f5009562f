"""The portal's filters, which every list's FilterSet is made of, and the filters of the shared list pages.

A list's query string is anyone's to type. What a filter cannot use (a number beyond 64 bits, a year past
9999, a key no row could have) makes its field invalid, and django-filter leaves an invalid field out: the
list is shown unfiltered by it, with the field's error, and the database never sees the value.
"""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.fields import ChoiceIteratorMixin, ModelChoiceIterator
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from portal import fields, selectors, widgets
from portal.choices import OrganisationKind


class IntegerFilter(django_filters.NumberFilter):
    """A whole number within `min_value`..`max_value` (by default, what a 64-bit column holds).

    django-filter's NumberFilter takes any decimal up to 1e50, which a lookup then turns into a C long.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = fields.INT64.start, max_value: int = fields.INT64.stop - 1, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)

    def get_max_validator(self) -> None:
        return None  # the field's own max_value is the bound


class YearFilter(IntegerFilter):
    """A date field's year: the year lookup builds dates, and Python's end at 9999."""

    def __init__(self, *args, min_value: int = datetime.MINYEAR, max_value: int = datetime.MAXYEAR, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class _ModelChoiceField(ChoiceIteratorMixin, fields.ModelChoiceField):
    iterator = ModelChoiceIterator  # django-filter's, which offers the null choice


class _ModelMultipleChoiceField(fields.ModelMultipleChoiceField):
    pass


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A row by its key; a key no row could have is refused by the field (portal.fields), not looked up."""

    field_class = _ModelChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _ModelMultipleChoiceField


_INTEGER_FIELDS = (
    models.AutoField,
    models.SmallIntegerField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
)


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the project: filters made for a model's fields are the bounded ones above.

    Declared filters use them by name (`portal.filters.IntegerFilter`, `ModelChoiceFilter`, ...);
    tests/portal/test_filters.py checks that no FilterSet uses django-filter's own instead.
    """

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        **{field: {"filter_class": IntegerFilter} for field in _INTEGER_FIELDS},
        models.OneToOneField: {**FILTER_FOR_DBFIELD_DEFAULTS[models.OneToOneField], "filter_class": ModelChoiceFilter},
        models.ForeignKey: {**FILTER_FOR_DBFIELD_DEFAULTS[models.ForeignKey], "filter_class": ModelChoiceFilter},
        models.ManyToManyField: {
            **FILTER_FOR_DBFIELD_DEFAULTS[models.ManyToManyField],
            "filter_class": ModelMultipleChoiceFilter,
        },
    }

    def get_form_class(self) -> type[forms.Form]:
        """The form, its selects rendered by `portal.widgets.Select` (the same HTML, without a template per
        option): a list's filter form is rendered on every page of it."""
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            if type(field.widget) is forms.Select:
                fast = widgets.Select(attrs=field.widget.attrs, choices=field.widget.choices)
                fast.is_required = field.widget.is_required
                field.widget = fast
        return form_class


def _action_choices() -> list[tuple[str, str]]:
    return selectors.audit_actions()


def _type_choices() -> list[tuple[str, str]]:
    # `app_label.model` in the URL: readable, and stable across databases unlike a content-type id.
    choices = []
    for ct in selectors.audit_target_types():
        model = ct.model_class()
        choices.append((f"{ct.app_label}.{ct.model}", capfirst(model._meta.verbose_name) if model else ct.model))
    return choices


class AuditFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class AuditEventFilter(FilterSet):
    """The audit list's and the CSV export's filter: by action, actor, dates (Asia/Shanghai), type, text."""

    action = django_filters.ChoiceFilter(label=_("Action"), choices=_action_choices, empty_label=_("All actions"))
    actor = django_filters.CharFilter(
        label=_("Actor"), method="filter_actor", help_text=_("User name or part of the person's name.")
    )
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("date range", "From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=pgettext_lazy("date range", "To"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=_type_choices, method="filter_object_type", empty_label=_("All types")
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", help_text=_("Words in the object's name or in the note.")
    )

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(actor__username__iexact=value) | Q(actor_label__icontains=value))

    def filter_object_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        app_label, _dot, model = value.partition(".")
        return queryset.filter(target_type__app_label=app_label, target_type__model=model)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(target_label__icontains=value) | Q(note__icontains=value))

    class Meta:
        form = AuditFilterForm


class OrganisationFilter(FilterSet):
    """The secretariat's list of organisations: by kind, and by name, short name, code or credit code."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))
    q = django_filters.CharFilter(
        label=_("Name, code or credit code"),
        method="filter_text",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(code__iexact=value)
            | Q(credit_code__iexact=value.replace(" ", "").upper())
        )
