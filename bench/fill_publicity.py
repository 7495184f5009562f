"""The public-notice stage's data: the register's earlier years, and a call's notice open with its objections.

- The register: `sizes.announced` projects of earlier programmes imported as the secretariat imports them
  (`publicity.services.register.record_imported`, one list per year, 109 projects a year as in 2023), on the
  social groups' standards so that the register links them; `project` is one of them, `project_number` its
  standard's number as a visitor types it.
- The notice call: `sizes.noticed` applications submitted, recommended and admitted as the review call's are
  (`bench.fill_reviews._admitted`), shortlisted through the workflow, and a notice of them prepared, scheduled and
  opened by the job's own step (its window moved back to have opened this morning, as seed_demo does);
  `sizes.objections` objections filed on it through the service. `notice` and `notice_call` are its ids.
"""

import time
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone

from bench.fill import _batches

PER_YEAR = 109
GROUNDS = "该项目申报材料中实施企业数量与实际不符，请予核实。"


def fill_publicity(groups: list[tuple], standards: list[list], sizes, say) -> dict[str, int]:
    from portal.models import User

    secretariat = User.objects.get(username="secretariat")
    ids = _register(groups, standards, sizes, secretariat, say)
    ids.update(_notice(groups, standards, sizes, secretariat, say))
    return ids


def _register(groups, standards, sizes, secretariat, say) -> dict[str, int]:
    from publicity.models import AnnouncedProject
    from publicity.services.register import Row, record_imported

    started = time.perf_counter()
    owned = zip(groups, standards, strict=True)
    pairs = [(group, standard) for (group, _profile, _member), own in owned for standard in own]
    this_year = timezone.now().year
    for offset, batch in enumerate(_batches(pairs[: sizes.announced], PER_YEAR)):
        year = this_year - 3 - offset
        rows = [
            Row(
                position=position,
                year=year,
                name=f"《{standard.title_zh}》团体标准应用示范项目",
                standard_number=standard.number,
                standard_title=standard.title_zh,
                group_name=group.name,
                province=group.province,
                innovative=True,
                standard_id=standard.pk,
                group_id=group.pk,
            )
            for position, (group, standard) in enumerate(batch, start=1)
        ]
        number = f"工信部科函〔{year}〕{300 + offset}号"
        record_imported(number=number, year=year, rows=rows, by=secretariat, source="bench")
    count = AnnouncedProject.objects.count()
    say(f"  register: {count} announced projects in {time.perf_counter() - started:.0f} s")
    first = AnnouncedProject.objects.order_by("-year", "position").first()
    # Searched for as a visitor types it: with a hyphen for the dash (the page's URL quotes it).
    typed = quote(first.standard_number.replace("—", "-"))
    return {"project": first.pk, "project_number": typed}


def _notice(groups, standards, sizes, secretariat, say) -> dict[str, int]:
    from bench.fill_reviews import _admitted
    from projects import workflow
    from projects.models import ApplicationStatus
    from projects.services import calls
    from publicity import jobs
    from publicity.models import Notice
    from publicity.services import notices, objections
    from publicity.windows import notice_end

    started = time.perf_counter()
    now = timezone.now()
    opens_at = now - timedelta(days=150)
    with transaction.atomic():
        call = calls.create_call(
            by=secretariat,
            year=opens_at.year,
            title=f"{opens_at.year}年团体标准应用示范项目（社会公示）",
            notice_number=f"工信厅科函〔{opens_at.year}〕150号",
            notice_text="请各有关单位按要求组织申报。",
            opens_at=opens_at,
            deadline=now + timedelta(days=1),
            implementation_cutoff=(now - timedelta(days=120)).date(),
            recommendation_deadline=now + timedelta(days=2),
            default_quota=5,
            publicity_working_days=5,
        )
        calls.publish_call(call=call, by=secretariat)
    _admitted(call, groups, standards, replace(sizes, admitted=sizes.noticed), secretariat, say, label="notice call")
    for batch in _batches(list(call.applications.filter(status=ApplicationStatus.UNDER_REVIEW).order_by("pk"))):
        with transaction.atomic():
            for application in batch:
                workflow.shortlist(application, by=secretariat)
    notice = notices.prepare_notice(
        call,
        by=secretariat,
        title=f"关于{call.year}年团体标准应用示范项目的公示",
        body="经形式审查、专家评审，现将拟入选项目名单予以公示。",
        contact="科技司标准处，010-68205245",
        starts_at=now + timedelta(days=1),
        working_days=5,
    )
    notices.schedule_notice(notice, by=secretariat)
    start = now - timedelta(hours=2)
    Notice.objects.filter(pk=notice.pk).update(starts_at=start, ends_at=notice_end(start, 5))
    call.__class__.objects.filter(pk=call.pk).update(notice_opens_at=start, notice_closes_at=notice_end(start, 5))
    jobs.open_one(notice.pk, timezone.now())
    entries = list(notice.entries.select_related("application__standard").order_by("position"))
    for batch in _batches([entries[n % len(entries)] for n in range(sizes.objections)]):
        with transaction.atomic():
            for n, entry in enumerate(batch):
                filer = objections.Filer(
                    name=f"公众{n}", organisation="", phone=f"139{n:08d}", email=f"filer{n}@example.cn"
                )
                objections.file_objection(entry=entry, filer=filer, grounds=GROUNDS)
    say(
        f"  notice call: {len(entries)} projects in an open notice, {sizes.objections} objections, "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return {"notice": notice.pk, "notice_call": call.pk}
