"""Announcements and the register reached through the real services: for this stage's tests and others'.

`published_announcement()` closes a notice through the job (tests/publicity/factories.closed_notice), prepares
the announcement and publishes it, so the list, the register's rows and the audit rows exist.
"""

import itertools

from portal.models import User
from projects.models import Call
from publicity.models import Announcement
from publicity.services import announcements, register
from tests.publicity.factories import closed_notice

_numbers = itertools.count(300)


def next_number(year: int = 2026) -> str:
    return f"工信部科函〔{year}〕{next(_numbers)}号"


def announced_call(**kwargs) -> Call:
    """A call whose notice closed with its applications announced (`count`, and the other closed_notice options)."""
    return closed_notice(**kwargs).call


def draft_announcement(call: Call | None = None, *, by: User | None = None, number: str = "", **kwargs) -> Announcement:
    notice = closed_notice(**kwargs) if call is None else call.notice
    return announcements.save_draft(
        notice.call,
        by=by or notice.created_by,
        number=number or next_number(notice.call.year),
        title=announcements.default_title(notice.call),
        body="经社会公示，现将团体标准应用示范项目名单予以公布。",
    )


def published_announcement(call: Call | None = None, *, by: User | None = None, **kwargs) -> Announcement:
    """A call's announcement published with its announced applications (3 by default: `count=`)."""
    draft = draft_announcement(call, by=by, **kwargs)
    announcements.publish_announcement(draft, by=by or draft.call.notice.created_by)
    draft.refresh_from_db()
    return draft


def imported_row(position: int, *, year: int = 2019, code: str = "CAS", **values) -> register.Row:
    defaults = {
        "standard_number": f"T/{code} {100 + position}—2018",
        "standard_title": f"示例产品技术规范 第{position}部分",
        "group_name": "中国标准化协会",
    }
    defaults.update(values)
    name = defaults.pop("name", f"《{defaults['standard_title']}》团体标准应用示范项目")
    return register.Row(position=position, year=year, name=name, **defaults)


def imported_announcement(
    *, count: int = 3, year: int = 2019, number: str = "", by: User | None = None
) -> Announcement:
    """An earlier programme's list of `count` projects, imported (no registry links)."""
    number = number or next_number(year)
    rows = [imported_row(position, year=year) for position in range(1, count + 1)]
    register.record_imported(number=number, year=year, rows=rows, by=by, source="tests")
    return Announcement.objects.get(number=number)
