"""The Atom feed of opened notices and published announcements (/projects/feed/)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from tests.publicity import factories
from tests.publicity.register_factories import draft_announcement, imported_announcement, published_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("publicity:project_feed")


def _parse_atom(content: bytes) -> list[dict]:
    """The feed's entries, after checking what RFC 4287 requires of the feed and of each entry."""
    root = ET.fromstring(content)  # noqa: S314 — the portal's own feed, read by a test
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{element}") is not None, element
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        values = {element: entry.findtext(f"{ATOM}{element}") for element in ("id", "title", "updated", "published")}
        assert all(values[element] for element in ("id", "title", "updated")), values
        datetime.datetime.fromisoformat(values["updated"])  # an RFC 3339 date-time
        values["link"] = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        entries.append(values)
    return entries


def test_feed_is_atom_with_opened_notices_and_published_announcements(client):
    draft = draft_announcement()  # its notice is in the feed, the draft is not
    factories.scheduled_notice()  # not open yet: not in the feed
    opened = factories.open_notice()
    announcement = published_announcement(count=1)
    imported_announcement()  # an earlier year's list: not news

    response = client.get(FEED)
    entries = _parse_atom(response.content)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert [entry["link"] for entry in entries] == [
        f"http://testserver{announcement.get_absolute_url()}",
        f"http://testserver/publicity/{announcement.call.notice.pk}/",
        f"http://testserver/publicity/{opened.pk}/",
        f"http://testserver/publicity/{draft.call.notice.pk}/",
    ]
    assert announcement.number in entries[0]["title"]


def test_feed_shows_a_new_announcement_at_once(client):
    assert _parse_atom(client.get(FEED).content) == []

    announcement = published_announcement(count=1)

    assert announcement.number in _parse_atom(client.get(FEED).content)[0]["title"]
