"""The registry: group standards and the social groups that issue them, as /standards/ and /groups/ show them."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import LabelField, LinkField, PageField, absolute, choice, types_field
from portal.choices import SocialGroupType
from standards.models import Adoption, GroupDocument, Rating, StandardStatus


class GroupRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="organisation.code", read_only=True, help_text="The code in its numbers.")
    name = serializers.CharField(source="organisation.name", read_only=True)


class StandardRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(source="display_number", read_only=True)


class StandardSerializer(serializers.Serializer):
    """A group standard (团体标准) in the registry."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(source="display_number", read_only=True, help_text="As the group published it.")
    normalised_number = serializers.CharField(
        source="number", read_only=True, help_text="Its normal form, which `?q=` matches in any written form."
    )
    title_zh = serializers.CharField(read_only=True)
    title_en = serializers.CharField(read_only=True)
    status = choice(StandardStatus.choices)
    status_label = LabelField(StandardStatus.choices, source="status")
    issuer = GroupRef(read_only=True)
    publication_date = serializers.DateField(read_only=True)
    implementation_date = serializers.DateField(read_only=True)
    repeal_date = serializers.DateField(read_only=True, allow_null=True)
    ics = serializers.CharField(read_only=True)
    ccs = serializers.CharField(read_only=True)
    types = types_field(source="eligible_types")
    url = PageField()


class AdoptionSerializer(serializers.Serializer):
    kind = choice(Adoption.Kind.choices)
    kind_label = LabelField(Adoption.Kind.choices, source="kind")
    title = serializers.CharField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    link = serializers.CharField(source="url", read_only=True, help_text="Where the document is published, if given.")
    conversion_target = choice(Adoption.ConversionTarget.choices, allow_blank=True)
    conversion_status = choice(Adoption.ConversionStatus.choices, allow_blank=True)


class RatingSerializer(serializers.Serializer):
    criterion = serializers.CharField(read_only=True)
    rating = choice(Rating.choices)
    comment = serializers.CharField(read_only=True)


class EvaluationSerializer(serializers.Serializer):
    evaluator = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    ratings = serializers.SerializerMethodField(help_text="The notice's five criteria, in its order.")
    report_url = serializers.SerializerMethodField()

    @extend_schema_field(RatingSerializer(many=True))
    def get_ratings(self, evaluation) -> list:
        rows = [
            {
                "criterion": field,
                "rating": getattr(evaluation, field),
                "comment": getattr(evaluation, f"{field}_comment"),
            }
            for field, _label in evaluation.CRITERIA
        ]
        return RatingSerializer(rows, many=True).data

    def get_report_url(self, evaluation) -> str | None:
        if not evaluation.report:
            return None
        kwargs = {"pk": evaluation.standard_id, "evaluation_pk": evaluation.pk}
        return absolute(self, reverse("standards:evaluation_report", kwargs=kwargs))


class ProjectRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)


class StandardDetailSerializer(StandardSerializer):
    co_issuers = GroupRef(many=True, read_only=True)
    replaced_by = StandardRef(read_only=True, allow_null=True)
    replaces = StandardRef(many=True, read_only=True)
    industry_class = serializers.CharField(read_only=True, help_text="GB/T 4754 national-economy industry class.")
    drafting_units = serializers.CharField(read_only=True)
    drafters = serializers.CharField(read_only=True)
    scope = serializers.CharField(read_only=True)
    technical_content = serializers.CharField(read_only=True)
    has_patents = serializers.BooleanField(read_only=True)
    patent_declaration = serializers.CharField(read_only=True)
    fills_gap = serializers.BooleanField(read_only=True)
    stricter_than = serializers.CharField(read_only=True)
    international_standard = serializers.CharField(read_only=True)
    internationally_leading = serializers.BooleanField(read_only=True)
    full_text_url = serializers.SerializerMethodField(help_text="The full text (PDF), when it is public.")
    adoptions = AdoptionSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)
    projects = ProjectRef(source="demonstration_projects", many=True, read_only=True)

    def get_full_text_url(self, standard) -> str | None:
        if not (standard.full_text and standard.full_text_public):
            return None
        return absolute(self, reverse("standards:standard_full_text", kwargs={"pk": standard.pk}))


class GroupSerializer(serializers.Serializer):
    """A social group (社会团体) in the registry, with how many standards it issued or co-issued."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="organisation.code", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    short_name = serializers.CharField(source="organisation.short_name", read_only=True)
    type = choice(SocialGroupType.choices, source="organisation.social_group_type")
    type_label = LabelField(SocialGroupType.choices, source="organisation.social_group_type")
    standard_count = serializers.IntegerField(read_only=True)
    url = PageField()


class DocumentSerializer(serializers.Serializer):
    kind = choice(GroupDocument.Kind.choices)
    kind_label = LabelField(GroupDocument.Kind.choices, source="kind")
    title = serializers.CharField(read_only=True)
    version_date = serializers.DateField(read_only=True)
    url = LinkField("standards:group_document", kwargs_of=lambda d: {"pk": d.group_id, "document_pk": d.pk})


class GroupDetailSerializer(GroupSerializer):
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    registration_number = serializers.CharField(read_only=True)
    registration_authority = serializers.CharField(read_only=True)
    legal_representative = serializers.CharField(read_only=True)
    supporting_unit = serializers.CharField(read_only=True)
    business_scope = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    postcode = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    documents = DocumentSerializer(
        source="published_documents", many=True, read_only=True, help_text="Each kind's versions, newest first."
    )
    standards_url = serializers.SerializerMethodField(help_text="The standards it issued or co-issued, in the API.")

    def get_standards_url(self, group) -> str:
        return absolute(self, f"{reverse('api:standard-list')}?{urlencode({'group': group.organisation.code})}")
