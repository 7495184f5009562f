"""Create the demo organisations and accounts of DESIGN.md (password `portal-demo`), the registry's demo
standards, the open demo call, last year's call in expert review and the call of two years ago, announced. Safe to
run twice."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import public_cache, services
from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import Organisation, User
from portal.validators import credit_code_check_character
from projects.services.seed import seed_demo_applications, seed_demo_call
from publicity.services.seed import seed_announced_call
from reviews.models import Expert
from reviews.services import experts as expert_services
from reviews.services.seed import seed_review_call
from standards.services import seed_demo_standards

DEMO_PASSWORD = "portal-demo"


def _credit(first_17: str) -> str:
    return first_17 + credit_code_check_character(first_17)


ORGANISATIONS = [
    {
        "code": "MIIT",
        "name": "工业和信息化部科技司",
        "short_name": "工信部科技司",
        "kind": OrganisationKind.MINISTRY,
        "credit_code": _credit("11100000717802004"),
    },
    {
        "code": "ZZB",
        "name": "浙江省品牌建设促进会",
        "short_name": "浙江品促会",
        "kind": OrganisationKind.SOCIAL_GROUP,
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.ZHEJIANG,
        "credit_code": _credit("51330000MJ8834567"),
    },
    {
        "code": "CCSA",
        "name": "中国通信标准化协会",
        "short_name": "通信标准化协会",
        "kind": OrganisationKind.SOCIAL_GROUP,
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.BEIJING,
        "ministry_managed": True,
        "credit_code": _credit("51100000500012345"),
    },
    {
        "code": "ZJJXT",
        "name": "浙江省经济和信息化厅",
        "short_name": "浙江省经信厅",
        "kind": OrganisationKind.PROVINCIAL_DEPARTMENT,
        "province": Province.ZHEJIANG,
        "credit_code": _credit("11330000002482089"),
    },
    {
        "code": "GDGXT",
        "name": "广东省工业和信息化厅",
        "short_name": "广东省工信厅",
        "kind": OrganisationKind.PROVINCIAL_DEPARTMENT,
        "province": Province.GUANGDONG,
        "credit_code": _credit("11440000006939817"),
    },
    {
        "code": "CMIF",
        "name": "中国机械工业联合会",
        "short_name": "机械联",
        "kind": OrganisationKind.INDUSTRY_DELEGATE,
        "credit_code": _credit("51100000500000966"),
    },
]

# username, name, organisation code, position
MEMBERS = [
    ("secretariat", "王秘书", "MIIT", "科技司标准处"),
    ("applicant", "李申报", "ZZB", "标准部"),
    ("applicant2", "张申报", "CCSA", "标准推进部"),
    ("recommender", "陈推荐", "ZJJXT", "科技与标准处"),
]

# username, name, affiliation, title, speciality, fields of expertise (IndustryField values, the applications'
# industry fields). Experts 1–3 review every application of the demo call in expert review, so they share its
# fields (electronics and consumer goods); expert3 is the generalist of standardisation.
EXPERTS = [
    (
        "expert1",
        "赵专家",
        "中国电子技术标准化研究院",
        "研究员",
        "电子信息",
        "electronics communications consumer_goods",
    ),
    ("expert2", "钱专家", "浙江大学", "教授", "智能制造", "equipment electronics consumer_goods"),
    (
        "expert3",
        "孙专家",
        "中国标准化研究院",
        "研究员",
        "标准化管理",
        "raw_materials equipment consumer_goods electronics communications energy_environment safety",
    ),
    ("expert4", "周专家", "北京航空航天大学", "教授", "装备制造", "equipment"),
    ("expert5", "吴专家", "中国纺织科学研究院", "教授级高工", "纺织", "consumer_goods raw_materials"),
    ("expert6", "郑专家", "华南理工大学", "教授", "材料", "raw_materials energy_environment"),
]


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (password portal-demo). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisations (used by `make run`).",
        )

    @transaction.atomic
    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database already holds data; demo data not added.")
            return
        organisations = {spec["code"]: self._organisation(spec) for spec in ORGANISATIONS}
        for username, name, code, title in MEMBERS:
            user = self._user(username, name)
            # Each demo organisation's one account is its administrator (联络员), who invites colleagues.
            services.add_member(user=user, organisation=organisations[code], title=title, admin=True)
        for username, name, affiliation, title, speciality, fields in EXPERTS:
            user = self._user(username, name)
            expert, _created = Expert.objects.get_or_create(
                user=user, defaults={"affiliation": affiliation, "title": title, "speciality": speciality}
            )
            # Fields are given once: an expert whose fields the secretariat has set keeps them.
            if not expert.expertise.exists():
                expert_services.update_expert(expert=expert, fields=fields.split())
        seed_demo_standards()
        seed_demo_applications(seed_demo_call())
        seed_review_call()
        seed_announced_call()
        # Some of it is written past the services: no public page cached before may be served.
        public_cache.everything_changed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready; every demo account's password is {DEMO_PASSWORD}."))

    def _organisation(self, spec: dict) -> Organisation:
        existing = Organisation.objects.filter(code=spec["code"]).first()
        return existing or services.create_organisation(**spec)

    def _user(self, username: str, name: str) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": name, "email": f"{username}@demo.example.cn"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
