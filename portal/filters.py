"""Filters for the shared list pages."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import selectors


def _action_choices() -> list[tuple[str, str]]:
    return [(action, action) for action in selectors.audit_actions()]


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


class AuditEventFilter(django_filters.FilterSet):
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
