"""What the API's tests read: public data reached through the real services, beside what must never show.

`public_world()` builds, through the stages' services and transitions, an announced call (its announcement
published), an open notice with an objection filed to it, a scheduled notice and a draft one (the
secretariat's), a draft announcement, an application still being written, a standard with an adoption and an
evaluation. `SECRETS` are values that are in the database and must appear in no answer of the API.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from portal.models import User
from projects.models import Application
from publicity import lists
from publicity.models import Announcement, Notice, NoticeEntry, Objection
from publicity.services import notices as notice_services
from publicity.services import objections
from publicity.services.objections import Filer
from standards.files import minimal_pdf
from standards.models import GroupDocument, GroupStandard, SocialGroup
from standards.services import publish_group_document
from tests.factories import (
    AdoptionFactory,
    EvaluationFactory,
    GroupProfileFactory,
    GroupStandardFactory,
    make_application,
)
from tests.publicity.factories import open_notice, prepared_notice, scheduled_notice
from tests.publicity.register_factories import draft_announcement, published_announcement

OBJECTOR = {"name": "李异议", "organisation": "某研究所", "phone": "13911112222", "email": "objector@example.cn"}
GROUNDS = "该项目的实施证明材料不实，请核查。"
DRAFT_BODY = "尚未公布的公告正文：绝密草稿。"
DRAFT_NUMBER = "工信部科函〔2026〕999号"
SCHEDULED_TITLE = "尚未开始的公示（已排期）"
SCHEDULED_BODY = "排期中的公示正文，开始前不公开。"
DRAFT_NOTICE_TITLE = "正在准备的公示草稿"
NOTICE_CONTACT = "科技司标准处，010-68205245"


@dataclass
class PublicWorld:
    announcement: Announcement
    open_notice: Notice
    standard: GroupStandard
    group: SocialGroup
    draft_announcement: Announcement
    scheduled_notice: Notice
    draft_notice: Notice
    unannounced: list[Application]
    objection: Objection
    people: list[User]


def project_name(application: Application) -> str:
    return lists.project_name(application)


def public_world() -> PublicWorld:
    announcement = published_announcement(count=2)
    notice = open_notice(count=2)
    entry = NoticeEntry.objects.filter(notice=notice).order_by("position").first()
    objection = objections.file_objection(entry=entry, filer=Filer(**OBJECTOR), grounds=GROUNDS)
    draft = draft_announcement(count=1, number=DRAFT_NUMBER)
    Announcement.objects.filter(pk=draft.pk).update(body=DRAFT_BODY)
    scheduled = scheduled_notice(count=1)
    Notice.objects.filter(pk=scheduled.pk).update(title=SCHEDULED_TITLE, body=SCHEDULED_BODY)
    draft_notice = prepared_notice(count=1)
    notice_services.update_notice(draft_notice, by=draft_notice.created_by, title=DRAFT_NOTICE_TITLE)
    profile = GroupProfileFactory()
    standard = GroupStandardFactory(issuer=profile, scope="适用于示例产品。", drafters="张三、李四")
    AdoptionFactory(standard=standard, note="内部备注：不对外。")
    EvaluationFactory(standard=standard, report=ContentFile(minimal_pdf("report"), name="r.pdf"))
    publish_group_document(
        group=profile,
        kind=GroupDocument.Kind.PROCEDURE,
        version_date=datetime.date(2024, 1, 1),
        file=ContentFile(minimal_pdf("procedure"), name="procedure.pdf"),
    )
    writing = make_application(complete=True)
    unannounced = [
        writing,
        *Application.objects.filter(notices__in=[scheduled, draft_notice]),
    ]
    return PublicWorld(
        announcement=announcement,
        open_notice=notice,
        standard=standard,
        group=profile,
        draft_announcement=draft,
        scheduled_notice=scheduled,
        draft_notice=draft_notice,
        unannounced=unannounced,
        objection=objection,
        people=list(User.objects.all()),
    )


def secrets(world: PublicWorld) -> list[str]:
    """Values in the database that no answer of the API may contain."""
    values = [
        GROUNDS,
        OBJECTOR["phone"],
        OBJECTOR["email"],
        OBJECTOR["name"],
        world.objection.tracking_number,
        DRAFT_BODY,
        DRAFT_NUMBER,
        SCHEDULED_TITLE,
        SCHEDULED_BODY,
        DRAFT_NOTICE_TITLE,
        NOTICE_CONTACT,
        "010-68205245",
        "内部备注：不对外。",
        *(project_name(application) for application in world.unannounced),
    ]
    for person in world.people:
        values += [value for value in (person.email, person.phone) if value]
    return values
