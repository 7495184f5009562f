import pytest

from projects.models import ApplicationStatus
from publicity.models import NoticeStatus
from tests.publicity import factories

pytestmark = pytest.mark.django_db


def test_closed_notice_announces_every_listed_application():
    notice = factories.closed_notice(count=2)
    statuses = sorted(notice.applications.values_list("status", flat=True))
    assert (notice.status, statuses) == (NoticeStatus.CLOSED, [ApplicationStatus.ANNOUNCED] * 2)
