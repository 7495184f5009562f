"""Public pages for anonymous visitors, kept in the shared cache (Redis) and dropped when what they show changes.

A public view is decorated with the topics its page shows (`@public_page("registry")`). For a visitor who is
not signed in and carries no session or messages, the whole page comes from the cache: one round trip that
reads the page and the topics' versions together. A page is served only while the versions it was rendered
with are current, so a change shows at once: the services that change what a topic shows write an audit
event, and `portal.audit.record` moves the topics of its action (each app's `public_topics`, keyed by the
action's noun, as `audit_actions` names its labels). A page is also kept only for `seconds`, for what moves
with time alone (a call that opens, a countdown).

Nobody signed in is ever served from the cache, and nothing is stored from a signed-in request. The language,
the full path and whether htmx asked for a fragment are part of the key. The form tokens (CSRF) in a stored
page are blanked and filled in for each visitor, so every visitor's forms carry their own.
"""

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from functools import cache as memoise
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

# Each app may declare `public_topics = {"<noun>": ("<topic>", ...)}` on its AppConfig.
TOPIC_KEY = "public:topic:{}"
PAGE_KEY = "public:page:{}"
DEFAULT_SECONDS = 300
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_PLACEHOLDER = rb"\1__csrf__\2"
_PLACEHOLDER = b'name="csrfmiddlewaretoken" value="__csrf__"'


def public_page(*topics: str, seconds: int = DEFAULT_SECONDS) -> Callable:
    """Serve the view's page to anonymous visitors from the cache while `topics` have not changed."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _may_share(request):
                return view(request, *args, **kwargs)
            key = PAGE_KEY.format(_page_id(request))
            versions = _versions(topics, page_key=key)
            stored = versions.pop(key, None)
            if stored is not None and stored["versions"] == versions:
                return _from_store(request, stored)
            response = view(request, *args, **kwargs)
            if _may_store(request, response):
                cache.set(key, _to_store(response, versions), seconds)
            return response

        return wrapper

    return decorator


def changed(*topics: str) -> None:
    """What `topics` show has changed: no page rendered before this may be served again.

    Now, so that the rest of this transaction (and a test) never reads the old page; and again once the
    transaction commits, so that a page rendered meanwhile from the old rows is dropped too.
    """
    if not topics:
        return
    _move(topics)
    transaction.on_commit(lambda: _move(topics))


def topics_of_action(action: str) -> tuple[str, ...]:
    """The public topics an audited action changes, from the apps' `public_topics`."""
    return _topics_by_noun().get(action.partition(".")[0], ())


def everything_changed() -> None:
    """After a bulk load that wrote past the services (the demo data): every public page is stale."""
    changed(*{topic for topics in _topics_by_noun().values() for topic in topics})


@memoise
def _topics_by_noun() -> dict[str, tuple[str, ...]]:
    topics: dict[str, tuple[str, ...]] = {}
    for config in apps.get_app_configs():
        for noun, names in getattr(config, "public_topics", {}).items():
            topics[noun] = tuple(sorted({*topics.get(noun, ()), *names}))
    return topics


def _move(topics: Iterable[str]) -> None:
    # A new version each time (not a counter): a counter lost with the cache would start again at values
    # that pages stored before may still carry.
    now = time.time_ns()
    cache.set_many({TOPIC_KEY.format(topic): now for topic in topics}, timeout=None)


def _versions(topics: Iterable[str], *, page_key: str) -> dict:
    """The page stored under `page_key` (if any) and each topic's version, in one round trip."""
    keys = [TOPIC_KEY.format(topic) for topic in topics]
    found = cache.get_many([page_key, *keys])
    missing = [key for key in keys if key not in found]
    if missing:  # never changed yet, or lost with the cache: start a version, as another process may have
        now = time.time_ns()
        for key in missing:
            cache.add(key, now, timeout=None)
        found.update(cache.get_many(missing))
    return {key: found.get(key) for key in [page_key, *keys] if key in found}


def _may_share(request: HttpRequest) -> bool:
    """A page every anonymous visitor would see alike: a plain GET, no session, no message waiting."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _page_id(request: HttpRequest) -> str:
    htmx = request.headers.get("HX-Request") == "true"
    text = f"{request.LANGUAGE_CODE}|{htmx}|{request.get_full_path()}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(messages, "_queued_messages", None)
        and not getattr(messages, "used", False)
    )


def _to_store(response: HttpResponse, versions: dict) -> dict:
    return {
        "content": _TOKEN.sub(_TOKEN_PLACEHOLDER, response.content),
        "headers": {name: value for name, value in response.headers.items() if name.lower() != "set-cookie"},
        "versions": versions,
    }


def _from_store(request: HttpRequest, stored: dict) -> HttpResponse:
    content = stored["content"]
    if _PLACEHOLDER in content:
        token = get_token(request).encode()
        content = content.replace(_PLACEHOLDER, b'name="csrfmiddlewaretoken" value="' + token + b'"')
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response.headers[name] = value
    return response
