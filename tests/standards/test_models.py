import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from standards.models import Adoption, ApplicationType, GroupStandard, StandardStatus
from tests.factories import AdoptionFactory, EvaluationFactory, GroupStandardFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("relation", "types"),
    [
        ({}, []),
        ({"fills_gap": True}, [ApplicationType.INNOVATIVE]),
        ({"stricter_than": "GB 18401—2010"}, [ApplicationType.ADVANCED]),
        ({"international_standard": "ISO 14184-1:2011"}, [ApplicationType.INTERNATIONAL]),
        ({"internationally_leading": True}, [ApplicationType.INTERNATIONAL]),
        (
            {"fills_gap": True, "stricter_than": "GB 1", "internationally_leading": True},
            [ApplicationType.INNOVATIVE, ApplicationType.ADVANCED, ApplicationType.INTERNATIONAL],
        ),
    ],
)
def test_eligible_types_follow_the_relation_to_other_standards(relation, types):
    assert GroupStandard(**relation).eligible_types == types


def _row(**changes) -> GroupStandard:
    standard = GroupStandardFactory()
    for name, value in changes.items():
        setattr(standard, name, value)
    return standard


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"implementation_date": datetime.date(2020, 2, 1)}, "The implementation date is before the publication date."),
        (
            {"status": StandardStatus.ABOLISHED, "repeal_date": datetime.date(2019, 1, 1)},
            "The repeal date is before the publication date.",
        ),
        ({"repeal_date": datetime.date(2021, 1, 1)}, "A current standard has no repeal date."),
        ({"has_patents": True}, "A standard that involves patents needs the patent declaration."),
    ],
)
def test_group_standard_constraints_refuse_inconsistent_rows(changes, message):
    standard = _row(**changes)

    with pytest.raises(ValidationError) as raised:
        standard.full_clean()
    with pytest.raises(IntegrityError):
        standard.save()

    assert raised.value.messages == [message]


def test_group_standard_only_a_replaced_one_names_its_successor():
    successor = GroupStandardFactory()
    standard = _row(replaced_by=successor)

    with pytest.raises(ValidationError) as raised:
        standard.full_clean()

    assert raised.value.messages == ["Only a replaced standard names the standard that replaces it."]


def test_group_standard_cannot_replace_itself():
    standard = _row(status=StandardStatus.REPLACED, repeal_date=datetime.date(2021, 1, 1))
    standard.replaced_by = standard

    with pytest.raises(ValidationError) as raised:
        standard.full_clean()

    assert raised.value.messages == ["A standard cannot replace itself."]


@pytest.mark.parametrize(
    ("field", "value"),
    [("ics", "59.08"), ("ccs", "w04"), ("ccs", "W4"), ("industry_class", "1711"), ("industry_class", "Z1711")],
)
def test_group_standard_refuses_malformed_classifications(field, value):
    standard = _row(**{field: value})

    with pytest.raises(ValidationError) as raised:
        standard.full_clean()

    assert list(raised.value.message_dict) == [field]


def test_adoption_conversion_names_target_and_status_together():
    adoption = AdoptionFactory.build(standard=GroupStandardFactory(), conversion_target="national")

    with pytest.raises(ValidationError) as raised:
        adoption.full_clean()

    assert raised.value.messages == ["A conversion names both the target and its status."]


def test_adoption_with_a_conversion_is_valid():
    adoption = AdoptionFactory.build(
        standard=GroupStandardFactory(),
        kind=Adoption.Kind.INDUSTRY_STANDARD,
        conversion_target=Adoption.ConversionTarget.INDUSTRY,
        conversion_status=Adoption.ConversionStatus.APPROVED,
    )

    adoption.full_clean()


def test_evaluation_ratings_list_the_five_criteria_in_order():
    evaluation = EvaluationFactory(legality_comment="程序合法")

    assert evaluation.ratings == [
        ("Legality (合法性)", "Excellent (优)", "程序合法"),
        ("Compliance (合规性)", "Excellent (优)", ""),
        ("Advancement (先进性)", "Good (良)", ""),
        ("Internationality (国际性)", "Fair (中)", ""),
        ("Influence (影响力)", "Good (良)", ""),
    ]
