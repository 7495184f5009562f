"""Public notices (公示) that have opened, with the versions of their published lists and their hashes."""

from rest_framework import serializers

from api.serializers.common import LabelField, LinkField, ListedProject, PageField, VersionSerializer
from publicity.models.notices import PUBLIC_STATUSES as PUBLIC

# The statuses the public ever sees: a draft or scheduled notice is the secretariat's (404 to everyone else).
PUBLIC_STATUSES = [(status.value, status.label) for status in PUBLIC]


class NoticeVersion(VersionSerializer):
    download_url = LinkField(
        "publicity:notice_list_download", kwargs_of=lambda v: {"pk": v.notice_id, "version": v.version}
    )


class NoticeCall(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    notice_number = serializers.CharField(read_only=True, help_text="The call's document number.")


class NoticeSerializer(serializers.Serializer):
    """A public notice of a call's shortlist: its window (working days, Beijing time) and its list's versions.

    Objections are filed on the notice's page on the portal (`url`), not through the API.
    """

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES, read_only=True)
    status_label = LabelField(PUBLIC_STATUSES, source="status")
    call = NoticeCall(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    working_days = serializers.IntegerField(read_only=True)
    opened_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    project_count = serializers.IntegerField(read_only=True, help_text="How many projects the notice lists.")
    versions = NoticeVersion(source="published_versions", many=True, read_only=True)
    url = PageField()


class NoticeDetailSerializer(NoticeSerializer):
    body = serializers.CharField(read_only=True, help_text="The text of the notice.")
    projects = ListedProject(
        source="projects_listed", many=True, read_only=True, help_text="The current version's list, as published."
    )
