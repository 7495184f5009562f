"""The API's filters: the pages' own FilterSets, so that `?q=` and every filter find what the pages find.

Each is the stage's FilterSet with only the bound on typed text added: a search of 5,000 characters, or one
holding a NUL, is refused with a message (400) rather than searched for.
"""

import copy

import django_filters
from django.utils.translation import gettext_lazy as _

from api.serializers.notices import PUBLIC_STATUSES
from portal import filters
from publicity.filters import RegisterFilter
from publicity.models import Announcement, Notice
from standards.filters import GroupFilter, StandardFilter

MAX_TEXT = 200


def bounded(filterset: type[filters.FilterSet]) -> type[filters.FilterSet]:
    """Every text filter of the FilterSet refuses more than MAX_TEXT characters (copies: the page's are kept)."""
    filterset.base_filters = copy.deepcopy(filterset.base_filters)
    for declared in filterset.base_filters.values():
        if isinstance(declared, django_filters.CharFilter):
            declared.extra.setdefault("max_length", MAX_TEXT)
    return filterset


@bounded
class ProjectFilter(RegisterFilter):
    """/projects/'s search and filters (publicity.filters.RegisterFilter)."""


@bounded
class StandardSearch(StandardFilter):
    """/standards/'s search and filters (standards.filters.StandardFilter)."""


@bounded
class GroupSearch(GroupFilter):
    """/groups/'s search and filters (standards.filters.GroupFilter)."""


class NoticeFilter(filters.FilterSet):
    """/publicity/ lists every public notice without a filter; the API adds their status (open or closed)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=PUBLIC_STATUSES)

    class Meta:
        model = Notice
        fields = ["status"]


class AnnouncementFilter(filters.FilterSet):
    year = filters.IntegerFilter(label=_("Year"), field_name="year", min_value=1980, max_value=2099)

    class Meta:
        model = Announcement
        fields = ["year"]
