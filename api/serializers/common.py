"""Pieces every resource uses: a portal page's address, a code with its label, a published list's version."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from standards.models import ApplicationType


def absolute(serializer: serializers.Field, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The address of the object's page on the portal (its `get_absolute_url`), absolute."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "The object's page on the portal.")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return absolute(self, value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute address reversed from a URL name, with the object's attributes as its arguments."""

    def __init__(self, view_name: str, *, kwargs_of, **kwargs) -> None:
        self.view_name, self.kwargs_of = view_name, kwargs_of
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return absolute(self, reverse(self.view_name, kwargs=self.kwargs_of(value)))


class LabelField(serializers.CharField):
    """The label of a code in the request's language (Chinese unless English is asked for)."""

    def __init__(self, choices, **kwargs) -> None:
        self.labels = dict(choices)
        kwargs.setdefault("help_text", "The code's label in the request's language; empty when there is no code.")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return str(self.labels.get(value, ""))


def choice(choices, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, read_only=True, **kwargs)


def types_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=choice(ApplicationType.choices),
        read_only=True,
        help_text="The demonstration-project types: innovative (创新性), advanced (先进性), international (国际性).",
        **kwargs,
    )


class VersionSerializer(serializers.Serializer):
    """One published version of a list: its SHA-256 is that of the exact bytes `download_url` serves."""

    version = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the downloaded file, in hexadecimal.")
    entry_count = serializers.IntegerField(read_only=True, help_text="How many projects the version lists.")
    reason = serializers.CharField(read_only=True, help_text="Why this version corrects the one before; empty for 1.")
    published_at = serializers.DateTimeField(source="created_at", read_only=True)


class StandardOnList(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class ListedProject(serializers.Serializer):
    """A project as the published list wrote it (the stored JSON, never the live applications)."""

    number = serializers.IntegerField(read_only=True, help_text="Its number in the list.")
    name = serializers.CharField(read_only=True)
    standards = StandardOnList(many=True, read_only=True)
    group = serializers.CharField(read_only=True, help_text="The social group, as published.")
    recommender = serializers.CharField(read_only=True, help_text="The recommender, as published; may be empty.")
    types = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The types as the list words them (创新性 …)."
    )
