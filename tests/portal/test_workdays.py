from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.holiday_source import exceptions_from_chinese_calendar
from portal.models import CalendarDay
from portal.workdays import add_working_days, is_working_day, years_without_data

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY


def _set_days(kind: str, *days: date) -> None:
    for day in days:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": "test"})


def _clear_year(year: int) -> None:
    CalendarDay.objects.filter(date__year=year).delete()


@pytest.fixture
def national_day_2026():
    """The State Council's 2026 arrangement: 10-01…10-07 off, Sunday 09-20 and Saturday 10-10 worked."""
    _set_days(HOLIDAY, *(date(2026, 10, d) for d in range(1, 8)))
    _set_days(WORKDAY, date(2026, 9, 20), date(2026, 10, 10))


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)


def test_holiday_source_has_2026_national_day():
    # What migration 0003 seeds. Read from the source, not the table: a transactional test empties the table.
    days = {
        day: kind
        for day, kind, _name in exceptions_from_chinese_calendar()
        if date(2026, 10, 1) <= day <= date(2026, 10, 11)
    }

    assert days == {
        **{date(2026, 10, d): HOLIDAY for d in range(1, 8)},
        date(2026, 10, 10): WORKDAY,
    }


def test_is_working_day_national_day_2026(national_day_2026):
    assert [is_working_day(date(2026, 10, d)) for d in range(1, 13)] == [
        False, False, False, False, False, False, False,  # 10-01…10-07 off
        True,  # Thursday 10-08 worked
        True,  # Friday 10-09
        True,  # Saturday 10-10 worked as 调休
        False,  # Sunday 10-11 off
        True,  # Monday 10-12
    ]  # fmt: skip


def test_add_working_days_five_from_wednesday_before_national_day_ends_monday(national_day_2026):
    # 09-30, 10-08, 10-09, 10-10 (调休), 10-12: the window closes at the end of Monday 10-12.
    assert add_working_days(_at(2026, 9, 30), 5) == _end_of(date(2026, 10, 12))


def test_add_working_days_zero_returns_the_moment_itself(national_day_2026):
    moment = _at(2026, 10, 3, hour=15)

    assert add_working_days(moment, 0) == moment


def test_add_working_days_one_on_a_working_day_ends_that_day(national_day_2026):
    assert add_working_days(_at(2026, 9, 30, hour=16), 1) == _end_of(date(2026, 9, 30))


def test_add_working_days_start_on_holiday_counts_from_next_working_day(national_day_2026):
    assert add_working_days(_at(2026, 10, 1), 1) == _end_of(date(2026, 10, 8))


def test_add_working_days_counts_the_local_date_of_a_utc_moment(national_day_2026):
    # 16:30 UTC on 09-30 is already 00:30 on Thursday 10-01 in Beijing: a holiday.
    moment = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)

    assert add_working_days(moment, 1) == _end_of(date(2026, 10, 8))


def test_add_working_days_year_without_data_counts_monday_to_friday():
    _clear_year(2031)

    # Monday 2031-09-29 + 5: Mon–Fri, no National Day known for 2031.
    assert add_working_days(_at(2031, 9, 29), 5) == _end_of(date(2031, 10, 3))


def test_add_working_days_window_into_year_without_data_falls_back_to_monday_to_friday():
    _clear_year(2031)
    _set_days(HOLIDAY, date(2030, 12, 31))

    # Monday 12-30, (holiday 12-31), Wednesday 2031-01-01 counted as an ordinary weekday, 01-02, 01-03, 01-06.
    assert add_working_days(_at(2030, 12, 30), 5) == _end_of(date(2031, 1, 6))


def test_add_working_days_longer_than_one_fetch_keeps_counting():
    _clear_year(2031)

    # 100 working days from Wednesday 2031-01-01 span several fetches of exceptions: 20 weeks to Tuesday 05-20.
    assert add_working_days(_at(2031, 1, 1), 100) == _end_of(date(2031, 5, 20))


def test_add_working_days_negative_n_raises():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(_at(2026, 9, 30), -1)


def test_years_without_data_names_only_the_empty_years(national_day_2026):
    _clear_year(2031)

    assert years_without_data([2031, 2026, 2031]) == [2031]
