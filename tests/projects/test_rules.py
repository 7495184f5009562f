"""The notice's eligibility rules: six months of implementation, recommenders, deadlines."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from portal.choices import Province
from projects import rules
from projects.models import DeadlineExtension
from standards.models import StandardStatus
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    profile_of,
)

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 6, 30), 6, datetime.date(2025, 12, 30)),
        (datetime.date(2026, 3, 15), 6, datetime.date(2025, 9, 15)),  # across the year
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),  # 31st clamps to February's end
        (datetime.date(2024, 8, 31), 6, datetime.date(2024, 2, 29)),  # leap year
        (datetime.date(2026, 12, 31), 6, datetime.date(2026, 6, 30)),  # 31st into a 30-day month
        (datetime.date(2026, 5, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2025, 3, 29), 1, datetime.date(2025, 2, 28)),  # 29th in a common year
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),  # from a leap day
        (datetime.date(2026, 1, 31), 0, datetime.date(2026, 1, 31)),
        (datetime.date(2026, 1, 1), 1, datetime.date(2025, 12, 1)),
    ],
)
def test_months_before(day, months, expected):
    assert rules.months_before(day, months) == expected


@pytest.mark.django_db
def test_latest_implementation_date_is_six_months_before_cutoff():
    call = CallFactory(implementation_cutoff=datetime.date(2024, 8, 31))

    assert rules.latest_implementation_date(call) == datetime.date(2024, 2, 29)


# --- standard_problems ------------------------------------------------------------------------------
@pytest.fixture
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_standard_problems_none_for_own_current_standard_implemented_in_time():
    group = SocialGroupFactory()
    standard = GroupStandardFactory(issuer=profile_of(group))

    assert rules.standard_problems(CallFactory(), group, standard) == []


@pytest.mark.django_db
def test_standard_problems_none_for_co_issued_standard():
    group = SocialGroupFactory()
    standard = GroupStandardFactory(issuer=profile_of(SocialGroupFactory()), co_issuers=[profile_of(group)])

    assert rules.standard_problems(CallFactory(), group, standard) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("_english")
def test_standard_problems_lists_every_problem_at_once():
    group = SocialGroupFactory()
    call = CallFactory(implementation_cutoff=datetime.date(2026, 6, 30))
    standard = GroupStandardFactory(
        issuer=profile_of(SocialGroupFactory()),
        status=StandardStatus.ABOLISHED,
        publication_date=datetime.date(2026, 1, 1),
        implementation_date=datetime.date(2026, 1, 1),
    )

    assert rules.standard_problems(call, group, standard) == [
        f"{standard.display_number} was not issued or co-issued by your group.",
        f"{standard.display_number} is not current (Abolished (废止)).",
        f"{standard.display_number} was implemented on 2026-01-01; this call requires implementation on or before "
        "2025-12-30 (six months before the cut-off 2026-06-30).",
    ]


# --- allowed_recommenders ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_allowed_recommenders_province_department_and_every_industry_delegate():
    group = SocialGroupFactory(province=Province.ZHEJIANG)
    zhejiang = ProvincialDepartmentFactory(province=Province.ZHEJIANG, name="浙江省经济和信息化厅")
    ProvincialDepartmentFactory(province=Province.JIANGSU, name="江苏省工业和信息化厅")
    ProvincialDepartmentFactory(province=Province.ZHEJIANG, name="已撤销的厅", is_active=False)
    light, textile = (
        IndustryDelegateFactory(name="中国轻工业联合会"),
        IndustryDelegateFactory(name="中国纺织工业联合会"),
    )
    MinistryFactory()
    SocialGroupFactory(province=Province.ZHEJIANG)

    recommenders = rules.allowed_recommenders(group)

    # Delegates first, then the department (ordered by kind); names order within a kind.
    assert (set(recommenders[:2]), recommenders[2:]) == ({light, textile}, [zhejiang])


@pytest.mark.django_db
def test_allowed_recommenders_none_for_ministry_managed_group():
    group = SocialGroupFactory(ministry_managed=True)
    ProvincialDepartmentFactory(province=group.province)
    IndustryDelegateFactory()

    assert rules.allowed_recommenders(group) == []


@pytest.mark.django_db
def test_allowed_recommenders_a_planned_city_is_not_its_province():
    group = SocialGroupFactory(province=Province.NINGBO)
    ningbo = ProvincialDepartmentFactory(province=Province.NINGBO)
    ProvincialDepartmentFactory(province=Province.ZHEJIANG)

    assert rules.allowed_recommenders(group) == [ningbo]


# --- deadlines --------------------------------------------------------------------------------------
def _at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def call(db):
    return CallFactory(
        opens_at=_at(2026, 6, 1, 9, 0, 0),
        deadline=_at(2026, 6, 30, 17, 0, 0),
        recommendation_deadline=_at(2026, 7, 31, 17, 0, 0),
    )


def _extend(call, group, until):
    return DeadlineExtension.objects.create(
        call=call, organisation=group, until=until, reason="系统故障", granted_by=member_of(MinistryFactory())
    )


def test_submission_deadline_without_extension_is_the_calls(call):
    assert rules.submission_deadline(call, SocialGroupFactory()) == _at(2026, 6, 30, 17, 0, 0)


def test_submission_deadline_with_extension_is_the_later_one_for_that_group_only(call):
    group, other = SocialGroupFactory(), SocialGroupFactory()
    _extend(call, group, _at(2026, 7, 3, 12, 0, 0))

    assert (rules.submission_deadline(call, group), rules.submission_deadline(call, other)) == (
        _at(2026, 7, 3, 12, 0, 0),
        _at(2026, 6, 30, 17, 0, 0),
    )


def test_submission_deadline_ignores_an_extension_earlier_than_the_call(call):
    group = SocialGroupFactory()
    _extend(call, group, _at(2026, 6, 20, 17, 0, 0))

    assert rules.submission_deadline(call, group) == _at(2026, 6, 30, 17, 0, 0)


def test_submission_deadline_ignores_the_groups_extension_in_another_call(call):
    group = SocialGroupFactory()
    _extend(CallFactory(), group, _at(2026, 9, 1, 12, 0, 0))

    assert rules.submission_deadline(call, group) == _at(2026, 6, 30, 17, 0, 0)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ((2026, 6, 1, 8, 59, 59), False),
        ((2026, 6, 1, 9, 0, 0), True),
        ((2026, 6, 30, 17, 0, 0), True),
        ((2026, 6, 30, 17, 0, 1), False),
    ],
)
def test_is_open_for_bounds_are_inclusive_to_the_second(call, moment, open_):
    assert rules.is_open_for(call, SocialGroupFactory(), _at(*moment)) is open_


def test_is_open_for_compares_instants_whatever_the_zone(call):
    utc_deadline = datetime.datetime(2026, 6, 30, 9, 0, 0, tzinfo=datetime.UTC)

    assert (
        rules.is_open_for(call, SocialGroupFactory(), utc_deadline),
        rules.is_open_for(call, SocialGroupFactory(), utc_deadline + datetime.timedelta(seconds=1)),
    ) == (True, False)


@pytest.mark.django_db
def test_resubmission_deadline_is_the_recommendation_deadline():
    application = make_application()

    assert rules.resubmission_deadline(application) == application.call.recommendation_deadline
