"""Every page of the (role × URL) matrix reads as words (issue 10), as every actor who may open it:

- in Chinese and in English, no internal code (tests/leaks.py: actions, snake_case names, choice values);
- in Chinese, no half-width punctuation inside Chinese text ("名称:", "(北京时间)"), nor doubled ("承诺。:");
- a standard's number as its group published it (`display_number`), never its normal form where that differs.

The matrix's world is built once per page; a page that fails lists what it found, for whom and where.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from standards.models import GroupStandard
from tests.leaks import Leak, describe, find_half_width_punctuation, find_leaks, readable_text
from tests.test_url_matrix import ACTORS, MATRIX, world  # noqa: F401 - `world` is the matrix's fixture

# Pages shown to people: what the matrix opens with GET and expects a 200 from, for someone.
PAGES = [name for name, row in MATRIX.items() if row.method == "get" and 200 in row.expected.values()]
LANGUAGES = ("zh-hans", "en")


def _normal_numbers(html: str, standards: list[GroupStandard]) -> list[Leak]:
    """A standard's normal form where it differs from the number as published (`T/ORG 1—2020` for `T/ORG 001—2020`)."""
    found = []
    for text, where in readable_text(html):
        for standard in standards:
            if standard.number != standard.display_number and standard.number in text:
                found.append(Leak(standard.number, "normal form", where, " ".join(text.split())[:80]))
    return found


def _problems(world, name: str) -> dict[str, list[str]]:  # noqa: F811 - the fixture, passed on
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    allowed = {user.username for user in world.users.values() if user is not None}
    standards = list(GroupStandard.objects.all())
    found = {}
    for actor in ACTORS:
        if row.expected[actor] != 200:
            continue
        client = Client()
        if world.users[actor] is not None:
            client.force_login(world.users[actor])
        for language in LANGUAGES:
            # The request activates its language in this thread; put back the one before (the next world's
            # audit notes are written in it).
            with translation.override(translation.get_language()):
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            leaks = find_leaks(html, allowed=allowed) + find_half_width_punctuation(html)
            leaks += _normal_numbers(html, standards)
            if leaks:
                found[f"{actor}, {language}"] = describe(leaks, page=url).splitlines()
    return found


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_words_not_codes_to_everyone(world, name):  # noqa: F811 - the matrix's fixture
    assert _problems(world, name) == {}
