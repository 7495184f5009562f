"""The demo call that went the whole way, added by `seed_demo`: two years ago, noticed, closed and announced.

Its announcement (工信部科函〔…〕333号) puts its three projects on the public register, `/projects/`.

Three applications of the demo groups are submitted, recommended, admitted and shortlisted through the workflow;
the notice is prepared and scheduled through the services, and opened and closed by the job's own steps. A
notice cannot be scheduled in the past, so it is scheduled to open tomorrow and its window is then put back
where it was (the one write past the services, as the review demo corrects its call's dates); everything after
that is the job and the services, so the audit log, the timelines and the published lists are real.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portal.models import User
from portal.workdays import local_zone
from projects import workflow
from projects.models import Call, IndustryField
from publicity import jobs
from publicity.models import Notice
from publicity.services import announcements, notices
from publicity.windows import notice_end
from reviews.services.seed import APPLICATIONS as REVIEW_APPLICATIONS
from reviews.services.seed import (
    close_demo_call,
    open_demo_call,
    recommend_demo_applications,
    submit_demo_application,
)
from standards.models import ApplicationType

# 工信部科函〔2023〕333号 announced the 2023 list; the demo's announced call borrows the sequence of its notice.
ANNOUNCED_NOTICE_SEQUENCE = 142
ANNOUNCEMENT_SEQUENCE = 333
NOTICE_WORKING_DAYS = 5


def _spec(base: int, *, advancement: str, implementation: str, effect: str, indicator: tuple, **changes) -> dict:
    """One of the review demo's applications (its contact, attachments, pledge), for another standard of the
    same group, with what it says of that standard."""
    spec = REVIEW_APPLICATIONS[base]
    sections = {**spec["sections"], "advancement": {"advancement": advancement}}
    sections["implementation"] = {**sections["implementation"], "implementation": implementation, "effect": effect}
    name, this, national = indicator
    row = {"indicator": name, "this_standard": this, "national_or_industry": national, "international": ""}
    return {**spec, **changes, "sections": sections, "indicators": [row]}


# The review demo's specs give the sections their shape; each names its own standard, field and claims.
APPLICATIONS = [
    _spec(
        1,
        standard="T/ZZB 1102—2019",
        claims=[ApplicationType.INNOVATIVE],
        industry_field=IndustryField.EQUIPMENT,
        advancement="国内首个工业机器人用精密摆线针轮减速器标准，此前无国家或行业标准覆盖。",
        implementation="在省内 12 家机器人减速器企业实施，配套国产工业机器人整机。",
        effect="实施企业产品传动误差降至 1 弧分以内，国产减速器配套率提高到 35%。",
        indicator=("传动误差（弧分）", "≤1", ""),
    ),
    _spec(
        1,
        standard="T/ZZB 0128—2021",
        claims=[ApplicationType.ADVANCED],
        industry_field=IndustryField.CONSUMER_GOODS,
        advancement="甲醛含量、pH 值、耐汗渍色牢度等 8 项指标严于 GB 18401—2010 和 FZ/T 73016—2020。",
        implementation="在义乌、诸暨 15 家针织内衣企业实施，纳入“浙江制造”认证。",
        effect="实施企业产品抽检合格率由 91% 提高到 99%，出口退货率下降 40%。",
        indicator=("耐汗渍色牢度（级）", "≥4", "≥3-4"),
    ),
    _spec(
        0,
        standard="T/CCSA 273—2019",
        claims=[ApplicationType.INTERNATIONAL],
        industry_field=IndustryField.COMMUNICATIONS,
        advancement="与 3GPP TS 23.501 同步制定，5G 核心网总体技术要求达到国际领先水平。",
        implementation="在三家基础电信企业的 5G 独立组网核心网建设中实施。",
        effect="支撑全国 5G 独立组网商用，核心网设备互通测试一次通过率达到 95%。",
        indicator=("设备互通测试一次通过率（%）", "≥95", ""),
    ),
]


def notice_number(year: int) -> str:
    return f"工信厅科函〔{year}〕{ANNOUNCED_NOTICE_SEQUENCE}号"


@transaction.atomic
def seed_announced_call() -> Call:
    """Create the call of two years ago, announced, unless it exists; return it. Idempotent.

    Expects seed_demo's accounts, organisations and standards.
    """
    year = timezone.now().astimezone(local_zone()).year - 2
    existing = Call.objects.filter(notice_number=notice_number(year)).first()
    if existing is not None:
        return existing
    call = open_demo_call(year, notice_number(year))
    applications = [submit_demo_application(call, spec) for spec in APPLICATIONS]
    recommend_demo_applications(applications)
    close_demo_call(call, year)
    secretariat = User.objects.get(username="secretariat")
    for application in applications:
        admitted = workflow.admit(application, by=secretariat)
        workflow.shortlist(admitted, by=secretariat)
    _closed_notice(call, year, secretariat)
    announcement = announcements.save_draft(
        call,
        by=secretariat,
        number=f"工信部科函〔{year}〕{ANNOUNCEMENT_SEQUENCE}号",
        title=announcements.default_title(call),
        body=f"经社会团体自愿申报、行业或地方推荐、专家评审和社会公示，现将{year}年团体标准应用示范项目名单予以公布。",
    )
    announcements.publish_announcement(announcement, by=secretariat)
    call.refresh_from_db()
    return call


def _closed_notice(call: Call, year: int, secretariat: User) -> Notice:
    notice = notices.prepare_notice(
        call,
        by=secretariat,
        title=f"关于{year}年团体标准应用示范项目的公示",
        body=(
            f"根据《工业和信息化部办公厅关于组织开展{year}年团体标准应用示范项目申报工作的通知》，经形式审查、"
            "专家评审，现将拟入选项目名单予以公示。如有异议，请在公示期内以书面形式反映，并提供联系方式。"
        ),
        contact="工业和信息化部科技司标准处，010-68205245",
        starts_at=timezone.now() + timezone.timedelta(days=1),
        working_days=NOTICE_WORKING_DAYS,
    )
    notices.schedule_notice(notice, by=secretariat)
    opens = datetime(year, 11, 4, 9, 0, tzinfo=local_zone())
    closes = notice_end(opens, NOTICE_WORKING_DAYS)
    Notice.objects.filter(pk=notice.pk).update(starts_at=opens, ends_at=closes)
    Call.objects.filter(pk=call.pk).update(notice_opens_at=opens, notice_closes_at=closes)
    jobs.open_one(notice.pk, timezone.now())
    jobs.close_one(notice.pk, timezone.now())
    notice.refresh_from_db()
    return notice
