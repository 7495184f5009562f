"""The OpenAPI description of every operation: besides its body, the refusals, the 304 and the validators.

Each list and detail of the API answers 200 (with ETag and Last-Modified), 304 to a client whose copy is
current, 404 for an id (or page) that names nothing public, 429 past the rate (with Retry-After); a list
also 400 for a query its filters refuse. Saying so here lets clients, and the property-based test, hold the
API to it.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was refused, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For an invalid query: the messages of each parameter.",
    )


OK_AND_NOT_MODIFIED = [200, 304]
CONDITIONAL = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of the copy the client holds: answered 304 while it is current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The Last-Modified of the copy the client holds (an HTTP date); If-None-Match wins.",
    ),
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        enum=["zh-hans", "en"],
        description="The language of labels and messages: Chinese unless English is asked for.",
    ),
    OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=OK_AND_NOT_MODIFIED, required=True),
    OpenApiParameter(
        "Last-Modified", OpenApiTypes.STR, OpenApiParameter.HEADER, response=OK_AND_NOT_MODIFIED, required=True
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429],
        required=True,
        description="Seconds until the address may ask again.",
    ),
]


class PublicSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        return [*super().get_override_parameters(), *CONDITIONAL]

    def get_response_serializers(self) -> dict:
        responses = {
            200: super().get_response_serializers(),
            304: OpenApiResponse(description="The client's copy is current (If-None-Match or If-Modified-Since)."),
            404: OpenApiResponse(ErrorSerializer, description="No such public object, or no such page."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests from this address."),
        }
        if getattr(self.view, "action", None) == "list":
            responses[400] = OpenApiResponse(ErrorSerializer, description="A filter refused the query.")
        return responses
