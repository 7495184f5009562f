"""When a notice closes: the end (NOTICE_CLOSES_AT, Beijing time) of its last working day on the calendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.models import CalendarDay
from publicity.windows import notice_end

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _plain_march_2031():
    # A month of plain weeks unless a test adds a holiday or a make-up working day.
    CalendarDay.objects.filter(date__range=(datetime.date(2031, 2, 20), datetime.date(2031, 4, 30))).delete()


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2031, 3, day, hour, minute, tzinfo=BEIJING)


def test_five_days_from_a_monday_morning_close_on_friday_at_half_past_five():
    assert notice_end(_at(3, 9), 5) == _at(7, 17, 30)


def test_the_weekend_is_not_counted():
    assert notice_end(_at(5, 9), 5) == _at(11, 17, 30)  # Wednesday to the next Tuesday


def test_a_start_after_half_past_five_counts_from_the_next_working_day():
    assert (notice_end(_at(3, 17, 29), 1), notice_end(_at(3, 17, 30), 1), notice_end(_at(3, 20), 1)) == (
        _at(3, 17, 30),
        _at(4, 17, 30),
        _at(4, 17, 30),
    )


def test_a_start_on_friday_evening_counts_from_monday():
    assert notice_end(_at(7, 18), 1) == _at(10, 17, 30)


def test_a_start_on_a_saturday_counts_monday_as_the_first_day():
    assert notice_end(_at(8, 10), 2) == _at(11, 17, 30)


def test_a_holiday_in_the_window_moves_the_end_a_working_day_later():
    CalendarDay.objects.create(date=datetime.date(2031, 3, 5), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")

    assert notice_end(_at(3, 9), 5) == _at(10, 17, 30)


def test_a_make_up_working_day_on_a_weekend_counts():
    CalendarDay.objects.create(date=datetime.date(2031, 3, 8), kind=CalendarDay.Kind.WORKDAY, name="调休上班")

    assert notice_end(_at(5, 9), 5) == _at(10, 17, 30)  # Wed, Thu, Fri, Sat (worked), Mon


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    CalendarDay.objects.create(date=datetime.date(2031, 3, 3), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")

    assert notice_end(_at(3, 9), 1) == _at(4, 17, 30)


def test_the_closing_time_is_a_setting(settings):
    settings.NOTICE_CLOSES_AT = "16:00"

    assert (notice_end(_at(3, 9), 1), notice_end(_at(3, 16, 30), 1)) == (_at(3, 16), _at(4, 16))


def test_the_end_is_in_beijing_time_whatever_zone_the_start_is_given_in():
    start = datetime.datetime(2031, 3, 3, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Beijing

    assert notice_end(start, 5) == _at(7, 17, 30)
