"""The demo call, added by `seed_demo`: open now, with its notice, two templates to download and two applications."""

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from portal.models import Organisation, User
from portal.validators import credit_code_check_character
from portal.workdays import local_zone
from projects.completeness import REQUIRED_SLOTS
from projects.models import Application, Call, CallAttachment, IndustryField
from projects.services.applications import save_claim, save_section
from projects.services.attachments import add_attachment
from projects.services.calls import add_call_attachment, create_call, publish_call
from standards.files import minimal_pdf
from standards.models import ApplicationType, GroupStandard
from standards.numbers import normalise_number

DEMO_NOTICE_SEQUENCE = 88

NOTICE_TEXT = """各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门，有关行业协会、联合会：

为贯彻落实《关于培育发展工业通信业团体标准的实施意见》（工信部科〔2017〕324号），发挥团体标准在推动产业高质量发展中的引领作用，现组织开展{year}年团体标准应用示范项目申报工作。有关事项通知如下：

一、申报范围
已发布并实施满六个月（以{cutoff}为截止日期）、现行有效、应用效果良好的团体标准，可由其发布或联合发布的社会团体申报。申报类型分为创新性、先进性和国际性三类。

二、申报程序
社会团体通过本平台在线填写申报书、上传附件并提交，于{deadline}（北京时间）前提交。地方社会团体经所在省级工业和信息化主管部门推荐，全国性社会团体可经行业协会、联合会推荐；部管社会团体直接报送。推荐单位于{recommend}前完成推荐。

三、有关要求
申报单位对申报材料的真实性负责，并签署诚信承诺。多项申报的社会团体应填写汇总表并排序。

附件：1. 团体标准应用示范项目申报书
      2. 团体标准应用示范项目汇总表

工业和信息化部办公厅
"""

SUMMARY_HEADERS = ["序号", "团体标准编号", "团体标准名称", "申报类型", "所属行业领域", "推荐单位", "联系人", "联系电话"]


@transaction.atomic
def seed_demo_call() -> Call:
    """Create the demo call for this year unless it exists, publish it, and return it. Idempotent.

    Opened a week ago, closing in three weeks at 17:00 Beijing time (the cut-off is the deadline's date),
    recommendations three weeks after that; with a 申报书 template (PDF) and a 汇总表 template (XLSX).
    """
    today = timezone.now().astimezone(local_zone()).date()
    notice_number = f"工信厅科函〔{today.year}〕{DEMO_NOTICE_SEQUENCE}号"
    existing = Call.objects.filter(notice_number=notice_number).first()
    if existing is not None:
        return existing
    zone = local_zone()
    opens_at = datetime.combine(today - timedelta(days=7), time(9, 0), tzinfo=zone)
    deadline = datetime.combine(today + timedelta(days=21), time(17, 0), tzinfo=zone)
    recommendation_deadline = deadline + timedelta(days=21)
    call = create_call(
        by=None,
        year=today.year,
        title=f"{today.year}年团体标准应用示范项目",
        notice_number=notice_number,
        notice_text=NOTICE_TEXT.format(
            year=today.year,
            cutoff=_chinese_date(deadline),
            deadline=f"{_chinese_date(deadline)} {deadline:%H:%M}",
            recommend=f"{_chinese_date(recommendation_deadline)} {recommendation_deadline:%H:%M}",
        ),
        opens_at=opens_at,
        deadline=deadline,
        implementation_cutoff=deadline.date(),
        recommendation_deadline=recommendation_deadline,
        default_quota=5,
        publicity_working_days=5,
    )
    add_call_attachment(
        call=call,
        kind=CallAttachment.Kind.APPLICATION_TEMPLATE,
        title="附件1 团体标准应用示范项目申报书",
        file=ContentFile(_application_template(), name="application-template.pdf"),
        by=None,
    )
    add_call_attachment(
        call=call,
        kind=CallAttachment.Kind.SUMMARY_TEMPLATE,
        title="附件2 团体标准应用示范项目汇总表",
        file=ContentFile(_summary_template(today.year), name="summary-template.xlsx"),
        by=None,
    )
    return publish_call(call=call, by=None)


def _chinese_date(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _application_template() -> bytes:
    # minimal_pdf prints ASCII only: the demo PDF names its sections in English.
    return minimal_pdf(
        "Group standard application demonstration project - application form (template)",
        "1. The standard and its advancement",
        "2. Implementation and effect",
        "3. Market competitiveness    4. Social influence",
        "5. Patent handling    6. Promotion plan",
        "7. Contact person    8. Integrity pledge",
        "Fill in the form online in the portal; this template is for reference.",
    )


def _summary_template(year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "汇总表"
    sheet.append([f"{year}年团体标准应用示范项目汇总表"])
    sheet.append(["申报单位（盖章）："])
    sheet.append(SUMMARY_HEADERS)
    for rank in range(1, 4):
        sheet.append([rank])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The demo applications: one awaiting the demo department's decision, one of the ministry-managed group
# awaiting the formal check. Made through the workflow and the services, so their timelines are real.
DEMO_APPLICATIONS = [
    {
        "group": "ZZB",
        "by": "applicant",
        "standard": "T/ZZB 0128—2021",
        "claims": [ApplicationType.ADVANCED],
        "industry_field": IndustryField.CONSUMER_GOODS,
        "recommender": "ZJJXT",
        "sections": {
            "advancement": {
                "advancement": "甲醛含量、pH 值、耐洗色牢度等 6 项指标严于行业标准 FZ/T 73016—2020，"
                "新增耐久抗起球与水洗尺寸变化率要求。"
            },
            "implementation": {
                "implementation": "2021 年起在省内 15 家针织内衣企业全面实施，并纳入“浙江制造”认证依据。",
                "effect": "产品一等品率由 86% 提高到 95%，消费者投诉量下降 40%。",
                "enterprises_count": 15,
                "output_value": Decimal("186000"),
                "savings": Decimal("5200"),
            },
            "market": {"market_competitiveness": "实施企业产品进入国内主要电商平台头部品牌供应链，出口增长 18%。"},
            "influence": {"social_influence": "被省市场监管局列为“浙江制造”认证依据，两次举办全省宣贯培训。"},
            "patents": {"patent_handling": "本标准不涉及专利。"},
            "promotion": {"promotion_plan": "编写实施指南，联合检测机构开展比对试验，在长三角推广应用。"},
            "contact": {
                "contact_name": "李申报",
                "contact_phone": "0571-87654321",
                "contact_email": "li@zzb.example.cn",
            },
            "pledge": {"pledge_accepted": True},
        },
        "indicators": [
            {
                "indicator": "甲醛含量（mg/kg）",
                "this_standard": "≤16",
                "national_or_industry": "≤20",
                "international": "",
            },
            {
                "indicator": "耐洗色牢度（级）",
                "this_standard": "≥4",
                "national_or_industry": "≥3-4",
                "international": "",
            },
        ],
        "enterprises": [
            {"name": "浙江针织服装有限公司", "credit_code": "91330100MA2B3C4D5", "province": "330000"},
            {"name": "义乌市丝纺针织有限公司", "credit_code": "91330782MA2E6F7G8", "province": "330000"},
        ],
    },
    {
        "group": "CCSA",
        "by": "applicant2",
        "standard": "T/CCSA 273—2019",
        "claims": [],
        "industry_field": IndustryField.COMMUNICATIONS,
        "recommender": None,
        "sections": {
            "advancement": {"advancement": "与国际电信联盟相关建议书同步制定，关键指标与国际标准保持一致。"},
            "implementation": {
                "implementation": "在三家基础电信运营商的省级网络中部署实施。",
                "effect": "设备互通测试一次通过率提高到 98%。",
                "enterprises_count": 9,
                "output_value": Decimal("420000"),
                "savings": Decimal("18000"),
            },
            "market": {"market_competitiveness": "国内主要设备厂商的产品均按本标准实现互通。"},
            "influence": {"social_influence": "转化为通信行业标准立项，并作为运营商集中采购的技术依据。"},
            "patents": {"patent_handling": "涉及专利已按协会知识产权政策披露，专利权人承诺许可。"},
            "promotion": {"promotion_plan": "组织互通测试活动，向“一带一路”合作伙伴推介。"},
            "contact": {
                "contact_name": "张申报",
                "contact_phone": "010-62300000",
                "contact_email": "zhang@ccsa.example.cn",
            },
            "pledge": {"pledge_accepted": True},
        },
        "indicators": [
            {
                "indicator": "端到端时延（ms）",
                "this_standard": "≤10",
                "national_or_industry": "",
                "international": "≤10",
            },
        ],
        "enterprises": [
            {"name": "中国电信集团有限公司", "credit_code": "91110000710000001", "province": "110000"},
        ],
    },
]


@transaction.atomic
def seed_demo_applications(call: Call) -> list[Application]:
    """Submit the demo applications in `call` unless their standards already have one there. Idempotent."""
    made = []
    for spec in DEMO_APPLICATIONS:
        standard = GroupStandard.objects.filter(number=normalise_number(spec["standard"])).first()
        if standard is None or Application.objects.filter(call=call, standard=standard).exists():
            continue
        made.append(_demo_application(call, standard, spec))
    return made


def _demo_application(call: Call, standard: GroupStandard, spec: dict) -> Application:
    from projects import workflow  # the workflow imports the services' neighbours; late, as the command does

    group = Organisation.objects.get(code=spec["group"])
    by = User.objects.get(username=spec["by"])
    recommender = Organisation.objects.get(code=spec["recommender"]) if spec["recommender"] else None
    application = workflow.create(call, group=group, standard=standard, by=by)
    claims = spec["claims"] or list(standard.eligible_types)[:1]
    save_claim(
        application=application, by=by, claims=claims, industry_field=spec["industry_field"], recommender=recommender
    )
    for section, fields in spec["sections"].items():
        rows = {"advancement": spec["indicators"], "implementation": _with_check_codes(spec["enterprises"])}.get(
            section
        )
        save_section(application=application, by=by, section=section, fields=fields, rows=rows)
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
