"""Reading China's official holiday arrangements from the chinese-calendar package (no models here)."""

from collections.abc import Iterator
from datetime import date

import chinese_calendar

HOLIDAY = "holiday"
WORKDAY = "workday"

# chinese-calendar names holidays in English; the calendar shows the official Chinese names.
_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def exceptions_from_chinese_calendar() -> Iterator[tuple[date, str, str]]:
    """Every holiday and every make-up working day the package knows, as (date, kind, Chinese name)."""
    for day, name in sorted(chinese_calendar.holidays.items()):
        yield day, HOLIDAY, _NAMES.get(name, name or "")
    for day, name in sorted(chinese_calendar.workdays.items()):
        yield day, WORKDAY, f"{_NAMES.get(name, name or '')}调休".strip()


def seed_calendar(calendar_day_model) -> int:
    """Add the package's days that the table lacks; return how many. Takes the model so migrations can call it."""
    existing = set(calendar_day_model.objects.values_list("date", flat=True))
    created = calendar_day_model.objects.bulk_create(
        calendar_day_model(date=day, kind=kind, name=name)
        for day, kind, name in exceptions_from_chinese_calendar()
        if day not in existing
    )
    return len(created)
