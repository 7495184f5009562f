"""Rows of the role × URL matrix (tests/test_url_matrix.py) for announcements and the public register:
/projects/, its export and feed, past programmes' import.

The register and published announcements are everyone's to read; preparing, publishing, correcting and
importing are the secretariat's, refused by role to every other user. The objects are made for each row
through the services: an imported earlier list (cheap), a draft of the world's call (whose notice has not
closed, so publishing it is refused in this state: 409), and for the correction a call announced for real.
"""

from publicity.services import announcements
from tests.publicity.register_factories import imported_announcement, next_number, published_announcement
from tests.test_url_matrix import SECRETARIAT, Row, everyone, secretariat_only


def _imported(world) -> dict:
    return {"pk": imported_announcement(count=2).pk}


def _project(world) -> dict:
    return {"pk": imported_announcement(count=2).projects.first().pk}


def _download(world) -> dict:
    return {**_imported(world), "version": 1}


def _draft(world) -> dict:
    draft = announcements.save_draft(
        world.call, by=world.users[SECRETARIAT], number=next_number(), title="名单", body=""
    )
    return {"pk": draft.pk}


def _published(world) -> dict:
    return {"pk": published_announcement(count=1).pk}


ROWS: dict[str, Row] = {
    "publicity:project_list": Row(everyone(200)),
    "publicity:project_export": Row(everyone(200)),
    "publicity:project_feed": Row(everyone(200)),
    "publicity:project_detail": Row(everyone(200), kwargs=_project),
    "publicity:register_import": Row(secretariat_only()),
    "publicity:register_import_template": Row(secretariat_only()),
    "publicity:announcement_detail": Row(everyone(200), kwargs=_imported),
    "publicity:announcement_list_download": Row(everyone(200), kwargs=_download),
    "publicity:announcement_prepare": Row(secretariat_only(), kwargs=lambda world: {"pk": world.call.pk}),
    # POST only; the world's call is still open, so its draft cannot be published yet (409).
    "publicity:announcement_publish": Row(secretariat_only(409), kwargs=_draft, method="post"),
    "publicity:announcement_correct": Row(secretariat_only(), kwargs=_published),
}
