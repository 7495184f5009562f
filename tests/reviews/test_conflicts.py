"""Conflicts of interest (回避): each kind of tie between an expert and an application, and the reason given."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from projects.models import Application, ImplementingEnterprise
from reviews import conflicts
from reviews.models import Expert, KeptAway
from standards.models import GroupStandard
from tests.factories import (
    ExpertFactory,
    MembershipFactory,
    OrganisationFactory,
    SocialGroupFactory,
    admitted_applications,
    make_credit_code,
    profile_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def application():
    return admitted_applications()[0]


def _reason(expert, application):
    return conflicts.conflict_reason(expert, application)


def test_no_tie_no_reason(application):
    assert _reason(ExpertFactory(affiliation="清华大学"), application) is None


def test_affiliated_with_the_applicant_group(application):
    expert = ExpertFactory(user__name="张三", organisation=application.group, affiliation="某某")
    number = application.standard.display_number

    assert (
        _reason(expert, application)
        == f"张三's affiliation {application.group.name} is the applicant group of {number}"
    )


def test_affiliation_text_names_a_drafting_unit(application):
    GroupStandard.objects.filter(pk=application.standard_id).update(
        drafting_units="中国标准化研究院、清华大学；北京大学"
    )
    expert = ExpertFactory(user__name="张三", affiliation="清华大学")

    assert _reason(expert, application) == (
        f"张三's affiliation 清华大学 is a drafting unit of {application.standard.display_number}"
    )


def test_affiliation_text_matches_an_enterprise_name_folding_width_and_spaces(application):
    ExpertFactory(user__name="李四", affiliation="示例科技有限公司 ")
    expert = ExpertFactory(user__name="王五", affiliation="示例科技有限公司")

    assert "an implementing enterprise" in _reason(expert, application)


def test_enterprise_matched_by_credit_code_against_the_registry(application):
    registered = OrganisationFactory(name="注册名称有限公司", credit_code=make_credit_code(4242, "91"))
    ImplementingEnterprise.objects.create(
        application=application, name="另一写法公司", credit_code=registered.credit_code, province="110000"
    )
    expert = ExpertFactory(user__name="赵六", organisation=registered, affiliation="注册名称")

    assert _reason(expert, application) == (
        f"赵六's affiliation 注册名称有限公司 is an implementing enterprise of {application.standard.display_number}"
    )


def test_kept_away_from_a_co_issuer_until_a_future_date(application):
    co_issuer = SocialGroupFactory()
    application.standard.co_issuers.add(profile_of(co_issuer))
    expert = ExpertFactory(user__name="孙七")
    KeptAway.objects.create(expert=expert, organisation=co_issuer, until=timezone.localdate() + datetime.timedelta(1))

    assert _reason(expert, application) == (
        f"孙七's organisation kept away from {co_issuer.name} is a co-issuer of {application.standard.display_number}"
    )


def test_kept_away_that_has_ended_is_no_conflict(application):
    expert = ExpertFactory()
    KeptAway.objects.create(
        expert=expert, organisation=application.recommender, until=timezone.localdate() - datetime.timedelta(1)
    )

    assert _reason(expert, application) is None


def test_member_of_the_recommender_in_the_portal(application):
    expert = ExpertFactory(user__name="周八")
    MembershipFactory(user=expert.user, organisation=application.recommender)

    assert _reason(expert, application) == (
        f"周八's organisation {application.recommender.name} is the recommender of "
        f"{application.standard.display_number}"
    )


def test_bulk_reads_take_the_same_queries_for_one_or_many():
    def count(n):
        applications = admitted_applications(count=n)
        for _ in range(n):
            MembershipFactory(user=ExpertFactory().user, organisation=applications[0].group)
        ids = [a.pk for a in applications]
        with CaptureQueriesContext(connection) as queries:
            parties = conflicts.application_parties(
                conflicts.applications_for_conflicts(Application.objects.filter(pk__in=ids))
            )
            ties = conflicts.expert_parties(conflicts.experts_for_conflicts(Expert.objects.all()))
        assert len(parties) == n
        assert ties
        return len(queries)

    assert count(1) == count(3)
