"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the open-data API under /api/v1/.

Everything under /api/v1/ is public and read-only: every actor, signed in or not, gets the same 200 (the API
has no accounts: a signed-in user reads what the public reads). The objects are made for each row through the
services: an imported earlier list (cheap) for the register and announcements, an open notice for the notices,
the world's standard and group profile for the registry.
"""

from tests.publicity.factories import open_notice
from tests.publicity.register_factories import imported_announcement
from tests.test_url_matrix import Row, everyone


def _project(world) -> dict:
    return {"id": imported_announcement(count=2).projects.first().pk}


def _announcement(world) -> dict:
    return {"id": imported_announcement(count=2).pk}


def _notice(world) -> dict:
    return {"id": open_notice(count=1).pk}


ROWS: dict[str, Row] = {
    "api:api-root": Row(everyone(200)),
    "api:schema": Row(everyone(200)),
    "api:docs": Row(everyone(200)),
    "api:project-list": Row(everyone(200)),
    "api:project-detail": Row(everyone(200), kwargs=_project),
    "api:announcement-list": Row(everyone(200)),
    "api:announcement-detail": Row(everyone(200), kwargs=_announcement),
    "api:notice-list": Row(everyone(200)),
    "api:notice-detail": Row(everyone(200), kwargs=_notice),
    "api:standard-list": Row(everyone(200)),
    "api:standard-detail": Row(everyone(200), kwargs=lambda w: {"id": w.standard.pk}),
    "api:group-list": Row(everyone(200)),
    "api:group-detail": Row(everyone(200), kwargs=lambda w: {"id": w.group_profile.pk}),
}
