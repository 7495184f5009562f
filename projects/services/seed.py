"""The demo call, added by `seed_demo`: open now, with its notice and two templates to download."""

import io
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from portal.workdays import local_zone
from projects.models import Call, CallAttachment
from projects.services.calls import add_call_attachment, create_call
from standards.files import minimal_pdf

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
    """Create the demo call for this year unless it exists, and return it. Idempotent.

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
    return call


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
