"""What every endpoint of the API does alike: read as the public, validators first, refusals as JSON.

An answer is kept in the shared cache under its ETag: the ETag names the topics' versions, the address and the
language, so while it is current the same bytes are due to anyone who asks, and are served with no query; a
change to what it shows moves a topic, and so the ETag, at once (as portal.public_cache serves the pages).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpResponse
from rest_framework import mixins, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api import conditional
from api.exceptions import not_found
from portal.views.helpers import key_or_none

# Whoever is signed in on the portal, the API answers what the public sees (it has no authentication).
PUBLIC = AnonymousUser()
BODY_KEY = "api:body:{}"
# As long as a public page is kept (portal.public_cache): for what moves with time alone.
BODY_SECONDS = 300


class Answered(APIException):
    """Raised once the throttle has counted the request, when the client's copy is current (a 304) or the
    answer is in the cache."""

    def __init__(self, response) -> None:
        self.response = response


class PublicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A list and a detail, answered from the public topics' versions while nothing they show has changed.

    `topics`: the public topics (portal.public_cache) whose changes change what the endpoint says.
    `detail_object(pk)`: the object, from the stage's selector; None (or Http404) when nothing public has it.
    """

    topics: tuple[str, ...] = ()
    # Any text reaches the view, which answers 404 JSON to whatever names no row (key_or_none), rather than
    # leaving a 20-digit or lettered id to the URL resolver's HTML 404.
    lookup_value_regex = "[^/]+"
    lookup_url_kwarg = "id"

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # the throttle first: a 304 is a request too
        self.validators = conditional.validators(request, self.topics)
        response = self.validators.not_modified(request)
        if response is None and (body := cache.get(BODY_KEY.format(self.validators.etag))) is not None:
            response = HttpResponse(body, content_type="application/json")
        if response is not None:
            raise Answered(response)

    def handle_exception(self, exc):
        if isinstance(exc, Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "validators", None)
        if validators is not None and response.status_code in (200, 304):
            validators.apply(response)
            # Kept, but asked about again each time: the ETag makes asking cheap.
            response.headers["Cache-Control"] = "no-cache"
            if isinstance(response, Response) and response.status_code == 200:
                key = BODY_KEY.format(validators.etag)
                response.add_post_render_callback(lambda rendered: cache.set(key, rendered.content, BODY_SECONDS))
        return response

    def get_object(self) -> Model:
        pk = key_or_none(self.kwargs.get(self.lookup_url_kwarg))
        found = self.detail_object(pk) if pk is not None else None
        if found is None:
            raise not_found()
        return found

    def detail_object(self, pk: int) -> Model | None:
        raise NotImplementedError
