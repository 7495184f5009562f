"""Rows of the role × URL matrix (tests/test_url_matrix.py) for the public notices:
the secretariat's preparing and scheduling, the public's /publicity/ pages.

An opened notice is everyone's to read (its page, its list's bytes); preparing, editing, scheduling and
correcting are the secretariat's. The world's call has no notice, so its preparing page is the form; a notice
scheduled to open tomorrow is edited and corrected, and scheduling it again is refused in its state (409).
"""

from tests.publicity import factories
from tests.test_url_matrix import Row, everyone, secretariat_only


def _open(world) -> dict:
    return {"pk": factories.open_notice(count=1).pk}


def _scheduled(world) -> dict:
    return {"pk": factories.scheduled_notice(count=1).pk}


ROWS: dict[str, Row] = {
    "publicity:notice_prepare": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "publicity:notice_list": Row(everyone(200)),
    "publicity:notice_detail": Row(everyone(200), kwargs=_open),
    "publicity:notice_list_download": Row(everyone(200), kwargs=lambda w: {**_open(w), "version": 1}),
    "publicity:notice_edit": Row(secretariat_only(), kwargs=_scheduled),
    "publicity:notice_correct": Row(secretariat_only(), kwargs=_scheduled),
    "publicity:notice_schedule": Row(secretariat_only(409), kwargs=_scheduled, method="post"),
}
