"""Form fields every stage shares: a choice of rows that refuses, before any query, what no row's key could be.

A primary key typed into a URL or a form is a whole number of at most 64 bits. Django looks up anything else
itself, and how that ends depends on the database: PostgreSQL finds nothing where SQLite (`make run`) overflows
on a list of keys (`pk__in`), and `str.isdigit()` lets "²" through to `int()`. These fields refuse such a
value with the field's own "select a valid choice" error instead, so no database sees it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.text import Truncator

INT64 = range(-(2**63), 2**63)
# ASCII digits only, and few enough that int() is cheap: str.isdigit() also takes "²" and "١".
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")


def key_field(queryset: QuerySet, to_field_name: str | None) -> models.Field:
    """The column a choice is looked up by: the primary key (or `to_field_name`), through any one-to-one key."""
    field = queryset.model._meta.get_field(to_field_name) if to_field_name else queryset.model._meta.pk
    while field.is_relation:
        field = field.target_field
    return field


def is_possible_key(field: models.Field, value: object) -> bool:
    """Whether `value` could be a value of the integer column `field` (always, for another kind of column)."""
    if not isinstance(field, models.IntegerField):
        return True
    if isinstance(value, int):
        return value in INT64
    text = str(value).strip()
    return bool(_WHOLE_NUMBER.fullmatch(text)) and int(text) in INT64


class _ImpossibleKeysRefused:
    queryset: QuerySet
    to_field_name: str | None
    error_messages: dict
    empty_values: list

    def refuse_impossible_key(self, value: object) -> None:
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return
        if not is_possible_key(key_field(self.queryset, self.to_field_name), value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": Truncator(str(value)).chars(24)},
            )


class ModelChoiceField(_ImpossibleKeysRefused, forms.ModelChoiceField):
    """Django's ModelChoiceField that refuses a key no row could have (see the module's docstring)."""

    def to_python(self, value):
        self.refuse_impossible_key(value)
        return super().to_python(value)


class ModelMultipleChoiceField(_ImpossibleKeysRefused, forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField that refuses a key no row could have (see the module's docstring)."""

    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else ():
            self.refuse_impossible_key(item)
        return super().clean(value)
