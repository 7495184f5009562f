"""Only what is public: every endpoint walked, every field name and value held against what must never show.

The world (tests/api/data.py) holds an objection with its filer's contact, a draft and a scheduled notice, a
draft announcement, applications not announced, private notes and every user's e-mail and phone: none of it
may appear in any answer, under any name, in the schema's fields either.
"""

import json
import re

import yaml
from django.urls import reverse

from projects.models import ApplicationStatus
from publicity.models import NoticeStatus
from tests.api.data import secrets

# No field of the API is named after, or holds, these.
FORBIDDEN_NAMES = (
    "email",
    "phone",
    "contact",
    "score",
    "objection",
    "password",
    "grounds",
    "tracking",
    "opinion",
    "rank",
    "created_by",
    "published_by",
    "uploaded_by",
    "note",
    "draft",
    "scheduled",
    "username",
    "user",
)
# Statuses the public never sees: a notice being prepared or scheduled, an application's own.
FORBIDDEN_VALUES = {NoticeStatus.DRAFT.value, NoticeStatus.SCHEDULED.value} | set(ApplicationStatus.values)
_FORBIDDEN = re.compile(r"(^|_)(" + "|".join(FORBIDDEN_NAMES) + r")(_|s?$)")
LISTS = ("api:project-list", "api:announcement-list", "api:notice-list", "api:standard-list", "api:group-list")


def _walk(value, path: str = ""):
    """Every (field path, field name, value) of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", key, item
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _every_answer(api) -> dict[str, bytes]:
    """The root, every page of every list, and the detail of every object a list gives."""
    answers = {"/api/v1/": api.get(reverse("api:api-root")).content}
    for name in LISTS:
        url = reverse(name)
        while url:
            response = api.get(url)
            assert response.status_code == 200, url
            answers[url] = response.content
            body = response.json()
            for item in body["results"]:
                detail = reverse(name.replace("-list", "-detail"), kwargs={"id": item["id"]})
                answers[detail] = api.get(detail).content
            url = body["next"] and body["next"].removeprefix("http://testserver")
    return answers


def test_no_answer_names_or_holds_anything_private(world, api):
    answers = _every_answer(api)

    named = {
        (url, path)
        for url, content in answers.items()
        for path, key, _value in _walk(json.loads(content))
        if _FORBIDDEN.search(key.lower())
    }
    statuses = {
        (url, path, value)
        for url, content in answers.items()
        for path, _key, value in _walk(json.loads(content))
        if isinstance(value, str) and value in FORBIDDEN_VALUES
    }
    text = {url: content.decode() for url, content in answers.items()}
    held = {(url, secret) for url, content in text.items() for secret in secrets(world) if secret in content}
    assert (named, statuses, held) == (set(), set(), set())
    # The walk read what the world publishes: both notices, the announcement, the projects, the registry.
    assert len(answers) > 25


def test_the_walk_would_see_the_secrets_were_they_public(world, api):
    # The secrets are in the database as the walk looks for them: the draft's text, the filer's address.
    listed = [secret for secret in secrets(world) if secret]

    assert len(listed) > 12
    assert world.objection.email in listed
    assert world.draft_announcement.number in listed


def test_no_field_of_the_schema_is_named_after_anything_private(api):
    schema = yaml.safe_load(api.get(reverse("api:schema")).content)

    names = {
        key
        for component in schema["components"]["schemas"].values()
        for key in component.get("properties", {})
        if _FORBIDDEN.search(key.lower())
    }
    assert names == set()
