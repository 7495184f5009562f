"""factory_boy factories. Later states of an application are reached through the real workflow, not here."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import Membership, Organisation, User
from portal.validators import credit_code_check_character
from reviews.models import Expert
from standards.services import create_group_profile, create_standard

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


# --- standards ----------------------------------------------------------------------------------------
# Profiles and standards are made through the registry's services, so the rights and the audit rows exist.


class GroupProfileFactory(factory.django.DjangoModelFactory):
    """The standards-registry profile of a social group; its organisation's staff may maintain it."""

    class Meta:
        model = "standards.SocialGroup"

    organisation = factory.SubFactory(SocialGroupFactory)
    registration_number = factory.Sequence(lambda n: f"社证字第{n:04d}号")
    registration_authority = "中华人民共和国民政部"
    legal_representative = "王建华"
    address = "北京市西城区月坛北街 25 号"
    postcode = "100834"

    @classmethod
    def _create(cls, model_class, *, organisation, **fields):
        return create_group_profile(organisation=organisation, **fields)


class GroupStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "standards.GroupStandard"

    issuer = factory.SubFactory(GroupProfileFactory)
    number_as_typed = factory.LazyAttributeSequence(lambda o, n: f"T/{o.issuer.code} {n + 1:03d}—2020")
    title_zh = factory.Sequence(lambda n: f"示例产品技术要求 第{n}部分")
    title_en = factory.Sequence(lambda n: f"Technical requirements for sample products — Part {n}")
    publication_date = datetime.date(2020, 3, 1)
    implementation_date = datetime.date(2020, 4, 1)
    ics = "59.080.01"
    ccs = "W04"

    @classmethod
    def _create(cls, model_class, *, issuer, co_issuers=(), **fields):
        return create_standard(issuer=issuer, co_issuers=co_issuers, **fields)


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "standards.Adoption"

    standard = factory.SubFactory(GroupStandardFactory)
    kind = "policy"
    title = factory.Sequence(lambda n: f"示例省制造业高质量发展行动方案（{n}）")
    document_number = factory.Sequence(lambda n: f"示政办发〔2021〕{n}号")
    date = datetime.date(2021, 5, 1)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "standards.Evaluation"

    standard = factory.SubFactory(GroupStandardFactory)
    evaluator = "中国标准化研究院"
    date = datetime.date(2022, 1, 10)
    legality = "excellent"
    compliance = "excellent"
    advancement = "good"
    internationality = "fair"
    influence = "good"


# --- projects: calls and applications -------------------------------------------------------------
class CallFactory(factory.django.DjangoModelFactory):
    """A published call open now: opened ten days ago, closing in twenty days, recommendations forty days out.
    `CallFactory(unpublished=True)` is the secretariat's draft, as `create_call` makes it."""

    class Meta:
        model = "projects.Call"

    class Params:
        unpublished = factory.Trait(published_at=None)

    year = 2026
    title = factory.Sequence(lambda n: f"2026年团体标准应用示范项目（第{n}批）")
    notice_number = factory.Sequence(lambda n: f"工信厅科函〔2026〕{n + 100}号")
    notice_text = "请各有关单位按要求组织申报。"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    implementation_cutoff = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    recommendation_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=40))
    default_quota = 3
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=11))


def profile_of(group: Organisation):
    """The group's standards-registry profile, created when missing."""
    from standards.models import SocialGroup

    return SocialGroup.objects.filter(organisation=group).first() or GroupProfileFactory(organisation=group)


def make_application(*, call=None, group=None, standard=None, by=None, complete=False, recommender=None):
    """A draft made through `workflow.create` (so its audit row and rights exist); `complete` fills it."""
    from projects import workflow

    call = call or CallFactory()
    group = group or SocialGroupFactory()
    standard = standard or GroupStandardFactory(issuer=profile_of(group), fills_gap=True)
    by = by or member_of(group)
    application = workflow.create(call, group=group, standard=standard, by=by)
    if complete:
        fill_complete(application, recommender=recommender)
    return application


def submitted_application(*, call=None, group=None, standard=None, recommender=None, same_province=False):
    """A complete application submitted through `workflow.submit`; `same_province` puts its group in the
    recommender's province, as a provincial department's applicants are."""
    from projects import workflow

    if group is None and same_province and recommender is not None:
        group = SocialGroupFactory(province=recommender.province)
    application = make_application(call=call, group=group, standard=standard, complete=True, recommender=recommender)
    return workflow.submit(application, by=application.created_by)


def admitted_applications(*, call=None, count: int = 1, recommender=None, groups=None, secretariat=None) -> list:
    """`count` applications taken through the workflow to expert review (under_review): submitted, recommended
    by `recommender` (a new department by default, its quota raised to allow them), the call's recommendation
    deadline then moved into the past, and admitted by `secretariat`. The call is changed: give each test its
    own (the default)."""
    import datetime

    from django.utils import timezone

    from projects import workflow
    from projects.models import QuotaOverride

    call = call or CallFactory()
    recommender = recommender or ProvincialDepartmentFactory()
    secretariat = secretariat or member_of(MinistryFactory())
    QuotaOverride.objects.update_or_create(call=call, recommender=recommender, defaults={"quota": 1000})
    staff = member_of(recommender)
    groups = list(groups or [])
    applications = []
    for n in range(count):
        group = groups[n % len(groups)] if groups else None
        application = submitted_application(call=call, group=group, recommender=recommender)
        rank = call.applications.filter(recommender=recommender, recommended_at__isnull=False).count() + 1
        applications.append(workflow.recommend(application, by=staff, opinion="同意推荐。", rank=rank))
    call.refresh_from_db()
    past = timezone.now() - datetime.timedelta(minutes=1)
    if call.recommendation_deadline > past:
        call.deadline = min(call.deadline, past - datetime.timedelta(hours=1))
        call.recommendation_deadline = past
        call.save(update_fields=["deadline", "recommendation_deadline"])
    return [workflow.admit(application, by=secretariat) for application in applications]


def fill_complete(application, *, recommender=None):
    """Fill every section and attachment slot so that the application may be submitted."""
    from django.core.files.base import ContentFile

    from projects.models import Attachment, AttachmentSlot, ImplementingEnterprise, IndicatorComparison
    from standards.files import minimal_pdf

    if not application.group.ministry_managed:
        application.recommender = recommender or ProvincialDepartmentFactory(province=application.group.province)
    application.claims_innovative = True
    application.industry_field = "electronics"
    application.advancement = "本标准关键指标严于现行行业标准。"
    application.implementation = "已在 12 家企业实施。"
    application.effect = "产品合格率提高 5%。"
    application.enterprises_count = 12
    application.output_value = 35000
    application.savings = 1200
    application.market_competitiveness = "产品出口增长。"
    application.social_influence = "被地方政策采信。"
    application.patent_handling = "不涉及专利。"
    application.promotion_plan = "举办宣贯会。"
    application.contact_name = "李联系"
    application.contact_phone = "0571-88888888"
    application.contact_email = "contact@example.cn"
    application.pledge_accepted = True
    application.save()
    IndicatorComparison.objects.create(application=application, indicator="合格率", this_standard="≥99%")
    ImplementingEnterprise.objects.create(
        application=application, name="示例科技有限公司", credit_code=make_credit_code(777, "91"), province="330000"
    )
    for slot in (
        AttachmentSlot.REGISTRATION_CERTIFICATE,
        AttachmentSlot.ISSUING_DOCUMENT,
        AttachmentSlot.STANDARD_TEXT,
        AttachmentSlot.IMPLEMENTATION_PROOF,
    ):
        Attachment.objects.create(
            application=application,
            slot=slot,
            file=ContentFile(minimal_pdf(slot), name=f"{slot}.pdf"),
            original_name=f"{slot}.pdf",
            size=300,
            content_type="application/pdf",
            uploaded_by=application.created_by,
        )
    return application


# --- portal: getting in ----------------------------------------------------------------------------
def admin_of(organisation: Organisation, **user_kwargs) -> User:
    """A user who is one of `organisation`'s administrators (联络员)."""
    return MembershipFactory(organisation=organisation, user=UserFactory(**user_kwargs), is_admin=True).user


def certificate_upload(name: str = "登记证书.pdf", content: bytes | None = None):
    """A registration certificate as a browser uploads it (a real PDF unless `content` says otherwise)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from standards.files import minimal_pdf

    return SimpleUploadedFile(name, minimal_pdf("certificate") if content is None else content, "application/pdf")


def registration_data(n: int = 1, **overrides) -> dict[str, str]:
    """What a social group types into the registration form (group part), distinct for each `n`."""
    return {
        "name": f"浙江省示例产业协会{n}",
        "code": f"ZJSL{n}",
        "credit_code": make_credit_code(n + 3000, prefix="51"),
        "social_group_type": SocialGroupType.ASSOCIATION,
        "registration_authority": "浙江省民政厅",
        "province": Province.ZHEJIANG,
        "legal_representative": "周法人",
        **overrides,
    }


def make_registration(*, n: int = 1, confirmed: bool = True, contact: User | None = None, **overrides):
    """A pending registration request filed through the service, its contact's e-mail confirmed if asked."""
    from portal import registration

    if contact is None:
        contact = UserFactory(username=f"contact{n}", email=f"contact{n}@example.cn")
    if confirmed and contact.email_confirmed_at is None:
        contact.email_confirmed_at = timezone.now()
        contact.save(update_fields=["email_confirmed_at"])
    group = registration_data(n, **overrides)
    return registration.register(group=group, certificate=certificate_upload(), contact=contact)
