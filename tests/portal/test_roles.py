import pytest

from portal.choices import Role
from portal.roles import roles_for
from tests.factories import (
    ExpertFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "role"),
    [
        (SocialGroupFactory, Role.APPLICANT),
        (ProvincialDepartmentFactory, Role.RECOMMENDER),
        (IndustryDelegateFactory, Role.RECOMMENDER),
        (MinistryFactory, Role.SECRETARIAT),
    ],
)
def test_roles_for_member_follows_organisation_kind(factory, role):
    user = member_of(factory())

    assert roles_for(user) == frozenset({role})


def test_roles_for_expert_comes_from_the_expert_register():
    expert = ExpertFactory()

    assert roles_for(expert.user) == frozenset({Role.EXPERT})


def test_roles_for_inactive_expert_is_empty():
    expert = ExpertFactory(is_active=False)

    assert roles_for(expert.user) == frozenset()


def test_roles_for_member_of_inactive_organisation_is_empty():
    user = member_of(SocialGroupFactory(is_active=False))

    assert roles_for(user) == frozenset()


def test_roles_for_user_without_membership_is_empty():
    assert roles_for(UserFactory()) == frozenset()


def test_roles_for_expert_who_is_also_secretariat_has_both():
    user = member_of(MinistryFactory())
    ExpertFactory(user=user)

    assert roles_for(user) == frozenset({Role.SECRETARIAT, Role.EXPERT})
