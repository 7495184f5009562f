"""A call's phase, derived from its dates at the exact second in Beijing time, and what lists show of it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from projects.models import Call, CallPhase, DeadlineExtension
from projects.selectors.calls import call_entry
from tests.factories import CallFactory, SocialGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
SECOND = datetime.timedelta(seconds=1)
OPENS = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BEIJING)
DEADLINE = datetime.datetime(2026, 4, 30, 17, 0, tzinfo=BEIJING)
RECOMMENDATION = datetime.datetime(2026, 5, 29, 17, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def call():
    return CallFactory(
        opens_at=OPENS,
        deadline=DEADLINE,
        implementation_cutoff=DEADLINE.date(),
        recommendation_deadline=RECOMMENDATION,
    )


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (OPENS - SECOND, CallPhase.UPCOMING),
        (OPENS, CallPhase.OPEN),
        (DEADLINE, CallPhase.OPEN),
        (DEADLINE + SECOND, CallPhase.RECOMMENDING),
        (RECOMMENDATION, CallPhase.RECOMMENDING),
        (RECOMMENDATION + SECOND, CallPhase.REVIEWING),
    ],
)
def test_call_phase_changes_at_the_exact_second_in_beijing_time(call, now, phase):
    assert call.phase(now) == phase


def test_call_phase_reads_the_same_moment_in_any_zone(call):
    # 17:00 in Beijing is 09:00 UTC: one second later the call is closed wherever the clock is read.
    utc_moment = datetime.datetime(2026, 4, 30, 9, 0, 1, tzinfo=datetime.UTC)

    assert call.phase(utc_moment) == CallPhase.RECOMMENDING


def test_call_phase_is_not_stored():
    assert [f.name for f in Call._meta.get_fields() if "phase" in f.name] == []


@pytest.mark.parametrize(
    ("now", "label", "milestone", "is_open"),
    [
        (OPENS - SECOND, "Submission opens", OPENS, False),
        (OPENS, "Submission closes", DEADLINE, True),
        (DEADLINE + SECOND, "Recommendations close", RECOMMENDATION, False),
        (RECOMMENDATION + SECOND, "", None, False),
    ],
)
def test_call_entry_names_the_next_date_of_each_phase(call, now, label, milestone, is_open):
    entry = call_entry(call, now)

    assert (str(entry.milestone_label), entry.milestone, entry.is_open) == (label, milestone, is_open)


def test_call_entry_time_left_is_in_words(call):
    entry = call_entry(call, DEADLINE - datetime.timedelta(days=3, hours=2))

    assert entry.time_left == "3\xa0days, 2\xa0hours"


def test_call_entry_time_left_is_empty_once_nothing_is_ahead(call):
    assert call_entry(call, RECOMMENDATION + SECOND).time_left == ""


def test_call_entry_keeps_the_call_open_for_a_group_with_a_running_extension(call):
    until = DEADLINE + datetime.timedelta(days=3)
    extension = DeadlineExtension.objects.create(
        call=call, organisation=SocialGroupFactory(), until=until, reason="系统故障", granted_by=UserFactory()
    )

    entry = call_entry(call, DEADLINE + datetime.timedelta(days=1), [extension])

    assert (entry.phase, entry.is_open, entry.milestone, entry.extensions) == (
        CallPhase.RECOMMENDING,
        True,
        until,
        [extension],
    )


def test_call_entry_ignores_an_extension_that_has_run_out(call):
    until = DEADLINE + datetime.timedelta(days=3)
    extension = DeadlineExtension.objects.create(
        call=call, organisation=SocialGroupFactory(), until=until, reason="系统故障", granted_by=UserFactory()
    )

    entry = call_entry(call, until + SECOND, [extension])

    assert (entry.is_open, entry.milestone) == (False, RECOMMENDATION)


# --- public notice and closing: the notice's window of working days on the calendar -------------------
NOTICE_OPENS = datetime.date(2026, 9, 30)  # a Wednesday before the National Day holiday


@pytest.fixture
def noticed_call(call):
    call.publicity_opens_on = NOTICE_OPENS
    call.publicity_working_days = 5
    call.save()
    return call


def _beijing(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=BEIJING)


def test_call_phase_without_a_scheduled_notice_stays_in_review(call):
    assert call.phase(datetime.datetime(2030, 1, 1, tzinfo=BEIJING)) == CallPhase.REVIEWING


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (_beijing(NOTICE_OPENS) - SECOND, CallPhase.REVIEWING),
        (_beijing(NOTICE_OPENS), CallPhase.PUBLICITY),
        # 30 Sep, then 9, 10 (a make-up Saturday), 11 and 12 October: the holiday is not counted.
        (_beijing(datetime.date(2026, 10, 13)) - SECOND, CallPhase.PUBLICITY),
        (_beijing(datetime.date(2026, 10, 13)), CallPhase.CLOSED),
        (_beijing(datetime.date(2027, 6, 1)), CallPhase.CLOSED),
    ],
)
def test_call_phase_follows_the_notice_window_in_working_days(noticed_call, now, phase):
    assert noticed_call.phase(now) == phase


def test_call_entry_in_public_notice_counts_down_to_its_close(noticed_call):
    entry = call_entry(noticed_call, _beijing(datetime.date(2026, 10, 9)))

    assert (entry.phase, str(entry.milestone_label), entry.milestone) == (
        CallPhase.PUBLICITY,
        "Public notice closes",
        _beijing(datetime.date(2026, 10, 13)),
    )


def test_call_phase_of_a_long_past_notice_asks_no_query(noticed_call, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert noticed_call.phase(_beijing(datetime.date(2027, 6, 1))) == CallPhase.CLOSED


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_call_phase_bound_holds_for_the_longest_notice_on_every_day_of_the_year(call, year):
    # The shortcut in Call.phase assumes the longest notice closes within PUBLICITY_BOUND of its opening.
    from portal.workdays import add_working_days
    from projects.models.calls import PUBLICITY_BOUND
    from projects.services.calls import MAX_PUBLICITY_WORKING_DAYS

    day = datetime.date(year, 1, 1)
    longest = datetime.timedelta(0)
    while day.year == year:
        opens = _beijing(day)
        longest = max(longest, add_working_days(opens, MAX_PUBLICITY_WORKING_DAYS) - opens)
        day += datetime.timedelta(days=1)

    assert longest < PUBLICITY_BOUND
