"""Reading the State Council's holiday schedule (国务院办公厅关于某年部分节假日安排的通知) as it is published.

Each numbered line names a festival and its days, e.g.
"二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。"
The other lines of the notice (its title, preamble, closing paragraph and signature) are set apart, not read.
Nothing is saved here: the caller shows what was understood and saves it once confirmed.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import CalendarDay

NAME_LENGTH = CalendarDay._meta.get_field("name").max_length
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY.value, CalendarDay.Kind.WORKDAY.value
WORKDAY_SUFFIX = "调休"  # a make-up day is named after its festival, as the seeded calendar names them
WEEKDAYS = "一二三四五六日"  # 周一 … 周日, in date.weekday() order
EXAMPLE = "五、端午节：6月19日（周五）至21日（周日）放假，共3天。"

# Copies of the notice on news sites turn its full-width punctuation half-width; read both.
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
_SPACES = re.compile(r"\s+")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})[、．.]")
_HEADING = re.compile(r"^(?:(?:[一二三四五六七八九十]+|\d{1,2})[、．.])?(?P<name>[^：，。]{1,40})：(?P<body>.*)$")
_TITLE = re.compile(r"关于(?P<year>\d{4})年部分节假日安排")


def _date(prefix: str) -> str:
    """A date as the notice writes it: "2022年12月31日", "2月15日" or "23日", then an optional "（…、周日）"."""
    return (
        rf"(?:(?P<{prefix}_year>\d{{4}})年)?(?:(?P<{prefix}_month>\d{{1,2}})月)?(?P<{prefix}_day>\d{{1,2}})日"
        rf"(?:（(?P<{prefix}_note>[^）]*)）)?"
    )


_ONE_DATE = re.compile(_date("one"))
_ANY_DATE = r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:（[^）]*）)?"
_HOLIDAYS = re.compile(rf"^{_date('first')}(?:至{_date('last')})?放假(?P<rest>.*)$")
_WORKDAYS = re.compile(rf"^(?:{_ANY_DATE}、)*{_ANY_DATE}上班$")
_COUNT = re.compile(r"^(?P<count>\d+)天|共(?P<total>\d+)天")


@dataclass(frozen=True)
class ScheduledDay:
    date: date
    kind: str  # a CalendarDay.Kind value
    name: str


@dataclass
class Schedule:
    days: list[ScheduledDay] = field(default_factory=list)
    # What was not read as part of the schedule (the preamble, an encouragement to take leave…), shown apart.
    ignored: list[str] = field(default_factory=list)

    @property
    def holidays(self) -> int:
        return sum(day.kind == HOLIDAY for day in self.days)

    @property
    def workdays(self) -> int:
        return sum(day.kind == WORKDAY for day in self.days)


class ScheduleError(ValueError):
    """A line that could not be read: its number (from 1), its text as pasted, and why."""

    def __init__(self, number: int, line: str, reason: str) -> None:
        super().__init__(reason)
        self.number, self.line, self.reason = number, line, reason


class _Unreadable(ValueError):
    """Why the line being read is refused; parse_schedule adds the line's number and text."""


def parse_schedule(text: str, *, year: int) -> Schedule:
    """Read the notice's lines into days off and make-up working days of `year`; raise ScheduleError on the
    first line that names days it cannot read, or that do not fit (a weekday that is not the date's, a count
    of days that is not the range's, a make-up day on a weekday, a day named twice, another year's notice)."""
    schedule = Schedule()
    seen: set[date] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _SPACES.sub("", raw.translate(_FULL_WIDTH))
        if not line:
            continue
        try:
            heading = _schedule_heading(line)
            if heading is None:
                _check_title(line, year)
                schedule.ignored.append(raw.strip())
                continue
            name, body = heading
            for day in _read_body(name, body, year, schedule.ignored):
                if day.date in seen:
                    raise _Unreadable(_("%(date)s is named twice.") % {"date": _show(day.date)})
                seen.add(day.date)
                schedule.days.append(day)
        except _Unreadable as error:
            raise ScheduleError(number, raw.strip(), str(error)) from None
    if not schedule.days:
        raise ScheduleError(
            0,
            "",
            _("No line of the schedule was found: paste the notice's numbered lines, e.g. “%(example)s”")
            % {"example": EXAMPLE},
        )
    schedule.days.sort(key=lambda day: day.date)
    return schedule


def _schedule_heading(line: str) -> tuple[str, str] | None:
    """(festival, what follows the colon) for a line of the schedule; None for any other line of the notice.

    A numbered line ("二、…") is always the schedule's; an unnumbered one only when a date follows its colon,
    so that "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" or "来源：新华社" are set apart.
    """
    heading = _HEADING.match(line)
    numbered = _ORDINAL.match(line) is not None
    if heading is None:
        if numbered:
            message = _("Start the line with the festival's name and a colon, e.g. “%(example)s”")
            raise _Unreadable(message % {"example": EXAMPLE})
        return None
    name, body = heading["name"], heading["body"]
    if not numbered and not body[:1].isdigit():
        return None
    if len(name) + len(WORKDAY_SUFFIX) > NAME_LENGTH:
        raise _Unreadable(_("The festival's name is longer than %(length)d characters.") % {"length": NAME_LENGTH})
    return name, body


def _check_title(line: str, year: int) -> None:
    title = _TITLE.search(line)
    if title and int(title["year"]) != year:
        raise _Unreadable(
            _("This is the schedule for %(written)s; this page edits %(year)d.")
            % {"written": title["year"], "year": year}
        )


def _read_body(name: str, body: str, year: int, ignored: list[str]) -> list[ScheduledDay]:
    days: list[ScheduledDay] = []
    for sentence in filter(None, (part.strip("，") for part in re.split(r"[。；]", body))):
        if sentence.startswith("鼓励"):  # e.g. 2024's "鼓励各单位…安排职工在除夕（2月9日）休息": advice, not a day off
            ignored.append(sentence)
        elif holidays := _HOLIDAYS.match(sentence):
            days += [ScheduledDay(day, HOLIDAY, name) for day in _holiday_range(holidays, year)]
        elif _WORKDAYS.match(sentence):
            days += [
                ScheduledDay(_workday(match, year), WORKDAY, f"{name}{WORKDAY_SUFFIX}")
                for match in _ONE_DATE.finditer(sentence)
            ]
        else:
            raise _Unreadable(
                _("Write the days as the notice does: “%(holidays)s” and “%(workdays)s”.")
                % {"holidays": "5月1日（周五）至5日（周二）放假调休，共5天。", "workdays": "5月9日（周六）上班。"}
            )
    if not days:
        raise _Unreadable(_("The line names no day off and no make-up working day."))
    return days


def _holiday_range(match: re.Match, year: int) -> list[date]:
    first = _day(match, "first", year=year, month=None)
    last = first
    if match["last_day"] is not None:
        last = _day(match, "last", year=int(match["last_year"] or first.year), month=first.month)
    if last < first:
        raise _Unreadable(_("The last day, %(last)s, comes before the first.") % {"last": _show(last)})
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    rest = match["rest"]
    if _ONE_DATE.search(rest):
        raise _Unreadable(_("Write each date in a sentence of its own, ending with “。”."))
    count = _COUNT.search(rest)
    written = count and int(count["count"] or count["total"])
    if written and written != len(days):
        raise _Unreadable(
            _("The line says %(written)d days, but %(first)s to %(last)s are %(count)d days.")
            % {"written": written, "first": _show(first), "last": _show(last), "count": len(days)}
        )
    return days


def _workday(match: re.Match, year: int) -> date:
    day = _day(match, "one", year=year, month=None)
    if day.weekday() < 5:
        raise _Unreadable(
            _("%(date)s is a weekday: a make-up working day falls on a Saturday or Sunday.") % {"date": _show(day)}
        )
    return day


def _day(match: re.Match, prefix: str, *, year: int, month: int | None) -> date:
    """The date in the match's `prefix` groups: its own year and month when written, else the ones given."""
    written_year, written_month = match[f"{prefix}_year"], match[f"{prefix}_month"]
    if written_month is None and month is None:
        raise _Unreadable(_("Write the month of each first date, e.g. “2月15日”."))
    day_year = int(written_year) if written_year else year
    if abs(day_year - year) > 1:
        raise _Unreadable(
            _("The line names a day in %(written)d; this page edits %(year)d.")
            % {
                "written": day_year,
                "year": year,
            }
        )
    try:
        day = date(day_year, int(written_month or month), int(match[f"{prefix}_day"]))
    except ValueError:
        raise _Unreadable(_("A date on this line does not exist.")) from None
    _check_weekday(day, match[f"{prefix}_note"] or "", year)
    return day


def _check_weekday(day: date, note: str, year: int) -> None:
    """The weekday the notice writes beside a date ("（农历腊月二十八、周日）") must be the date's: a schedule
    pasted on another year's page fails here."""
    written = re.search(r"(?:周|星期)([一二三四五六日天])", note)
    if written is None:
        return
    if WEEKDAYS.index(written[1].replace("天", "日")) != day.weekday():
        raise _Unreadable(
            _("%(date)s is a %(weekday)s, not “%(written)s” as written: is this the schedule for %(year)d?")
            % {"date": _show(day), "weekday": date_format(day, "l"), "written": written[0], "year": year}
        )


def _show(day: date) -> str:
    return day.isoformat()
