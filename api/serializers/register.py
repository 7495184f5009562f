"""Announced projects (the register of /projects/) and the announcements that published them."""

from rest_framework import serializers

from api.serializers.common import (
    LabelField,
    LinkField,
    ListedProject,
    PageField,
    VersionSerializer,
    choice,
    types_field,
)
from portal.choices import Province
from projects.models import IndustryField


class ProjectStandard(serializers.Serializer):
    id = serializers.IntegerField(
        source="standard_id", read_only=True, allow_null=True, help_text="The standard in /standards/, if registered."
    )
    number = serializers.CharField(source="standard_number", read_only=True)
    title = serializers.CharField(source="standard_title", read_only=True)


class ProjectGroup(serializers.Serializer):
    id = serializers.IntegerField(
        source="group_profile_id", read_only=True, allow_null=True, help_text="The group in /groups/, if registered."
    )
    name = serializers.CharField(source="group_name", read_only=True)


class ProjectAnnouncement(serializers.Serializer):
    id = serializers.IntegerField(source="announcement_id", read_only=True)
    number = serializers.CharField(source="announcement.number", read_only=True, help_text="Its document number.")


class ProjectSerializer(serializers.Serializer):
    """One announced demonstration project, as its announcement published it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True, help_text="Its number in the announcement's list.")
    types = types_field(source="claimed_types")
    standard = ProjectStandard(source="*", read_only=True)
    group = ProjectGroup(source="*", read_only=True)
    recommender = serializers.CharField(
        source="recommender_name", read_only=True, help_text="Empty for a group the ministry manages directly."
    )
    province = choice(Province.choices, allow_blank=True)
    province_label = LabelField(Province.choices, source="province")
    industry_field = choice(IndustryField.choices, allow_blank=True)
    industry_field_label = LabelField(IndustryField.choices, source="industry_field")
    announcement = ProjectAnnouncement(source="*", read_only=True)
    url = PageField()


class AnnouncementVersion(VersionSerializer):
    download_url = LinkField(
        "publicity:announcement_list_download", kwargs_of=lambda v: {"pk": v.announcement_id, "version": v.version}
    )


class AnnouncementCall(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    notice_number = serializers.CharField(read_only=True, help_text="The call's document number.")


class AnnouncementSerializer(serializers.Serializer):
    """A published announcement (公告) of a programme's final list; an imported one is an earlier year's list."""

    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text="Its document number, e.g. 工信部科函〔2023〕333号.")
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    imported = serializers.BooleanField(read_only=True, help_text="Imported from an earlier programme's list.")
    published_at = serializers.DateTimeField(read_only=True)
    call = AnnouncementCall(read_only=True, allow_null=True)
    project_count = serializers.IntegerField(read_only=True, help_text="How many projects of the register it lists.")
    versions = AnnouncementVersion(source="published_versions", many=True, read_only=True)
    url = PageField()


class AnnouncedEntry(ListedProject):
    project = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The project's id in /api/v1/projects/."
    )


class AnnouncementDetailSerializer(AnnouncementSerializer):
    projects = AnnouncedEntry(
        source="projects_listed", many=True, read_only=True, help_text="The current version's list, as published."
    )
