"""factory_boy factories. Later states of an application are reached through the real workflow, not here."""

import factory
from django.contrib.auth.models import Group

from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import Membership, Organisation, User
from portal.validators import credit_code_check_character
from reviews.models import Expert

DEMO_PASSWORD = "portal-demo"


def make_credit_code(n: int, prefix: str = "51") -> str:
    """A valid unified social credit code, distinct for each `n`."""
    first_17 = f"{prefix}110000{n:09d}"[:17]
    return first_17 + credit_code_check_character(first_17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(DEMO_PASSWORD)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"org:G{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"中国示例协会{n}")
    code = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.SOCIAL_GROUP
    social_group_type = factory.LazyAttribute(
        lambda o: SocialGroupType.ASSOCIATION if o.kind == OrganisationKind.SOCIAL_GROUP else ""
    )
    province = Province.BEIJING
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1000))
    group = factory.SubFactory(GroupFactory, name=factory.LazyAttribute(lambda g: f"org:{g.factory_parent.code}"))


class SocialGroupFactory(OrganisationFactory):
    kind = OrganisationKind.SOCIAL_GROUP


class ProvincialDepartmentFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"示例省工业和信息化厅{n}")
    kind = OrganisationKind.PROVINCIAL_DEPARTMENT
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 5000, prefix="11"))


class IndustryDelegateFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"中国示例工业联合会{n}")
    kind = OrganisationKind.INDUSTRY_DELEGATE
    province = ""


class MinistryFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"工业和信息化部{n}")
    kind = OrganisationKind.MINISTRY
    province = ""
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 9000, prefix="11"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(SocialGroupFactory)

    @factory.post_generation
    def join_group(self, create, extracted, **kwargs):
        if create:
            self.user.groups.add(self.organisation.group)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    affiliation = "清华大学"
    title = "教授"


def member_of(organisation: Organisation, **user_kwargs) -> User:
    """A user acting for `organisation` (membership and permission group)."""
    return MembershipFactory(organisation=organisation, user=UserFactory(**user_kwargs)).user
