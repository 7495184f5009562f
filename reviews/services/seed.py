"""The demo call in expert review, added by `seed_demo` beside the open demo call.

Last year's call, past its recommendation deadline: three applications of the demo groups, admitted to expert
review and each assigned to `expert1`–`expert3`, some reviews submitted and some in draft, so that a newcomer
sees a review queue and a ranking at once; the one with every review in is shortlisted. Made through the
workflow and the services (submit, recommend, admit; the rubric, assign; save_draft, submit; decide_one), so
that timelines, audit log and rights are real. The call is created
open and, once its applications are recommended, its deadlines are moved into the past with `update_call`
(audited), as the secretariat would correct a call's dates.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.models import Organisation, User
from portal.validators import credit_code_check_character
from portal.workdays import local_zone
from projects import workflow
from projects.completeness import REQUIRED_SLOTS
from projects.models import Application, Call, IndustryField
from projects.services.applications import save_claim, save_section
from projects.services.attachments import add_attachment
from projects.services.calls import create_call, publish_call, update_call
from projects.services.seed import NOTICE_TEXT
from reviews.models import Assignment, Criterion, Expert, Recommendation
from reviews.services import assignments, shortlisting
from reviews.services import reviews as review_services
from reviews.services import rubric as rubric_services
from standards.files import minimal_pdf
from standards.models import ApplicationType, GroupStandard
from standards.numbers import normalise_number

# 工信厅科函〔2023〕165号 was the real notice of the 2023 call; last year's demo call borrows its sequence.
REVIEW_NOTICE_SEQUENCE = 165
REVIEWERS = ("expert1", "expert2", "expert3")
REVIEWS_DUE_IN_DAYS = 14
SHORTLISTED_STANDARD = "T/CCSA 312—2021"

# The standard, the group and who acts for it, what it claims, its field, its recommender (None: a
# ministry-managed group applies directly) and the 申报书's contents.
APPLICATIONS = [
    {
        "standard": "T/CCSA 312—2021",
        "group": "CCSA",
        "by": "applicant2",
        "claims": [ApplicationType.INNOVATIVE],
        "industry_field": IndustryField.ELECTRONICS,
        "recommender": None,
        "sections": {
            "advancement": {"advancement": "国内首个液冷服务器系统总体技术要求，填补了液冷数据中心服务器标准的空白。"},
            "implementation": {
                "implementation": "在京津冀、长三角 6 个大型数据中心的液冷集群中实施。",
                "effect": "数据中心电能利用效率（PUE）由 1.45 降至 1.15，单机柜功率密度提高 3 倍。",
                "enterprises_count": 11,
                "output_value": Decimal("268000"),
                "savings": Decimal("9600"),
            },
            "market": {"market_competitiveness": "实施企业的液冷服务器国内市场占有率超过 60%。"},
            "influence": {"social_influence": "被列入国家绿色数据中心先进适用技术目录的依据标准。"},
            "patents": {"patent_handling": "涉及两项发明专利，专利权人已提交免费许可声明。"},
            "promotion": {"promotion_plan": "编制液冷数据中心建设指南，开展液冷服务器互通测试。"},
            "contact": {
                "contact_name": "张申报",
                "contact_phone": "010-62300000",
                "contact_email": "zhang@ccsa.example.cn",
            },
            "pledge": {"pledge_accepted": True},
        },
        "indicators": [
            {
                "indicator": "电能利用效率（PUE）",
                "this_standard": "≤1.2",
                "national_or_industry": "",
                "international": "",
            },
        ],
        "enterprises": [
            {"name": "北京液冷数据科技有限公司", "credit_code": "91110108MA01ABC12", "province": "110000"},
        ],
    },
    {
        "standard": "T/ZZB 1—2019",
        "group": "ZZB",
        "by": "applicant",
        "claims": [ApplicationType.ADVANCED],
        "industry_field": IndustryField.CONSUMER_GOODS,
        "recommender": "ZJJXT",
        "sections": {
            "advancement": {"advancement": "热效率、一氧化碳排放等 5 项指标严于 GB 6932—2015 和 GB 20665—2015。"},
            "implementation": {
                "implementation": "2019 年起在省内 23 家燃气热水器企业实施，纳入“浙江制造”认证。",
                "effect": "实施企业产品平均热效率提高到 98%，一氧化碳排放下降 35%。",
                "enterprises_count": 23,
                "output_value": Decimal("352000"),
                "savings": Decimal("7400"),
            },
            "market": {"market_competitiveness": "实施企业产品在国内高端燃气热水器市场的份额提高到 45%。"},
            "influence": {"social_influence": "被杭州市保障性住房集中采购采信，并列入浙江省品牌建设实施方案。"},
            "patents": {"patent_handling": "本标准不涉及专利。"},
            "promotion": {"promotion_plan": "联合检测机构开展能效比对，向长三角燃具企业推广。"},
            "contact": {
                "contact_name": "李申报",
                "contact_phone": "0571-87654321",
                "contact_email": "li@zzb.example.cn",
            },
            "pledge": {"pledge_accepted": True},
        },
        "indicators": [
            {"indicator": "热效率（%）", "this_standard": "≥98", "national_or_industry": "≥96", "international": ""},
            {
                "indicator": "一氧化碳排放（%）",
                "this_standard": "≤0.03",
                "national_or_industry": "≤0.06",
                "international": "",
            },
        ],
        "enterprises": [
            {"name": "杭州热能燃具有限公司", "credit_code": "91330100MA2H3J4K5", "province": "330000"},
            {"name": "嵊州市燃气器具制造有限公司", "credit_code": "91330683MA2L6M7N8", "province": "330000"},
        ],
    },
    {
        "standard": "T/CCSA 358—2022",
        "group": "CCSA",
        "by": "applicant2",
        "claims": [ApplicationType.INNOVATIVE],
        "industry_field": IndustryField.ELECTRONICS,
        "recommender": None,
        "sections": {
            "advancement": {"advancement": "统一了智能家居设备的互联互通协议与测试方法，此前无国家或行业标准。"},
            "implementation": {
                "implementation": "在 8 家智能家居平台企业和 40 余款设备中实施。",
                "effect": "跨品牌设备互联互通测试通过率由 62% 提高到 91%。",
                "enterprises_count": 8,
                "output_value": Decimal("125000"),
                "savings": Decimal("2100"),
            },
            "market": {"market_competitiveness": "按本标准互通的设备进入主要电商平台智能家居专区。"},
            "influence": {"social_influence": "作为智能家居互联互通认证的技术依据，两次举办全国宣贯会。"},
            "patents": {"patent_handling": "本标准不涉及专利。"},
            "promotion": {"promotion_plan": "建设互联互通公共测试平台，推动转化为行业标准。"},
            "contact": {
                "contact_name": "张申报",
                "contact_phone": "010-62300000",
                "contact_email": "zhang@ccsa.example.cn",
            },
            "pledge": {"pledge_accepted": True},
        },
        "indicators": [
            {
                "indicator": "互联互通测试通过率（%）",
                "this_standard": "≥90",
                "national_or_industry": "",
                "international": "",
            },
        ],
        "enterprises": [
            {"name": "深圳智家互联科技有限公司", "credit_code": "91440300MA5P8Q9R0", "province": "440000"},
        ],
    },
]


class DemoReview(NamedTuple):
    """The scores of 应用效果, 技术水平, 市场竞争力 and 社会影响力 (out of 100; None: not scored yet), the overall
    opinion, the recommendation, and whether the review is submitted (else a draft)."""

    scores: tuple[int | None, ...]
    opinion: str
    recommendation: str
    submitted: bool


_YES, _NO = Recommendation.RECOMMEND, Recommendation.NOT_RECOMMEND
# Per application (its standard's number in normal form) and expert. A pair left out is not started: expert1 has
# one review submitted, one in draft and one not started; the first application has all three reviews in.
REVIEWS = {
    ("T/CCSA 312—2021", "expert1"): DemoReview((88, 92, 85, 86), "技术指标国内领先，节能效果显著。", _YES, True),
    ("T/CCSA 312—2021", "expert2"): DemoReview((85, 88, 82, 80), "实施数据翔实，建议入选。", _YES, True),
    ("T/CCSA 312—2021", "expert3"): DemoReview((90, 86, 84, 88), "填补标准空白，社会影响力大。", _YES, True),
    ("T/ZZB 1—2019", "expert1"): DemoReview((82, 78, None, None), "指标先进，市场数据待核实。", "", False),
    ("T/ZZB 1—2019", "expert2"): DemoReview((80, 84, 78, 75), "指标严于国家标准，实施范围较广。", _YES, True),
    ("T/ZZB 1—2019", "expert3"): DemoReview((76, 80, 74, 78), "实施效果良好，建议加强省外推广。", _YES, True),
    ("T/CCSA 358—2022", "expert2"): DemoReview((70, 74, 68, 66), "实施时间较短，应用效果有待观察。", _NO, True),
    ("T/CCSA 358—2022", "expert3"): DemoReview((78, None, None, None), "", "", False),
}


@transaction.atomic
def seed_review_call() -> Call:
    """Create last year's demo call in expert review unless it exists, and return it. Idempotent.

    Expects seed_demo's accounts, organisations and standards, and experts 1–3 reviewing in electronics and
    consumer goods.
    """
    year = timezone.now().astimezone(local_zone()).year - 1
    notice_number = f"工信厅科函〔{year}〕{REVIEW_NOTICE_SEQUENCE}号"
    existing = Call.objects.filter(notice_number=notice_number).first()
    if existing is not None:
        return existing
    call = open_demo_call(year, notice_number)
    applications = [submit_demo_application(call, spec) for spec in APPLICATIONS]
    recommend_demo_applications(applications)
    close_demo_call(call, year)
    secretariat = User.objects.get(username="secretariat")
    applications = [workflow.admit(application, by=secretariat) for application in applications]
    _settings(call, secretariat)
    for application in applications:
        for username in REVIEWERS:
            expert = Expert.objects.get(user__username=username)
            assignment = assignments.assign(application, expert, by=secretariat)
            _review(assignment, REVIEWS.get((application.standard.number, username)))
    # The one with every review in goes on the shortlist, ready for a public notice once the others are decided.
    complete = next(a for a in applications if a.standard.number == SHORTLISTED_STANDARD)
    shortlisting.decide_one(application=complete, by=secretariat, shortlist=True)
    return call


# --- the call: open while the groups apply and the recommender decides, then closed -------------------------
def _closing_dates(year: int) -> dict[str, object]:
    zone = local_zone()
    return {
        "deadline": datetime(year, 7, 31, 17, 0, tzinfo=zone),
        "recommendation_deadline": datetime(year, 8, 31, 17, 0, tzinfo=zone),
    }


def open_demo_call(year: int, notice_number: str) -> Call:
    closing = _closing_dates(year)
    now = timezone.now()
    call = create_call(
        by=None,
        year=year,
        title=f"{year}年团体标准应用示范项目",
        notice_number=notice_number,
        notice_text=NOTICE_TEXT.format(
            year=year,
            cutoff=_chinese_date(closing["deadline"]),
            deadline=f"{_chinese_date(closing['deadline'])} 17:00",
            recommend=f"{_chinese_date(closing['recommendation_deadline'])} 17:00",
        ),
        opens_at=datetime(year, 6, 15, 9, 0, tzinfo=local_zone()),
        # Open now, for the workflow's checks of the dates; `close_demo_call` puts them back where the notice says.
        deadline=now + timedelta(days=1),
        implementation_cutoff=date(year, 7, 31),
        recommendation_deadline=now + timedelta(days=2),
        default_quota=5,
        publicity_working_days=5,
    )
    return publish_call(call=call, by=None)


def close_demo_call(call: Call, year: int) -> None:
    update_call(call=call, by=None, **_closing_dates(year))


def _chinese_date(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


# --- the applications ------------------------------------------------------------------------------------------
def submit_demo_application(call: Call, spec: dict) -> Application:
    group = Organisation.objects.get(code=spec["group"])
    by = User.objects.get(username=spec["by"])
    standard = GroupStandard.objects.get(number=normalise_number(spec["standard"]))
    recommender = Organisation.objects.get(code=spec["recommender"]) if spec["recommender"] else None
    application = workflow.create(call, group=group, standard=standard, by=by)
    save_claim(
        application=application,
        by=by,
        claims=spec["claims"],
        industry_field=spec["industry_field"],
        recommender=recommender,
    )
    tables = {"advancement": spec["indicators"], "implementation": _with_check_codes(spec["enterprises"])}
    for section, fields in spec["sections"].items():
        save_section(application=application, by=by, section=section, fields=fields, rows=tables.get(section))
    for slot in REQUIRED_SLOTS:
        upload = ContentFile(minimal_pdf(str(slot.label)), name=f"{slot.value}.pdf")
        add_attachment(application=application, slot=slot, uploads=[upload], by=by)
    return workflow.submit(application, by=by)


def _with_check_codes(rows: list[dict]) -> list[dict]:
    # The codes above are made up: their last character is computed so that they pass GB 32100's check.
    return [
        {**row, "credit_code": row["credit_code"][:17] + credit_code_check_character(row["credit_code"][:17])}
        for row in rows
    ]


def recommend_demo_applications(applications: list[Application]) -> None:
    """The demo department recommends the applications submitted to it (the others came directly)."""
    recommender = User.objects.get(username="recommender")
    waiting = [application for application in applications if application.recommender_id is not None]
    for rank, application in enumerate(waiting, start=1):
        workflow.recommend(application, by=recommender, opinion="该标准指标先进、实施效果显著，同意推荐。", rank=rank)


# --- the review ------------------------------------------------------------------------------------------------
def _settings(call: Call, secretariat: User) -> None:
    """The notice's four criteria, three reviews per application (the demo's three experts), due in two weeks."""
    current = rubric_services.ensure_rubric(call)
    due = datetime.combine(timezone.localdate() + timedelta(days=REVIEWS_DUE_IN_DAYS), time(17, 0), local_zone())
    values = {name: getattr(current, name) for name in rubric_services.SETTINGS_FIELDS}
    values |= {"reviews_per_application": len(REVIEWERS), "due_at": due}
    criteria = [
        rubric_services.CriterionRow(
            name=c.name, weight=c.weight, max_score=c.max_score, description=c.description, pk=c.pk
        )
        for c in Criterion.objects.filter(call=call).order_by("position", "pk")
    ]
    rubric_services.save_rubric(call=call, by=secretariat, settings=values, criteria=criteria)


def _review(assignment: Assignment, spec: DemoReview | None) -> None:
    """The assigned expert saves the review as a draft, or submits it; nothing when it is not started."""
    if spec is None:
        return
    criteria = Criterion.objects.filter(call=assignment.application.call).order_by("position", "pk")
    draft = review_services.Draft(
        scores=[
            review_services.ScoreInput(criterion_pk=c.pk, score=None if score is None else Decimal(score))
            for c, score in zip(criteria, spec.scores, strict=True)
        ],
        opinion=spec.opinion,
        recommendation=spec.recommendation,
    )
    save = review_services.submit if spec.submitted else review_services.save_draft
    save(assignment=assignment, by=assignment.expert.user, draft=draft)
