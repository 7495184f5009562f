"""Reading the State Council's holiday schedule as published; chinesecalendar holds the days it must give."""

from datetime import date

import chinese_calendar
import pytest
from django.utils import translation

from portal.holiday_schedule import ScheduledDay, ScheduleError, parse_schedule
from tests.holiday_notices import NOTICE_2023_NEW_YEAR, NOTICE_2024, NOTICE_2025, NOTICE_2026


def _package_days(first: date, last: date) -> set[tuple[date, str]]:
    holidays = {(day, "holiday") for day in chinese_calendar.holidays if first <= day <= last}
    return holidays | {(day, "workday") for day in chinese_calendar.workdays if first <= day <= last}


def _read(text: str, year: int) -> set[tuple[date, str]]:
    return {(day.date, day.kind) for day in parse_schedule(text, year=year).days}


def _reason(text: str, year: int) -> tuple[int, str, str]:
    with translation.override("en"), pytest.raises(ScheduleError) as raised:
        parse_schedule(text, year=year)
    return raised.value.number, raised.value.line, raised.value.reason


@pytest.mark.parametrize(("year", "text"), [(2025, NOTICE_2025), (2026, NOTICE_2026), (2024, NOTICE_2024)])
def test_parse_schedule_published_notice_gives_chinesecalendars_days(year, text):
    assert _read(text, year) == _package_days(date(year, 1, 1), date(year, 12, 31))


def test_parse_schedule_names_the_days_after_their_festival():
    days = parse_schedule(NOTICE_2026, year=2026).days

    assert [day for day in days if day.date.month == 2] == [
        ScheduledDay(date(2026, 2, 14), "workday", "春节调休"),
        *(ScheduledDay(date(2026, 2, number), "holiday", "春节") for number in range(15, 24)),
        ScheduledDay(date(2026, 2, 28), "workday", "春节调休"),
    ]


def test_parse_schedule_two_festivals_on_one_line_share_its_name():
    days = parse_schedule(NOTICE_2025, year=2025).days

    assert {day.name for day in days if day.date.month in (9, 10)} == {"国庆节、中秋节", "国庆节、中秋节调休"}


def test_parse_schedule_sets_the_rest_of_the_notice_apart():
    schedule = parse_schedule(NOTICE_2026, year=2026)

    assert (schedule.holidays, schedule.workdays, schedule.ignored) == (
        33,
        6,
        [
            "国务院办公厅关于2026年部分节假日安排的通知",
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            "经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。",
            NOTICE_2026.splitlines()[10].strip(),
            "国务院办公厅",
            "2025年11月4日",
        ],
    )


def test_parse_schedule_advice_on_a_festivals_line_is_set_apart():
    schedule = parse_schedule(NOTICE_2024, year=2024)

    assert schedule.ignored == ["鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息"]


def test_parse_schedule_a_date_written_with_its_year_may_be_the_year_before():
    assert _read(NOTICE_2023_NEW_YEAR, 2023) == _package_days(date(2022, 12, 31), date(2023, 1, 2))


def test_parse_schedule_half_width_punctuation_of_a_news_copy_is_read():
    text = (
        "二、春节:2月15日(农历腊月二十八、周日)至23日(农历正月初七、周一)放假调休,共9天。"
        "2月14日(周六)、2月28日(周六)上班。"
    )

    assert _read(text, 2026) == _package_days(date(2026, 2, 14), date(2026, 2, 28))


def test_parse_schedule_another_years_notice_is_refused_at_its_first_line():
    assert _reason(NOTICE_2026.split("\n", 3)[3], 2025) == (
        1,
        "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
        "2025-01-01 is a Wednesday, not “周四” as written: is this the schedule for 2025?",
    )


def test_parse_schedule_another_years_title_is_refused():
    assert _reason(NOTICE_2026, 2027) == (
        1,
        "国务院办公厅关于2026年部分节假日安排的通知",
        "This is the schedule for 2026; this page edits 2027.",
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "三、清明节：4月4日（周六）至6日（周一）放假，共4天。",
            "The line says 4 days, but 2026-04-04 to 2026-04-06 are 3 days.",
        ),
        (
            "四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月8日（周五）上班。",
            "2026-05-08 is a weekday: a make-up working day falls on a Saturday or Sunday.",
        ),
        ("五、端午节：6月19日至6月31日放假。", "A date on this line does not exist."),
        ("六、中秋节：9月27日至25日放假。", "The last day, 2026-09-25, comes before the first."),
        (
            "七、国庆节：10月1日（周四）至7日（周三）休息。",
            "Write the days as the notice does: “5月1日（周五）至5日（周二）放假调休，共5天。”"
            " and “5月9日（周六）上班。”.",
        ),
        (
            "八、国庆节10月1日放假。",
            "Start the line with the festival's name and a colon,"
            " e.g. “五、端午节：6月19日（周五）至21日（周日）放假，共3天。”",
        ),
    ],
    ids=["count", "make-up-weekday", "no-such-date", "backwards", "unknown-wording", "no-colon"],
)
def test_parse_schedule_line_that_does_not_fit_is_refused_with_its_number(line, reason):
    assert _reason(f"{NOTICE_2026.splitlines()[3]}\n{line}", 2026) == (2, line, reason)


def test_parse_schedule_day_named_twice_is_refused():
    text = "一、元旦：1月1日（周四）放假1天。\n二、元旦：1月1日（周四）放假1天。"

    assert _reason(text, 2026) == (2, "二、元旦：1月1日（周四）放假1天。", "2026-01-01 is named twice.")


def test_parse_schedule_text_without_a_schedule_line_is_refused():
    number, line, reason = _reason("各省、自治区、直辖市人民政府：\n国务院办公厅", 2026)

    assert (number, line, reason.startswith("No line of the schedule was found")) == (0, "", True)
